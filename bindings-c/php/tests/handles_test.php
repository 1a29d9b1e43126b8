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
];
