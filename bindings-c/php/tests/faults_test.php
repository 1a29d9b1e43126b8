<?php
declare(strict_types=1);

use Instasent\Exception\InstasentException;
use Instasent\SmsClient;
use Instasent\Testing\Sandbox;

// Each test starts a sandbox of its own: faults left on by a failing test must not reach the
// suite's shared one.

/** A client of `$sandbox` without retries: the first fault is the answer. */
function faultsClient(Sandbox $sandbox): SmsClient
{
    return new SmsClient($sandbox->token(), ['base_url' => $sandbox->baseUrl(), 'max_retries' => 0]);
}

/** How many messages with this clientId the sandbox holds. */
function inLedger(Sandbox $sandbox, string $clientId): int
{
    return count(array_filter($sandbox->messages(), fn ($m) => ($m['clientId'] ?? null) === $clientId));
}

return [
    'setFaults: a 500 to a send is AMBIGUOUS_OUTCOME; not in the history, so the resend is the one delivery' => function (Context $ctx) {
        $sandbox = new Sandbox();
        $client = faultsClient($sandbox);
        $sandbox->setFaults(['errorRate' => 1]);
        // The documented calls hand HTTP errors back as responses; a read gets the 500.
        Assert::same(500, $client->getSms()['response_code']);
        $e = Assert::throws(InstasentException::class, fn () => $client->sendSms('Acme', '+34600100090', 'x', 'php-order-500'));
        Assert::same(['AMBIGUOUS_OUTCOME', 'php-order-500', true], [$e->getErrorCode(), $e->getClientId(), $e->isMaybeCommitted()]);
        $sandbox->setFaults();
        Assert::same(null, $client->findSmsByClientId('php-order-500'));
        Assert::response(201, $client->sendSms('Acme', '+34600100090', 'x', 'php-order-500'));
        Assert::same(1, inLedger($sandbox, 'php-order-500'));
    },
    'setFaults: a send committed and then dropped is found by its clientId' => function (Context $ctx) {
        $sandbox = new Sandbox();
        $client = faultsClient($sandbox);
        $sandbox->setFaults(['dropAfterCommitRate' => 1.0]);
        $e = Assert::throws(InstasentException::class, fn () => $client->sendSms('Acme', '+34600100091', 'x', 'php-order-drop'));
        Assert::same(['AMBIGUOUS_OUTCOME', 'php-order-drop'], [$e->getErrorCode(), $e->getClientId()]);
        $sandbox->setFaults([]);
        Assert::same('php-order-drop', $client->findSmsByClientId('php-order-drop')['clientId'] ?? null);
        Assert::same(1, inLedger($sandbox, 'php-order-drop'));
    },
    'setFaults refuses what it cannot read and keeps the faults it had' => function (Context $ctx) {
        $sandbox = new Sandbox();
        $client = faultsClient($sandbox);
        $sandbox->setFaults(['latencyMs' => 1]);
        foreach ([
            'errorRate' => ['errorRate' => 3],
            'errorRat' => ['errorRat' => 1],
            'errorRate: invalid type' => ['errorRate' => 'all'],
            'unknown field `0`' => [0.5],
        ] as $named => $faults) {
            $e = Assert::throws(InstasentException::class, fn () => $sandbox->setFaults($faults));
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode(), $named);
            Assert::contains($named, $e->getMessage());
        }
        // An unknown key is named once, by serde's message, not again as a path before it.
        $e = Assert::throws(InstasentException::class, fn () => $sandbox->setFaults(['errorRat' => 1]));
        Assert::same(1, substr_count($e->getMessage(), '`errorRat`'), $e->getMessage());
        Assert::same(false, str_contains($e->getMessage(), 'errorRat:'), $e->getMessage());
        $e = Assert::throws(InstasentException::class, fn () => $sandbox->setFaults(['errorRate' => NAN]));
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
        Assert::same(
            ['errorRate' => 0.0, 'latencyMs' => 1, 'dropAfterCommitRate' => 0.0, 'rateLimitBurst' => 0, 'seed' => null],
            $sandbox->faults(),
            'still only the millisecond of latency'
        );
        Assert::response(201, $client->sendSms('Acme', '+34600100092', 'x'));
        $sandbox->stop();
        Assert::throws(InstasentException::class, fn () => $sandbox->setFaults());
        Assert::throws(InstasentException::class, fn () => $sandbox->faults());
    },
    'faults() counts down the forced 429s' => function (Context $ctx) {
        $sandbox = new Sandbox();
        $client = faultsClient($sandbox);
        $sandbox->setFaults(['rateLimitBurst' => 2, 'seed' => 7]);
        Assert::same([2, 7], [$sandbox->faults()['rateLimitBurst'], $sandbox->faults()['seed']]);
        Assert::same(429, $client->getSms()['response_code']);
        Assert::same(1, $sandbox->faults()['rateLimitBurst']);
    },
];
