<?php
// The webhook endpoint of dlr_webhook.php, a router script for PHP's built-in server:
//   DLR_LOG=/tmp/dlr.jsonl php -d ffi.enable=1 -S 127.0.0.1:8089 examples/php/dlr_webhook_receiver.php
// Parses each delivery report with Instasent\Dlr and appends it, as one JSON line, to $DLR_LOG.
// Any non-2xx answer is retried by Instasent, so 200 goes out only once the report is stored.
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

use Instasent\Dlr;
use Instasent\Exception\InstasentException;

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    return;
}
try {
    $report = Dlr::parse(file_get_contents('php://input'));
} catch (InstasentException $e) {
    http_response_code(400); // not a delivery report: retrying will not help, but say so
    error_log("refused a webhook: {$e->getMessage()}");
    return;
}
$line = json_encode($report, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n";
$stored = file_put_contents((string) getenv('DLR_LOG'), $line, FILE_APPEND | LOCK_EX) === strlen($line);
http_response_code($stored ? 200 : 500);
