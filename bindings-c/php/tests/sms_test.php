<?php
declare(strict_types=1);

use Instasent\AccountClient;
use Instasent\Exception\InstasentException;
use Instasent\LookupClient;
use Instasent\SmsClient;
use Instasent\VerifyClient;

return [
    'sendSms returns 201 and the entity' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $body = Assert::response(201, $client->sendSms('Acme', '+34600100001', 'Hello from PHP'));
        Assert::true(is_string($body['entity']['id']) && $body['entity']['id'] !== '', 'entity.id');
        Assert::same(32, strlen($body['entity']['clientId']), 'generated clientId');
    },
    'sendSms keeps the given clientId' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $body = Assert::response(201, $client->sendSms('Acme', '+34600100002', 'ref', 'php-ref-1'));
        Assert::same('php-ref-1', $body['entity']['clientId']);
    },
    'sendUnicodeSms sends UCS-2' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $body = Assert::response(201, $client->sendUnicodeSms('Acme', '+34600100003', 'Unicode test: ña éáíóú 😀'));
        Assert::same('UCS-2', $body['entity']['encoding']);
    },
    'getSmsById reads a sent message back' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $sent = Assert::response(201, $client->sendSms('Acme', '+34600100004', 'read me'));
        $body = Assert::response(200, $client->getSmsById($sent['entity']['id']));
        Assert::same($sent['entity']['id'], $body['entity']['id']);
        Assert::same('read me', $body['entity']['text']);
    },
    'getSmsById of an unknown id is a 404 response, not an exception' => function (Context $ctx) {
        Assert::response(404, (new SmsClient($ctx->token))->getSmsById('no-such-sms'));
    },
    'getSms pages' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $client->sendSms('Acme', '+34600100005', 'a');
        $client->sendSms('Acme', '+34600100006', 'b');
        $body = Assert::response(200, $client->getSms(1, 2));
        Assert::same(2, count($body['entities']));
        $default = Assert::response(200, $client->getSms());
        Assert::true(count($default['entities']) <= 10, 'per_page defaults to 10');
    },
    'sendBulkSms reports entities and per-item errors' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $body = Assert::response(201, $client->sendBulkSms([
            ['from' => 'Acme', 'to' => '+34600100010', 'text' => 'one'],
            ['from' => 'Acme', 'to' => '+34600100011', 'text' => 'two', 'clientId' => 'bulk-php-2'],
            ['from' => 'Acme', 'to' => 'invalid', 'text' => 'three'],
        ]));
        Assert::true(isset($body['entities']) && isset($body['errors']), 'entities and errors');
        Assert::true(count($body['entities']) >= 2, 'two accepted');
    },
    'sendBulkSms of 101 messages is refused before sending' => function (Context $ctx) {
        $messages = array_fill(0, 101, ['from' => 'Acme', 'to' => '+34600100012', 'text' => 'x']);
        $e = Assert::throws(InstasentException::class, function () use ($ctx, $messages) {
            (new SmsClient($ctx->token))->sendBulkSms($messages);
        });
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
    },
    'sendCampaign returns one result per input, in order' => function (Context $ctx) {
        $gen = function () {
            for ($i = 0; $i < 230; $i++) {
                yield ['from' => 'Acme', 'to' => $i === 5 ? 'nope' : '+34611000' . sprintf('%03d', $i), 'text' => "m$i"];
            }
        };
        $report = (new SmsClient($ctx->token))->sendCampaign($gen());
        Assert::same(230, count($report['results']));
        Assert::same(229, $report['progress']['accepted']);
        Assert::same('rejected', $report['results'][5]['outcome']);
        Assert::same('local', $report['results'][5]['stage']);
        Assert::same(5, $report['results'][5]['index']);
    },
    'getSmsPriceProfile answers 200' => function (Context $ctx) {
        Assert::response(200, (new SmsClient($ctx->token))->getSmsPriceProfile());
    },
    'a wrong token is a 401 response' => function (Context $ctx) {
        Assert::response(401, (new SmsClient('wrong-token'))->sendSms('Acme', '+34600100013', 'x'));
    },
    'a local validation failure is a VALIDATION exception' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () use ($ctx) {
            (new SmsClient($ctx->token))->sendSms('Acme', 'not-a-number', 'x');
        });
        Assert::same('VALIDATION', $e->getErrorCode());
        Assert::same(null, $e->getHttpStatus());
        Assert::contains('to', $e->getMessage());
    },
    'no server is a TRANSPORT exception without HTTP status' => function (Context $ctx) {
        $client = new SmsClient($ctx->token, ['base_url' => 'http://127.0.0.1:9/transactional/v1', 'max_retries' => 0]);
        $e = Assert::throws(InstasentException::class, function () use ($client) {
            $client->sendSms('Acme', '+34600100014', 'x');
        });
        Assert::same('TRANSPORT', $e->getErrorCode());
        Assert::same(null, $e->getHttpStatus());
    },
    'an empty token is refused' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () {
            new SmsClient('');
        });
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
    },
    'a plain-http remote base URL is refused' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () use ($ctx) {
            new SmsClient($ctx->token, ['base_url' => 'http://example.com/transactional/v1']);
        });
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
    },
    'invalid UTF-8 is INVALID_UTF8' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () use ($ctx) {
            (new SmsClient($ctx->token))->sendSms('Acme', '+34600100015', "bad \xff byte");
        });
        Assert::same('INVALID_UTF8', $e->getErrorCode());
    },
    'a text over 1 MiB is refused' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () use ($ctx) {
            (new SmsClient($ctx->token))->sendSms('Acme', '+34600100016', str_repeat('a', (1 << 20) + 1));
        });
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
        Assert::contains('1 MiB', $e->getMessage());
    },
    'numbers that would mean "the default" or wrap in C are refused before they cross' => function (Context $ctx) {
        $refused = function (callable $call, string $what) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::contains($what, $e->getMessage());
        };
        foreach ([
            [['concurrency' => 0], 'concurrency'], [['concurrency' => -1], 'concurrency'],
            [['concurrency' => 'lots'], 'concurrency'], [['timeout_ms' => 0], 'timeout_ms'],
            [['max_retries' => -1], 'max_retries'], [['max_retries' => 4294967296], 'max_retries'],
        ] as [$options, $what]) {
            $refused(fn () => new SmsClient($ctx->token, $options), "$what must be a whole number");
        }
        $client = new SmsClient($ctx->token, ['concurrency' => '3', 'max_retries' => 0]);
        $before = count($ctx->sandbox->messages());
        $refused(fn () => $client->getSms(-1, 10), 'whole number');
        // 2^32 + 10 would have crossed as 10.
        $refused(fn () => $client->getSms(1, 4294967306), 'whole number');
        $refused(fn () => (new VerifyClient($ctx->token))->requestVerify('Acme', '+34600100018', 'code %token%', -1, 60), 'whole number');
        Assert::same($before, count($ctx->sandbox->messages()));
        Assert::response(200, $client->getSms(1, 2));
    },
    'an unknown client option is refused, naming it, instead of being ignored' => function (Context $ctx) {
        // 'baseUrl' for 'base_url' used to fall back to $INSTASENT_BASE_URL or production, unnoticed.
        foreach ([SmsClient::class, VerifyClient::class, LookupClient::class, AccountClient::class] as $class) {
            foreach (['baseUrl' => 'http://127.0.0.1:9/transactional/v1', 'timeout' => 5] as $key => $value) {
                $e = Assert::throws(InstasentException::class, function () use ($ctx, $class, $key, $value) {
                    new $class($ctx->token, [$key => $value]);
                });
                Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
                Assert::contains("`$key`", $e->getMessage(), $class);
                Assert::contains('base_url, timeout_ms, max_retries, concurrency', $e->getMessage(), $class);
            }
        }
        $all = ['base_url' => $ctx->sandbox->baseUrl(), 'timeout_ms' => 5000, 'max_retries' => 1, 'concurrency' => 2];
        Assert::response(200, (new SmsClient($ctx->token, $all))->getSms(1, 1));
    },
    'max_retries past 2^31-1 is refused: the C field is an int32_t' => function (Context $ctx) {
        // 2^31 would have crossed as -2147483648, which the library reads as "the default policy".
        foreach ([2147483648, 4294967295] as $retries) {
            $e = Assert::throws(InstasentException::class, function () use ($ctx, $retries) {
                new SmsClient($ctx->token, ['max_retries' => $retries]);
            });
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::contains('max_retries must be a whole number from 0 to 2147483647', $e->getMessage());
        }
        Assert::response(200, (new SmsClient($ctx->token, ['max_retries' => 2147483647]))->getSms(1, 1));
    },
    'a NUL byte in a string is refused instead of cutting it short' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $before = count($ctx->sandbox->messages());
        foreach ([
            fn () => $client->sendSms('Acme', '+34600100019', "Code 1234\0secret"),
            fn () => $client->sendSms('Acme', '+34600100019', 'x', "ref\0more"),
            fn () => $client->sendUnicodeSms('Acme', "+34600100019\0", 'x'),
            fn () => (new VerifyClient($ctx->token))->requestVerify('Acme', '+34600100019', "Code %token%\0 and more", 6, 300),
            fn () => new SmsClient($ctx->token . "\0rest"),
            fn () => new SmsClient($ctx->token, ['base_url' => $ctx->sandbox->baseUrl() . "\0/elsewhere"]),
        ] as $i => $call) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode(), "call $i");
            Assert::contains('NUL byte', $e->getMessage(), "call $i");
        }
        Assert::same($before, count($ctx->sandbox->messages()), 'nothing was sent');
    },
    'every sent message reaches the sandbox ledger' => function (Context $ctx) {
        $before = count($ctx->sandbox->messages());
        (new SmsClient($ctx->token))->sendSms('Acme', '+34600100017', 'ledger');
        Assert::same($before + 1, count($ctx->sandbox->messages()));
    },
];
