<?php
// Parses delivery reports as a webhook endpoint would (Instasent\Dlr) and keeps the latest per message.
// Run: php -d ffi.enable=1 examples/php/dlr_parse.php   (sample payloads; dlr_webhook.php receives live ones)
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

use Instasent\DeliveryTracker;
use Instasent\Dlr;
use Instasent\Exception\InstasentException;

// In a real endpoint: $report = Dlr::parse(file_get_contents('php://input')); answer 200, or
// a non-2xx (which Instasent retries) when it throws.
$payloads = [
    '{"id":"5f1a0000000000000000abcd","clientId":"order-42","status":"sent","code":0,"eventAt":"2026-04-21T10:15:00.000Z"}',
    '{"id":"5f1a0000000000000000abcd","clientId":"order-42","status":"failed","code":3,"eventAt":"2026-04-21T10:15:02.000Z"}',
    'id:5f1a0000000000000000beef sub:001 dlvrd:001 submit date:2604211015 done date:2604211016 stat:DELIVRD err:000 text:Hi',
    '{"not":"a report"}',
];
$tracker = new DeliveryTracker();
$ids = [];
foreach ($payloads as $payload) {
    try {
        $r = Dlr::parse($payload);
    } catch (InstasentException $e) {
        echo "refused ({$e->getMessage()}): answer 400\n";
        continue;
    }
    printf("%s report %s: %s (raw %s) code %s (%s)\n", $r['source'], $r['id'], $r['status'], $r['rawStatus'],
        $r['code'] ?? '-', $r['codeMeaning'] ?? '-');
    $tracker->record($r); // 'applied'; a redelivered or out-of-date report would be 'duplicate' / 'stale'
    $ids[$r['id']] = true;
}
foreach (array_keys($ids) as $id) {
    $r = $tracker->get($id);
    printf("%s: %s code %s, final: %s\n", $id, $r['status'], $r['code'] ?? '-', $r['isFinal'] ? 'yes' : 'no');
}
