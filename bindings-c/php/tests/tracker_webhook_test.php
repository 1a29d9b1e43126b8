<?php
declare(strict_types=1);

use Instasent\DeliveryTracker;
use Instasent\Dlr;
use Instasent\Exception\InstasentException;
use Instasent\SmsClient;
use Instasent\Testing\Sandbox;

function webhook_body(string $id, string $status, int $code, string $at): string
{
    return json_encode(['id' => $id, 'clientId' => null, 'status' => $status, 'code' => $code, 'eventAt' => $at]);
}

/**
 * Serves one request on $server within $wait seconds: answers $status and returns
 * [request line, body], or null when nothing came.
 */
function serve_one($server, float $wait, int $status = 200): ?array
{
    $conn = @stream_socket_accept($server, $wait);
    if ($conn === false) {
        return null;
    }
    stream_set_timeout($conn, 2);
    $line = rtrim((string) fgets($conn));
    $length = 0;
    while (($header = fgets($conn)) !== false && rtrim($header) !== '') {
        if (stripos($header, 'content-length:') === 0) {
            $length = (int) trim(substr($header, 15));
        }
    }
    $body = '';
    while (strlen($body) < $length && !feof($conn)) {
        $body .= (string) fread($conn, $length - strlen($body));
    }
    fwrite($conn, "HTTP/1.1 $status X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    fclose($conn);
    return [$line, $body];
}

return [
    'DeliveryTracker judges redelivered, late and final reports as the core does' => function (Context $ctx) {
        $t = new DeliveryTracker();
        $sent = webhook_body('m1', 'sent', 0, '2026-04-21T10:00:00Z');
        Assert::same('applied', $t->record($sent));
        Assert::same('duplicate', $t->record($sent), 'a redelivered webhook');
        Assert::same('applied', $t->record(Dlr::parse(webhook_body('m1', 'failed', 3, '2026-04-21T10:00:05Z'))));
        Assert::same('stale', $t->record(Dlr::parse($sent)), 'nothing in flight replaces a final status');
        $held = $t->get('m1');
        Assert::same('failed', $held['status']);
        Assert::same(3, $held['code']);
        Assert::same('Absent permanently', $held['codeMeaning']);
        Assert::same(true, $held['isFinal']);
        Assert::same('duplicate', $t->record($held), 'what get() returns records again');
        Assert::same(null, $t->get('never-sent'));
        Assert::same(['failed' => 1], $t->counts());
    },
    'DeliveryTracker lists what is in flight and forgets what was stored elsewhere' => function (Context $ctx) {
        $t = new DeliveryTracker();
        $t->record(webhook_body('m1', 'failed', 3, '2026-04-21T10:00:05Z'));
        $t->record(webhook_body('m2', 'sent', 0, '2026-04-21T10:00:01Z'));
        $t->record(webhook_body('m3', 'buffered', 0, '2026-04-21T10:00:02Z'));
        Assert::same(['m2', 'm3'], array_column($t->pending(), 'id'));
        $removed = $t->remove('m2');
        Assert::same(['m2', 'sent'], [$removed['id'], $removed['status']]);
        Assert::same(null, $t->remove('m2'), 'removed once');
        Assert::same(null, $t->get('m2'));
        Assert::same(['m3'], array_column($t->pending(), 'id'));
        Assert::same('failed', $t->remove('m1')['status']);
        Assert::same(['buffered' => 1], $t->counts());
    },
    'DeliveryTracker refuses what is not a delivery report' => function (Context $ctx) {
        $t = new DeliveryTracker();
        $e = Assert::throws(InstasentException::class, function () use ($t) {
            $t->record('garbage');
        });
        Assert::same('DECODE', $e->getErrorCode());
        $e = Assert::throws(InstasentException::class, function () use ($t) {
            $t->record(['id' => 'm1', 'status' => 'delivered']); // a raw body as an array: parse it first
        });
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
        // Bytes that are not UTF-8 are the library's INVALID_UTF8, not json_encode's JsonException.
        $e = Assert::throws(InstasentException::class, function () use ($t) {
            $t->record(['id' => "m\xff", 'status' => 'delivered']);
        });
        Assert::same('INVALID_UTF8', $e->getErrorCode());
        Assert::same([], $t->counts());
    },
    'Sandbox(webhook:) POSTs every delivery report there and retries a non-2xx answer' => function (Context $ctx) {
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        Assert::true($server !== false, "listen: $errstr");
        $url = 'http://' . stream_socket_get_name($server, false) . '/hooks/dlr';
        $sandbox = new Sandbox('sandbox-token', $url, 10);
        try {
            $client = new SmsClient($sandbox->token(), ['base_url' => $sandbox->baseUrl()]);
            $sent = Assert::response(201, $client->sendSms('Acme', '+34600000001', 'fails with code 3'));
            $id = $sent['entity']['id'];
            $t = new DeliveryTracker();
            $refused = null;
            $retried = false;
            $deadline = microtime(true) + 10;
            while (($t->get($id)['isFinal'] ?? false) !== true && microtime(true) < $deadline) {
                $first = $refused === null;
                $request = serve_one($server, 0.5, $first ? 500 : 200);
                if ($request === null) {
                    continue;
                }
                Assert::same('POST /hooks/dlr HTTP/1.1', $request[0]);
                if ($first) {
                    $refused = $request[1];
                    continue;
                }
                $retried = $retried || $request[1] === $refused;
                $t->record($request[1]);
            }
            Assert::true($retried, 'the delivery answered 500 came again');
            Assert::same('failed', $t->get($id)['status'] ?? null);
            Assert::same(3, $t->get($id)['code']);
        } finally {
            $sandbox->stop();
            fclose($server);
        }
    },
    'a stopped Sandbox answers with an exception, not a crash' => function (Context $ctx) {
        $sandbox = new Sandbox('sandbox-token');
        Assert::contains('http://127.0.0.1:', $sandbox->baseUrl());
        $sandbox->stop();
        $sandbox->stop();
        foreach ([fn () => $sandbox->baseUrl(), fn () => $sandbox->messages(), fn () => $sandbox->verifyCode('x')] as $call) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::contains('stopped', $e->getMessage());
        }
    },
    'Sandbox refuses a webhook that is not an http(s) URL' => function (Context $ctx) {
        foreach (['127.0.0.1:8089/dlr', 'http://', "http://127.0.0.1/\0x"] as $bad) {
            $e = Assert::throws(InstasentException::class, function () use ($bad) {
                new Sandbox('sandbox-token', $bad);
            });
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode(), var_export($bad, true));
            Assert::contains('webhook', $e->getMessage());
        }
    },
    'Sandbox refuses a negative report delay instead of wrapping it' => function (Context $ctx) {
        // A uint64_t in C: -1 would have crossed as 2^64 - 1 ms, and no report would ever come.
        $e = Assert::throws(InstasentException::class, fn () => new Sandbox('sandbox-token', null, -1));
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
        Assert::contains('$dlrDelayMs must be a whole number from 0', $e->getMessage());
        $sandbox = new Sandbox('sandbox-token', null, 0);
        Assert::contains('http://127.0.0.1:', $sandbox->baseUrl());
        $sandbox->stop();
    },
];
