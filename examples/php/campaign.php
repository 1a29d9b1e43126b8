<?php
// A campaign of 300 personalised messages (three of them bad), streamed through campaign().
// Run: INSTASENT_BASE_URL=http://127.0.0.1:PORT/transactional/v1 INSTASENT_TOKEN=… php -d ffi.enable=1 examples/php/campaign.php
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

function messages(): Generator
{
    for ($i = 0; $i < 300; $i++) {
        $message = [
            'from' => 'Acme',
            'to' => sprintf('+3460%07d', 1000000 + $i),
            'text' => sprintf('Hi customer %d, your order P-%05d has shipped', $i, $i),
        ]; // no clientId: one is generated per message (pass your own, and 'resume' => true, to make a re-run safe)
        if ($i === 17) $message['to'] = '600123456';     // not E.164: rejected locally, never sent
        if ($i === 42) $message['text'] = '';            // blank: rejected locally
        if ($i === 99) $message['to'] = '+99912345678';  // +999 is no country's calling code: rejected by the API (no route)
        yield $message;
    }
}

$client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN')); // base URL: $INSTASENT_BASE_URL
// Streamed: the generator is read a batch at a time (bulk requests of ≤ 100 in parallel) and
// each result comes back as its batch settles, keyed by its input's index, so memory stays flat
// for a campaign of any size. (sendCampaign() returns them all at once instead.)
$counts = ['accepted' => 0, 'rejected' => 0, 'failed' => 0];
$started = microtime(true);
foreach ($client->campaign(messages(), ['concurrency' => 4]) as $index => $r) {
    $counts[$r['outcome']]++;
    if ($r['outcome'] === 'rejected') { // stage "local": never sent; "server": refused by the API
        echo "input $index rejected ({$r['stage']}): ", json_encode($r['fields']), "\n";
    } elseif ($r['outcome'] === 'failed') { // no answer for its request (after retries)
        echo "input $index not sent ({$r['kind']}): {$r['message']}\n";
    }
}
printf("%d messages in %.2f s\n", array_sum($counts), microtime(true) - $started);
printf("accepted: %d, rejected: %d, failed: %d\n", $counts['accepted'], $counts['rejected'], $counts['failed']);
exit($counts['failed'] > 0 ? 1 : 0); // not sent; with your own clientIds and 'resume', a re-run sends only them
