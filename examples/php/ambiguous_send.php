<?php
// A send that may have gone out unanswered (AMBIGUOUS_OUTCOME): look the message up by its
// clientId, and send it again only when it is not there. The API refuses a clientId it has
// seen, so that resend cannot deliver it twice.
//
// The SDK retries an unanswered send itself, and a retry that finds its clientId used reports
// the send as accepted. So the error reaches you only when the retries could not settle it (an
// outage): keep the clientId with what you were sending, and settle it once the API answers.
//
// The demo provokes both cases in a sandbox of its own (injected faults), retries off so that
// the first fault is the answer. Run: php -d ffi.enable=1 examples/php/ambiguous_send.php
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

use Instasent\Exception\InstasentException;
use Instasent\SmsClient;
use Instasent\Testing\Sandbox;

/** Makes sure the message with this clientId went out once; says how. */
function settle(SmsClient $client, string $clientId, string $from, string $to, string $text): string
{
    $found = $client->findSmsByClientId($clientId);
    if ($found !== null) {
        return "already sent as {$found['id']}, not sent again";
    }
    $resent = $client->sendSms($from, $to, $text, $clientId);
    if ($resent['response_code'] !== 201) {
        // The documented call hands HTTP errors back as responses.
        throw new RuntimeException("$clientId: HTTP {$resent['response_code']}: {$resent['response_body']}");
    }
    return 'not in the history, sent again as ' . json_decode($resent['response_body'], true)['entity']['id'];
}

[$from, $to, $text] = ['Acme', '+34600123456', 'Your order has shipped'];
$sandbox = new Sandbox();
$client = new SmsClient($sandbox->token(), ['base_url' => $sandbox->baseUrl(), 'max_retries' => 0]);
$cases = [
    'order-1001' => ['dropAfterCommitRate' => 1], // committed, then the connection closed
    'order-1002' => ['errorRate' => 1],           // answered 500 before anything was committed
];
foreach ($cases as $clientId => $fault) {
    $sandbox->setFaults($fault);
    try {
        $client->sendSms($from, $to, $text, $clientId);
        throw new RuntimeException("$clientId: sent, but the sandbox was to fail it");
    } catch (InstasentException $e) {
        if ($e->getErrorCode() !== 'AMBIGUOUS_OUTCOME') {
            throw $e;
        }
        echo "{$e->getClientId()}: {$e->getErrorCode()}, may have been sent: ", $e->isMaybeCommitted() ? 'true' : 'false', "\n";
    }
    $sandbox->setFaults(); // the outage is over
    echo "$clientId: ", settle($client, $clientId, $from, $to, $text), "\n";
}

$sent = array_count_values(array_map(fn ($m) => $m['clientId'] ?? '', $sandbox->messages()));
echo 'ledger: order-1001 x', $sent['order-1001'] ?? 0, ', order-1002 x', $sent['order-1002'] ?? 0, "\n";
