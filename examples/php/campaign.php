<?php
// A campaign of 300 personalised messages (three of them bad) through sendCampaign.
// Run: INSTASENT_BASE_URL=http://127.0.0.1:PORT/transactional/v1 INSTASENT_TOKEN=… php -d ffi.enable=1 examples/php/campaign.php
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

function messages(): Generator
{
    for ($i = 0; $i < 300; $i++) {
        $message = [
            'from' => 'Acme',
            'to' => sprintf('+3460%07d', 1000000 + $i),
            'text' => sprintf('Hi customer %d, your order P-%05d has shipped', $i, $i),
        ]; // no clientId: one is generated per message (sendCampaign has no resume option)
        if ($i === 17) $message['to'] = '600123456';     // not E.164: rejected locally, never sent
        if ($i === 42) $message['text'] = '';            // blank: rejected locally
        if ($i === 99) $message['to'] = '+81901234567';  // no route in the price profile: rejected by the API
        yield $message;
    }
}

$client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN')); // base URL: $INSTASENT_BASE_URL
// One call for the whole campaign (bulk requests of ≤ 100 in parallel); no progress callback
// in the PHP API, so the totals come with the results.
$campaign = $client->sendCampaign(messages());
foreach ($campaign['results'] as $r) {
    if ($r['outcome'] === 'rejected') { // stage "local": never sent; "server": refused by the API
        echo "input {$r['index']} rejected ({$r['stage']}): ", json_encode($r['fields']), "\n";
    } elseif ($r['outcome'] === 'failed') { // no answer for its request (after retries)
        echo "input {$r['index']} not sent ({$r['kind']}): {$r['message']}\n";
    }
}
$p = $campaign['progress'];
printf("%d messages in %.2f s\n", $p['read'], $p['elapsedSecs']);
printf("accepted: %d, rejected: %d, failed: %d\n", $p['accepted'], $p['rejected'], $p['failed']);
