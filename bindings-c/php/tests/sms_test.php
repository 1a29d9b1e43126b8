<?php
declare(strict_types=1);

use Instasent\AccountClient;
use Instasent\DeliveryTracker;
use Instasent\Dlr;
use Instasent\Exception\InstasentException;
use Instasent\LookupClient;
use Instasent\Segments;
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
    'findSmsByClientId reads the history for a clientId, past the first page' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $messages = [];
        for ($i = 0; $i < 130; $i++) {
            $messages[] = ['from' => 'Acme', 'to' => '+34612000' . sprintf('%03d', $i), 'text' => "f$i", 'clientId' => "php-find-$i"];
        }
        $report = $client->sendCampaign($messages);
        Assert::same(130, $report['progress']['accepted']);
        // The last message of the history (the suite's sandbox holds other tests' messages
        // too), past the first page of 100; concurrent batches may land in either order.
        $history = [];
        for ($page = 1; ; $page++) {
            $entities = Assert::response(200, $client->getSms($page, 100))['entities'];
            $history = array_merge($history, $entities);
            if (count($entities) < 100) {
                break;
            }
        }
        Assert::true(count($history) > 100, 'more than one page');
        $wanted = end($history);
        Assert::true(str_starts_with($wanted['clientId'], 'php-find-'), $wanted['clientId']);
        $index = (int) substr($wanted['clientId'], strlen('php-find-'));
        $found = $client->findSmsByClientId($wanted['clientId']);
        Assert::same([$report['results'][$index]['id'], $wanted['clientId'], "f$index"], [$found['id'], $found['clientId'], $found['text']]);
        Assert::same(null, $client->findSmsByClientId('php-find-130'));
        $e = Assert::throws(InstasentException::class, fn () => $client->findSmsByClientId(''));
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
    },
    'getSmsPriceProfile answers 200' => function (Context $ctx) {
        Assert::response(200, (new SmsClient($ctx->token))->getSmsPriceProfile());
    },
    'a wrong token is a 401 response' => function (Context $ctx) {
        Assert::response(401, (new SmsClient('wrong-token'))->sendSms('Acme', '+34600100013', 'x'));
    },
    'the package names the library version it needs, which is the one loaded and the workspace\'s' => function (Context $ctx) {
        preg_match('/^version = "([^"]+)"/m', file_get_contents(__DIR__ . '/../../../Cargo.toml'), $m);
        Assert::same($m[1], \Instasent\Internal\Native::LIBRARY_VERSION);
        Assert::same($m[1], \Instasent\Internal\Native::text(\Instasent\Internal\Native::ffi()->instasent_version()));
    },
    'a local validation failure is a VALIDATION exception' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () use ($ctx) {
            (new SmsClient($ctx->token))->sendSms('Acme', 'not-a-number', 'x');
        });
        Assert::same('VALIDATION', $e->getErrorCode());
        Assert::same(null, $e->getHttpStatus());
        Assert::contains('to', $e->getMessage());
        Assert::true(isset($e->getFields()['to'][0]) && is_string($e->getFields()['to'][0]), 'fields[to]');
        Assert::same([false, null], [$e->isMaybeCommitted(), $e->getRetryAfter()]);
    },
    'a send left unanswered is AMBIGUOUS_OUTCOME naming its clientId' => function (Context $ctx) {
        // Another php that reads each request and hangs up without answering.
        $hangUp = <<<'PHP'
            $server = stream_socket_server('tcp://127.0.0.1:0');
            echo substr(strrchr(stream_socket_get_name($server, false), ':'), 1), "\n";
            while ($conn = @stream_socket_accept($server, 60)) {
                fread($conn, 4096);
                fclose($conn);
            }
            PHP;
        $proc = proc_open([PHP_BINARY, '-r', $hangUp], [1 => ['pipe', 'w']], $pipes);
        try {
            $port = (int) fgets($pipes[1]);
            Assert::true($port > 0, 'the server says its port');
            $client = new SmsClient($ctx->token, ['base_url' => "http://127.0.0.1:$port/transactional/v1", 'max_retries' => 0]);
            $e = Assert::throws(InstasentException::class, function () use ($client) {
                $client->sendSms('Acme', '+34600100077', 'x', 'order-77');
            });
            Assert::same('AMBIGUOUS_OUTCOME', $e->getErrorCode());
            Assert::same('order-77', $e->getClientId());
            Assert::same(true, $e->isMaybeCommitted());
            Assert::same([], $e->getFields());
        } finally {
            proc_terminate($proc, 9);
            fclose($pipes[1]);
            proc_close($proc);
        }
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
    'numbers that would wrap in C are refused before they cross; zeros by the core, naming the option' => function (Context $ctx) {
        $refused = function (callable $call, string $what) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::contains($what, $e->getMessage());
        };
        foreach ([
            [['concurrency' => -1], 'concurrency'], [['concurrency' => 'lots'], 'concurrency'],
            [['timeout_ms' => -1], 'timeout_ms'], [['max_retries' => -1], 'max_retries'],
            [['max_retries' => 4294967296], 'max_retries'],
        ] as [$options, $what]) {
            $refused(fn () => new SmsClient($ctx->token, $options), "\$options['$what'] must be a whole number");
        }
        // A zero crosses (it is a uint32_t) and the core refuses it, as for every binding.
        foreach ([
            [['concurrency' => 0], 'concurrency must be at least 1'],
            [['timeout_ms' => 0], 'the timeout must be longer than zero'],
        ] as [$options, $says]) {
            $refused(fn () => new SmsClient($ctx->token, $options), $says);
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
                Assert::contains('base_url, timeout_ms, connect_timeout_ms, max_retries, concurrency, user_agent, token_in_query, allow_insecure_http, pacing', $e->getMessage(), $class);
            }
        }
        $all = ['base_url' => $ctx->sandbox->baseUrl(), 'timeout_ms' => 5000, 'max_retries' => 1, 'concurrency' => 2];
        Assert::response(200, (new SmsClient($ctx->token, $all))->getSms(1, 1));
    },
    'max_retries takes a whole uint32_t and nothing past it' => function (Context $ctx) {
        // 2^32 would have crossed as 0 (never retry).
        $e = Assert::throws(InstasentException::class, fn () => new SmsClient($ctx->token, ['max_retries' => 4294967296]));
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
        Assert::contains("\$options['max_retries'] must be a whole number from 0 to 4294967295", $e->getMessage());
        Assert::response(200, (new SmsClient($ctx->token, ['max_retries' => 4294967295]))->getSms(1, 1));
    },
    'every client option reaches the request, and what the core refuses names the option' => function (Context $ctx) {
        // A server that answers 404 with the request head it read: the user agent and where
        // the token went show in the response body.
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        Assert::true($server !== false, $errstr);
        $port = (int) substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
        $pid = pcntl_fork();
        if ($pid === 0) {
            while ($conn = @stream_socket_accept($server, 30)) {
                $head = '';
                while (!str_contains($head, "\r\n\r\n") && ($chunk = fread($conn, 4096)) !== false && $chunk !== '') {
                    $head .= $chunk;
                }
                fwrite($conn, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: " . strlen($head) . "\r\nConnection: close\r\n\r\n" . $head);
                fclose($conn);
            }
            exit(0);
        }
        fclose($server);
        try {
            $client = new AccountClient('echo-token', [
                'base_url' => "http://127.0.0.1:$port/transactional/v1", 'max_retries' => 0,
                'user_agent' => 'myapp/1.0', 'token_in_query' => true, 'connect_timeout_ms' => 2000,
                'pacing' => false, 'allow_insecure_http' => false,
            ]);
            $response = $client->getAccountBalance();
            Assert::same(404, $response['response_code']);
            $head = json_decode($response['response_body'], true);
            Assert::contains('user-agent: myapp/1.0 instasent-rust/', $head);
            Assert::contains('?access_token=', $head);
            Assert::true(!str_contains($head, 'authorization'), $head);
        } finally {
            posix_kill($pid, SIGKILL);
            pcntl_waitpid($pid, $status);
        }
        foreach ([
            [['connect_timeout_ms' => 0], 'the connect timeout must be longer than zero'],
            [['connect_timeout_ms' => 4294967296], "\$options['connect_timeout_ms'] must be a whole number from 0"],
            [['user_agent' => "caf\u{e9}/1"], 'user agent must be printable ASCII'],
            [['user_agent' => 5], "\$options['user_agent'] must be a string"],
            [['pacing' => 'no'], "\$options['pacing'] must be true or false"],
            [['base_url' => 'http://example.com/v1'], 'http'],
        ] as [$options, $message]) {
            $e = Assert::throws(InstasentException::class, fn () => new SmsClient($ctx->token, $options));
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::contains($message, $e->getMessage());
        }
        // Plain http to a remote host, allowed on request: no request is made to build it.
        new SmsClient($ctx->token, ['base_url' => 'http://example.com/v1', 'allow_insecure_http' => true]);
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
    'the token stays out of stack traces, even where PHP records arguments' => function (Context $ctx) {
        // zend.exception_ignore_args=0 (the development php.ini) puts every argument in the trace.
        $secret = 'php-secret-' . bin2hex(random_bytes(8));
        [$status, $out, $err] = Child::php(<<<'PHP'
            $secret = getenv('SECRET_TOKEN');
            $cases = [
                'client refused by the library' => fn () => new Instasent\SmsClient($secret, ['base_url' => 'http://example.com/v1']),
                'client refused in PHP' => fn () => new Instasent\VerifyClient($secret . "\0", ['base_url' => 'http://example.com/v1']),
                'client option refused' => fn () => new Instasent\LookupClient($secret, ['timeout_ms' => 0]),
                'sandbox refused by the library' => fn () => new Instasent\Testing\Sandbox($secret, 'ftp://dlr.example'),
                'sandbox refused in PHP' => fn () => new Instasent\Testing\Sandbox($secret . "\0"),
                'checkVerify refused in PHP' => fn () => (new Instasent\VerifyClient('t', ['base_url' => 'http://127.0.0.1:9/v1']))->checkVerify('verify-1', $secret . "\0"),
            ];
            foreach ($cases as $name => $case) {
                try {
                    $case();
                    echo "== $name: nothing thrown\n";
                } catch (Instasent\Exception\InstasentException $e) {
                    echo "== $name: ", $e->getErrorCode(), "\n", $e, "\n", print_r($e->getTrace(), true), "\n";
                }
            }
            PHP, ['zend.exception_ignore_args=0', 'zend.exception_string_param_max_len=100'], ['SECRET_TOKEN' => $secret]);
        Assert::same(0, $status, "child exit status (stderr: $err)");
        Assert::same(6, preg_match_all('/^== .*: INVALID_ARGUMENT$/m', $out), "every case threw: $out");
        // The arguments are recorded (the webhook is no secret), only the token is hidden.
        Assert::contains("Instasent\\Testing\\Sandbox->__construct(Object(SensitiveParameterValue), 'ftp://dlr.example')", $out);
        Assert::contains('Instasent\\Internal\\ApiClient->__construct(Object(SensitiveParameterValue), Array)', $out);
        Assert::contains("Instasent\\VerifyClient->checkVerify('verify-1', Object(SensitiveParameterValue))", $out);
        Assert::true(strpos($out . $err, $secret) === false, 'the token is in the output');
    },
    'argument errors say INVALID_ARGUMENT: and name the PHP method and parameter' => function (Context $ctx) {
        $sms = new SmsClient($ctx->token);
        $verify = new VerifyClient($ctx->token);
        $before = count($ctx->sandbox->messages());
        foreach ([
            'Instasent\SmsClient::getSms(): $page must be a whole number from 1 to 4294967295, got -1' => fn () => $sms->getSms(-1),
            'Instasent\SmsClient::getSms(): $perPage must be a whole number from 1 to 100, got 4294967306' => fn () => $sms->getSms(1, 4294967306),
            'Instasent\VerifyClient::getVerify(): $page must be a whole number from 1 to 4294967295, got 0' => fn () => $verify->getVerify(0),
            'Instasent\SmsClient::sendSms(): $text contains a NUL byte' => fn () => $sms->sendSms('Acme', '+34600100020', "a\0b"),
            'Instasent\SmsClient::sendUnicodeSms(): $clientId contains a NUL byte' => fn () => $sms->sendUnicodeSms('Acme', '+34600100020', 'x', "ref\0"),
            'Instasent\SmsClient::getSmsById(): $id contains a NUL byte' => fn () => $sms->getSmsById("id\0"),
            'Instasent\SmsClient::findSmsByClientId(): $clientId contains a NUL byte' => fn () => $sms->findSmsByClientId("ref\0"),
            'Instasent\VerifyClient::requestVerify(): $tokenLength must be a whole number from 0 to 4294967295, got -1' => fn () => $verify->requestVerify('Acme', '+34600100020', 'code %token%', -1),
            'Instasent\VerifyClient::requestVerify(): $timeout must be a whole number from 0 to 4294967295, got -5' => fn () => $verify->requestVerify('Acme', '+34600100020', 'code %token%', 6, -5),
            'Instasent\VerifyClient::checkVerify(): $token contains a NUL byte' => fn () => $verify->checkVerify('v-1', "12\0"),
            'Instasent\LookupClient::doLookup(): $to contains a NUL byte' => fn () => (new LookupClient($ctx->token))->doLookup("+34600100020\0"),
            'Instasent\LookupClient::getLookups(): $perPage must be a whole number from 1 to 100, got -1' => fn () => (new LookupClient($ctx->token))->getLookups(1, -1),
            'Instasent\AccountClient::__construct(): $token contains a NUL byte' => fn () => new AccountClient("t\0"),
            'Instasent\SmsClient::__construct(): $options[\'timeout_ms\'] must be a whole number from 0 to 4294967295, got -1' => fn () => new SmsClient($ctx->token, ['timeout_ms' => -1]),
            'Instasent\SmsClient::__construct(): $options[\'base_url\'] must be a string, got 8080' => fn () => new SmsClient($ctx->token, ['base_url' => 8080]),
            'Instasent\SmsClient::__construct(): $options holds an unknown option `baseUrl` (known: base_url, timeout_ms, connect_timeout_ms, max_retries, concurrency, user_agent, token_in_query, allow_insecure_http, pacing)' => fn () => new SmsClient($ctx->token, ['baseUrl' => 'x']),
            'Instasent\SmsClient::campaign(): $options[\'batch_size\'] must be a whole number from 0 to 4294967295, got -1' => fn () => $sms->campaign([], ['batch_size' => -1]),
            'Instasent\SmsClient::campaign(): $messages item 1 is not [\'from\' =>, \'to\' =>, \'text\' =>]' => fn () => iterator_to_array($sms->campaign([['from' => 'Acme', 'to' => 'nope', 'text' => 'x'], 'x'])),
            'Instasent\Segments::analyze(): $text contains a NUL byte' => fn () => Segments::analyze("a\0"),
            'Instasent\Segments::analyze(): $shiftTable contains a NUL byte' => fn () => Segments::analyze('a', false, "spanish\0"),
            'Instasent\Segments::smartEncode(): $text contains a NUL byte' => fn () => Segments::smartEncode("a\0"),
            'Instasent\Dlr::parseSmppReceipt(): $text contains a NUL byte' => fn () => Dlr::parseSmppReceipt("id:1\0"),
            'Instasent\DeliveryTracker::get(): $id contains a NUL byte' => fn () => (new DeliveryTracker())->get("m\0"),
            'Instasent\Testing\Sandbox::verifyCode(): $verifyId contains a NUL byte' => fn () => $ctx->sandbox->verifyCode("v\0"),
        ] as $message => $call) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode(), $message);
            Assert::same("INVALID_ARGUMENT: $message", $e->getMessage());
        }
        Assert::same($before, count($ctx->sandbox->messages()), 'nothing was sent');
    },
    'every sent message reaches the sandbox ledger' => function (Context $ctx) {
        $before = count($ctx->sandbox->messages());
        (new SmsClient($ctx->token))->sendSms('Acme', '+34600100017', 'ledger');
        Assert::same($before + 1, count($ctx->sandbox->messages()));
    },
];
