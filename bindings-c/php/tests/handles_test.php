<?php
declare(strict_types=1);

return [
    'cloning an object that owns a native handle is refused, and the original keeps working' => function (Context $ctx) {
        // In a child: before the refusal, a clone copied the pointer, both copies freed it, and
        // the process crashed (or read freed memory).
        [$status, $out, $err] = Child::php(<<<'PHP'
            use Instasent\Exception\InstasentException;

            $token = getenv('INSTASENT_TOKEN');
            $sandbox = new Instasent\Testing\Sandbox();
            $owners = [
                'sms' => new Instasent\SmsClient($token),
                'verify' => new Instasent\VerifyClient($token),
                'lookup' => new Instasent\LookupClient($token),
                'account' => new Instasent\AccountClient($token),
                'tracker' => new Instasent\DeliveryTracker(),
                'sandbox' => $sandbox,
            ];
            foreach ($owners as $owner) {
                try {
                    $copy = clone $owner;
                    echo 'cloned ', get_class($owner), "\n";
                } catch (InstasentException $e) {
                    echo $e->getErrorCode(), ' | ', $e->getMessage(), "\n";
                }
                // Dropping the copy (a refused one is destroyed too) must not free the original's.
                unset($copy);
                gc_collect_cycles();
            }
            // A campaign's native handle lives inside its \Generator, which PHP never clones.
            $campaign = $owners['sms']->campaign([['from' => 'Acme', 'to' => '+34600900001', 'text' => 'x']]);
            try {
                clone $campaign;
                echo "cloned the campaign\n";
            } catch (\Error $e) {
                echo "campaign: ", $e->getMessage(), "\n";
            }
            echo 'sms ', $owners['sms']->getSms(1, 1)['response_code'], "\n";
            echo 'verify ', $owners['verify']->getVerify(1, 1)['response_code'], "\n";
            echo 'lookup ', $owners['lookup']->getLookups(1, 1)['response_code'], "\n";
            echo 'account ', $owners['account']->getAccountBalance()['response_code'], "\n";
            echo 'tracker ', $owners['tracker']->record('{"id":"m1","clientId":"c1","status":"delivered","code":0,"eventAt":"2024-01-01T00:00:00Z"}'), "\n";
            echo 'sandbox ', count($sandbox->messages()), "\n";
            echo 'campaign ', iterator_to_array($campaign)[0]['outcome'], "\n";
            unset($owners, $sandbox, $campaign);
            echo "done\n";
            PHP, [], ['INSTASENT_TOKEN' => $ctx->token]);
        Assert::same(0, $status, "child exit status (stdout: $out, stderr: $err)");
        foreach (['SmsClient', 'VerifyClient', 'LookupClient', 'AccountClient', 'DeliveryTracker', 'Testing\Sandbox'] as $class) {
            Assert::contains("INVALID_ARGUMENT | INVALID_ARGUMENT: Instasent\\$class cannot be cloned", $out);
        }
        Assert::same(0, preg_match('/^cloned /m', $out), "nothing was cloned: $out");
        Assert::contains('campaign: Trying to clone an uncloneable object of class Generator', $out);
        foreach (["sms 200\n", "verify 200\n", "lookup 200\n", "account 200\n", "tracker applied\n", "sandbox 0\n", "campaign accepted\n", "done\n"] as $line) {
            Assert::contains($line, $out);
        }
    },
    'dumping the trace of a library error does not read the freed error' => function (Context $ctx) {
        // With arguments recorded, Native::check's freed instasent_error* is in every trace, and
        // print_r / var_dump (error reporters, debuggers) followed it into freed memory.
        [$status, $out, $err] = Child::php(<<<'PHP'
            $calls = [
                'client' => fn () => new Instasent\SmsClient(''),
                'sandbox' => fn () => new Instasent\Testing\Sandbox('sandbox-token', 'ftp://dlr.example'),
                'tracker' => fn () => (new Instasent\DeliveryTracker())->record(['id' => 'm1']),
                'dlr' => fn () => Instasent\Dlr::parse('not a report'),
            ];
            foreach ($calls as $name => $call) {
                try {
                    $call();
                } catch (Instasent\Exception\InstasentException $e) {
                    ob_start();
                    var_dump($e->getTrace());
                    print_r($e->getTrace());
                    $dumped = ob_get_clean();
                    echo "$name: ", $e->getErrorCode(), ', ', substr_count($dumped, 'struct instasent_error*'), " errors dumped\n";
                }
            }
            echo "done\n";
            PHP, ['zend.exception_ignore_args=0']);
        Assert::same(0, $status, "child exit status (stdout: $out, stderr: $err)");
        Assert::same("client: INVALID_ARGUMENT, 2 errors dumped\nsandbox: INVALID_ARGUMENT, 2 errors dumped\n"
            . "tracker: INVALID_ARGUMENT, 2 errors dumped\ndlr: DECODE, 2 errors dumped\ndone\n", $out);
    },
    'a request that dies of a fatal error frees its native handles, after the caller\'s own shutdown functions' => function (Context $ctx) {
        // PHP runs no destructors and no generator `finally` after a fatal error: each client
        // kept its connection and memory for the life of the worker, and a php-fpm worker
        // serving a storm of such requests ran out of file descriptors and crashed.
        // An uncaught exception is left alone: destructors and `finally` run after one.
        foreach ([
            'memory_limit' => ['$hog = []; while (true) { $hog[] = str_repeat("x", 1 << 20); }', "held after: 0\nthe campaign after: NULL_ARGUMENT\nthe client after: NULL_ARGUMENT\n"],
            'max_execution_time' => ['set_time_limit(1); while (true) {}', "held after: 0\nthe campaign after: NULL_ARGUMENT\nthe client after: NULL_ARGUMENT\n"],
            'uncaught exception' => ['throw new RuntimeException("boom");', "held after: 4\nthe campaign after: drained\nthe client after: 200\n"],
        ] as $how => [$die, $after]) {
            [$status, $out, $err] = Child::php(<<<PHP
                use Instasent\Internal\Handles;
                use Instasent\Exception\InstasentException;

                \$sandbox = new Instasent\Testing\Sandbox();
                \$sms = new Instasent\SmsClient(\$sandbox->token(), ['base_url' => \$sandbox->baseUrl()]);
                \$tracker = new Instasent\DeliveryTracker();
                \$campaign = \$sms->campaign((function () {
                    for (\$i = 0; \$i < 1000; \$i++) {
                        yield ['from' => 'Acme', 'to' => '+34600900001', 'text' => "m\$i"];
                    }
                })());
                \$campaign->current();
                register_shutdown_function(function () use (\$sms, \$campaign) {
                    // Registered after the client: it still finds it.
                    echo 'own shutdown function: ', \$sms->getSms(1, 1)['response_code'], "\\n";
                    register_shutdown_function(function () use (\$sms, \$campaign) {
                        echo 'held after: ', Handles::held(), "\\n";
                        // A generator can still be resumed: it must not touch a freed campaign.
                        try {
                            \$taken = iterator_count(\$campaign);
                            echo 'the campaign after: ', \$taken > 0 ? 'drained' : 'empty', "\\n";
                        } catch (InstasentException \$e) {
                            echo 'the campaign after: ', \$e->getErrorCode(), "\\n";
                        }
                        try {
                            \$code = \$sms->getSms(1, 1)['response_code'];
                            echo 'the client after: ', \$code, "\\n";
                        } catch (InstasentException \$e) {
                            echo 'the client after: ', \$e->getErrorCode(), "\\n";
                        }
                    });
                });
                echo 'held before: ', Handles::held(), "\\n";
                $die
                PHP, ['memory_limit=64M']);
            Assert::same(255, $status, "$how: child exit status (stdout: $out, stderr: $err)");
            Assert::same("held before: 4\nown shutdown function: 200\n$after", $out, $how);
        }
    },
    'a broken install says which file is wrong: a header that does not parse, a library that does not load' => function (Context $ctx) {
        $code = <<<'PHP'
            try {
                Instasent\Segments::analyze('x');
                echo "loaded\n";
            } catch (Instasent\Exception\InstasentException $e) {
                echo $e->getMessage(), "\n";
            }
            PHP;
        $include = realpath(__DIR__ . '/../../include');
        // instasent.h has preprocessor lines FFI cannot read: the header is named, not the library.
        [, $out] = Child::php($code, [], ['INSTASENT_HEADER' => "$include/instasent.h"]);
        Assert::contains("the libinstasent header $include/instasent.h does not parse", $out);
        Assert::contains('INSTASENT_HEADER must name instasent_ffi.h', $out);
        [, $out] = Child::php($code, [], ['INSTASENT_LIB' => '/nonexistent/libinstasent.so']);
        Assert::contains('cannot load libinstasent from /nonexistent/libinstasent.so', $out);
        [, $out] = Child::php($code, [], ['INSTASENT_HEADER' => "$include/instasent_ffi.h"]);
        Assert::same("loaded\n", $out);
    },
];
