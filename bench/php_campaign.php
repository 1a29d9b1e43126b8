<?php
// Campaign throughput of the PHP package (FFI over libinstasent): SmsClient::campaign, the
// streamed form (results taken as they settle), or SmsClient::sendCampaign (every result at
// once), over a generator.
//   INSTASENT_LIB=target/release/libinstasent.so php -d ffi.enable=1 bench/php_campaign.php MESSAGES [stream|all]
// (INSTASENT_BASE_URL, INSTASENT_TOKEN). Prints one JSON line with the process's peak RSS and
// its RSS once the package is loaded.
require __DIR__ . '/../bindings-c/php/autoload.php';

function rss_mib(): float
{
    return round(getrusage()['ru_maxrss'] / 1024, 1); // KiB on Linux
}

$total = (int) ($argv[1] ?? 100000);
$mode = $argv[2] ?? 'stream';
$names = ['stream' => 'php, streamed (campaign())', 'all' => 'php (sendCampaign)'];
if (!isset($names[$mode])) {
    fwrite(STDERR, "mode is stream or all, not $mode\n");
    exit(2);
}
$client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN'), ['concurrency' => 8]);
$startRss = rss_mib();
function messages(int $total): Generator
{
    for ($i = 0; $i < $total; $i++) {
        yield ['from' => 'Acme', 'to' => sprintf('+3464%07d', $i), 'text' => "Hola $i, tu pedido ha salido hoy."];
    }
}
$started = microtime(true);
$accepted = 0;
if ($mode === 'stream') {
    foreach ($client->campaign(messages($total)) as $result) {
        if ($result['outcome'] === 'accepted') {
            $accepted++;
        }
    }
} else {
    $accepted = $client->sendCampaign(messages($total))['progress']['accepted'];
}
$secs = microtime(true) - $started;
echo json_encode([
    'client' => $names[$mode], 'messages' => $total, 'accepted' => $accepted,
    'seconds' => round($secs, 3), 'messagesPerSec' => (int) round($total / $secs),
    'peakRssMiB' => rss_mib(), 'startRssMiB' => $startRss,
]), "\n";
