<?php
// Receives delivery reports on a local webhook (PHP's built-in server running
// dlr_webhook_receiver.php) and tracks them with Instasent\DeliveryTracker.
// Run: php -d ffi.enable=1 examples/php/dlr_webhook.php   (embedded sandbox; or set INSTASENT_BASE_URL/TOKEN and DLR_ADDR)
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

use Instasent\DeliveryTracker;
use Instasent\SmsClient;
use Instasent\Testing\Sandbox;

/** A port nobody listens on now (the receiver binds it next; a lost race is retried). */
function free_port(): int
{
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
    fclose($probe);
    return $port;
}

/** Starts `php -S $addr dlr_webhook_receiver.php` and returns once it accepts connections. */
function start_receiver(string $addr, string $log, string $serverLog)
{
    $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', $addr, __DIR__ . '/dlr_webhook_receiver.php'];
    $env = array_merge(getenv(), ['DLR_LOG' => $log]);
    $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $serverLog, 'w'], 2 => ['file', $serverLog, 'a']], $pipes, null, $env);
    [$host, $port] = explode(':', $addr);
    for ($deadline = microtime(true) + 5; microtime(true) < $deadline; usleep(20000)) {
        if (!proc_get_status($proc)['running']) {
            break; // e.g. the port was taken
        }
        $probe = @fsockopen($host, (int) $port, $errno, $errstr, 0.2);
        if ($probe !== false) {
            fclose($probe);
            return $proc;
        }
    }
    proc_terminate($proc);
    proc_close($proc);
    return null;
}

$external = (string) getenv('INSTASENT_BASE_URL') !== '';
$log = tempnam(sys_get_temp_dir(), 'dlr');
$serverLog = tempnam(sys_get_temp_dir(), 'dlr-server');
$receiver = null;
for ($try = 0; $receiver === null && $try < 3; $try++) {
    $addr = getenv('DLR_ADDR') ?: ($external ? '127.0.0.1:8089' : '127.0.0.1:' . free_port());
    $receiver = start_receiver($addr, $log, $serverLog);
}
if ($receiver === null) {
    fwrite(STDERR, "the receiver did not start on $addr:\n" . file_get_contents($serverLog));
    exit(1);
}
$url = "http://$addr/dlr";
echo "receiving delivery reports on $url\n";

$sandbox = null;
$done = false;
try {
    if ($external) { // the sandbox (--webhook URL) or your account's webhook must point at $url
        $client = new SmsClient(getenv('INSTASENT_TOKEN'));
    } else {
        $sandbox = new Sandbox(webhook: $url);
        $client = new SmsClient($sandbox->token(), ['base_url' => $sandbox->baseUrl()]);
    }
    // Sandbox test numbers: …0001 fails with code 3, …0005 is buffered then delivered.
    $ids = [];
    foreach (['+34600123456', '+34600000001', '+34600000005'] as $to) {
        $response = $client->sendSms('Acme', $to, 'Hello');
        $ids[] = json_decode($response['response_body'], true)['entity']['id'] ?? "(HTTP {$response['response_code']})";
    }

    $tracker = new DeliveryTracker();
    $settled = function () use ($tracker, $ids): bool {
        foreach ($ids as $id) {
            if (($tracker->get($id)['isFinal'] ?? false) !== true) {
                return false;
            }
        }
        return true;
    };
    $offset = 0;
    for ($deadline = microtime(true) + 10; !($done = $settled()) && microtime(true) < $deadline; usleep(50000)) {
        // The receiver runs in its own process: read the reports it stored since last time.
        $new = (string) file_get_contents($log, false, null, $offset);
        $complete = strrpos($new, "\n");
        if ($complete === false) {
            continue;
        }
        $offset += $complete + 1;
        foreach (explode("\n", substr($new, 0, $complete)) as $line) {
            $report = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
            $tracker->record($report);
            echo "report: {$report['id']} {$report['status']} code {$report['code']}\n";
        }
    }
    foreach ($ids as $id) {
        $r = $tracker->get($id);
        echo $r ? "$id: {$r['status']} code {$r['code']} (" . ($r['codeMeaning'] ?? '-') . ")\n" : "$id: no report yet\n";
    }
    echo 'final statuses: ', json_encode($tracker->counts()), "\n";
} finally {
    $sandbox?->stop();
    proc_terminate($receiver);
    proc_close($receiver);
    if (!$done) {
        fwrite(STDERR, "receiver log:\n" . file_get_contents($serverLog));
    }
    unlink($log);
    unlink($serverLog);
}
exit($done ? 0 : 1);
