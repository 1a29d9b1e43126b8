<?php
declare(strict_types=1);

use Instasent\Exception\InstasentException;
use Instasent\SmsClient;

/** $count messages numbered from $first; input $bad (if any) has an invalid number. */
function campaign_messages(int $count, ?int $bad = null, ?callable $onRead = null): \Generator
{
    for ($i = 0; $i < $count; $i++) {
        if ($onRead !== null) {
            $onRead($i);
        }
        yield ['from' => 'Acme', 'to' => $i === $bad ? 'nope' : sprintf('+3461300%04d', $i), 'text' => "streamed $i"];
    }
}

return [
    'campaign streams one result per input, keyed by its index' => function (Context $ctx) {
        $before = count($ctx->sandbox->messages());
        $results = [];
        $stream = (new SmsClient($ctx->token))->campaign(campaign_messages(530, 77), ['batch_size' => 50, 'concurrency' => 2]);
        foreach ($stream as $index => $result) {
            Assert::true(!isset($results[$index]), "index $index yielded once");
            Assert::same($index, $result['index']);
            $results[$index] = $result;
        }
        Assert::same(530, count($results));
        $indexes = array_keys($results);
        sort($indexes);
        Assert::same(range(0, 529), $indexes);
        Assert::same('rejected', $results[77]['outcome']);
        Assert::same('local', $results[77]['stage']);
        $accepted = count(array_filter($results, function ($r) { return $r['outcome'] === 'accepted'; }));
        Assert::same(529, $accepted);
        Assert::same($before + 529, count($ctx->sandbox->messages()), 'the ledger holds exactly the accepted ones');
    },
    'campaign reads its input a batch at a time, however slow the loop' => function (Context $ctx) {
        $read = 0;
        $taken = 0;
        $ahead = 0;
        $input = campaign_messages(3000, null, function (int $i) use (&$read) { $read = $i + 1; });
        foreach ((new SmsClient($ctx->token))->campaign($input, ['batch_size' => 50, 'concurrency' => 2]) as $result) {
            $taken++;
            $ahead = max($ahead, $read - $taken);
            usleep(100);
        }
        Assert::same(3000, $taken);
        // The batch being gathered, plus the campaign's bound: 50 × (2 × 2 + 2) between a push
        // and the return for the results after it. Without the bound a slow request let the
        // results behind it pile up (held back to keep input order), and the input run ahead.
        Assert::true($ahead <= 50 + 50 * (2 * 2 + 2), "read at most 7 batches ahead of the results taken, saw $ahead");
    },
    'leaving a campaign early sends nothing more' => function (Context $ctx) {
        $before = count($ctx->sandbox->messages());
        foreach ((new SmsClient($ctx->token))->campaign(campaign_messages(20000), ['batch_size' => 100, 'concurrency' => 2]) as $result) {
            break;
        }
        // A campaign still sending would reach all 20,000 without ever going quiet.
        $sent = Assert::settledCount($ctx->sandbox) - $before;
        Assert::true(0 < $sent && $sent < 20000, "sent $sent of 20000");
    },
    'a failing input stops the campaign: what went out is yielded, then the exception' => function (Context $ctx) {
        $before = count($ctx->sandbox->messages());
        $input = (function () {
            yield from campaign_messages(260);
            throw new \RuntimeException('the CSV broke');
        })();
        $results = [];
        $e = Assert::throws(\RuntimeException::class, function () use ($ctx, $input, &$results) {
            foreach ((new SmsClient($ctx->token))->campaign($input, ['batch_size' => 50]) as $index => $result) {
                $results[$index] = $result;
            }
        });
        Assert::same('the CSV broke', $e->getMessage());
        $accepted = count(array_filter($results, function ($r) { return $r['outcome'] === 'accepted'; }));
        Assert::same(count($results), $accepted);
        Assert::same($before + $accepted, count($ctx->sandbox->messages()), 'every message sent was reported');
        Assert::true($accepted <= 260, "$accepted accepted");
    },
    'an item that is not an array stops the campaign with INVALID_ARGUMENT naming it' => function (Context $ctx) {
        $input = (function () {
            yield from campaign_messages(3);
            yield 'not a message';
        })();
        $e = Assert::throws(InstasentException::class, function () use ($ctx, $input) {
            foreach ((new SmsClient($ctx->token))->campaign($input) as $result) {
            }
        });
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
        Assert::contains('Instasent\SmsClient::campaign(): $messages item 3', $e->getMessage());
    },
    'a re-run with resume sends nothing twice and reports the earlier acceptances' => function (Context $ctx) {
        $messages = function () {
            for ($i = 0; $i < 150; $i++) {
                yield ['from' => 'Acme', 'to' => sprintf('+3461400%04d', $i), 'text' => "resumable $i", 'clientId' => "php-resume-$i"];
            }
        };
        $client = new SmsClient($ctx->token);
        $before = count($ctx->sandbox->messages());
        $first = iterator_to_array($client->campaign($messages(), ['batch_size' => 40]));
        Assert::same(150, count($first));
        Assert::same($before + 150, count($ctx->sandbox->messages()));
        $again = iterator_to_array($client->campaign($messages(), ['batch_size' => 40, 'resume' => true]));
        Assert::same(150, count($again));
        foreach ($again as $index => $result) {
            Assert::same('accepted', $result['outcome'], "input $index");
            Assert::same(true, $result['acceptedEarlier'], "input $index");
            Assert::same("php-resume-$index", $result['clientId']);
        }
        Assert::same($before + 150, count($ctx->sandbox->messages()), 'nothing sent twice');
    },
    'resume takes a real bool: the string \'false\' is refused, not read as true' => function (Context $ctx) {
        // Cast, 'false' turned resume on, and a re-run's refused duplicate came back accepted.
        $client = new SmsClient($ctx->token);
        $row = ['from' => 'Acme', 'to' => '+34614009999', 'text' => 'resume flag', 'clientId' => 'php-resume-flag'];
        Assert::same('accepted', iterator_to_array($client->campaign([$row]))[0]['outcome']);
        $before = count($ctx->sandbox->messages());
        foreach (['false' => "'false'", 'true' => "'true'", 'no' => "'no'", '' => "''", 0 => '0', 1 => '1', 'list' => 'array'] as $key => $shown) {
            $value = $key === 'list' ? [] : $key;
            $e = Assert::throws(InstasentException::class, fn () => $client->campaign([$row], ['resume' => $value]));
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::same("INVALID_ARGUMENT: Instasent\\SmsClient::campaign(): \$options['resume'] must be true or false, got $shown", $e->getMessage());
        }
        Assert::same($before, count($ctx->sandbox->messages()), 'nothing sent by the refused calls');
        foreach ([false, null] as $off) {
            $result = iterator_to_array($client->campaign([$row], ['resume' => $off]))[0];
            Assert::true($result['outcome'] !== 'accepted', 'without resume the duplicate is not accepted: ' . json_encode($result));
        }
        $resumed = iterator_to_array($client->campaign([$row], ['resume' => true]))[0];
        Assert::same(['accepted', true], [$resumed['outcome'], $resumed['acceptedEarlier'] ?? null]);
        Assert::same($before, count($ctx->sandbox->messages()), 'nothing sent twice');
    },
    'validate => false leaves the judging to the API; it takes a real bool' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $rows = [
            ['from' => 'Acme', 'to' => '+34614008881', 'text' => 'fine'],
            ['from' => 'Acme', 'to' => '12', 'text' => 'bad number'],
        ];
        $unchecked = iterator_to_array($client->campaign($rows, ['validate' => false]));
        Assert::same(['accepted', 'rejected'], array_column($unchecked, 'outcome'));
        Assert::same('server', $unchecked[1]['stage']);
        Assert::true(count($unchecked[1]['fields']['to'] ?? []) > 0, json_encode($unchecked[1]));
        foreach ([[], ['validate' => true], ['validate' => null]] as $options) {
            $checked = iterator_to_array($client->campaign($rows, $options));
            Assert::same('local', $checked[1]['stage'], json_encode($options));
        }
        $e = Assert::throws(InstasentException::class, fn () => $client->campaign($rows, ['validate' => 'false']));
        Assert::same("INVALID_ARGUMENT: Instasent\\SmsClient::campaign(): \$options['validate'] must be true or false, got 'false'", $e->getMessage());
    },
    'a message may spell clientId and allowUnicode client_id and allow_unicode, not both at once' => function (Context $ctx) {
        // Rows from snake_case columns: a clientId read past would be replaced by a generated
        // one and a re-run would send the message again.
        $row = fn (int $n, string $tag) => ['from' => 'Acme', 'to' => sprintf('+3461500%04d', $n), 'text' => 'ñandú', 'client_id' => "$tag-$n", 'allow_unicode' => true];
        $client = new SmsClient($ctx->token);
        $before = count($ctx->sandbox->messages());
        $streamed = iterator_to_array($client->campaign([$row(1, 'php-snake'), $row(2, 'php-snake')]));
        Assert::same(['accepted', 'accepted'], array_column($streamed, 'outcome'));
        Assert::same(['php-snake-1', 'php-snake-2'], array_column($streamed, 'clientId'));
        $again = iterator_to_array($client->campaign([$row(1, 'php-snake')], ['resume' => true]));
        Assert::same(true, $again[0]['acceptedEarlier'] ?? null, 'the re-run found the same clientId');
        Assert::response(201, $client->sendBulkSms([$row(3, 'php-snake')]));
        $sent = array_slice($ctx->sandbox->messages(), $before);
        Assert::same(3, count($sent), 'three messages, none twice');
        foreach ($sent as $m) {
            Assert::contains('php-snake-', $m['clientId']);
            Assert::same('UCS-2', $m['encoding']);
        }
        $both = ['from' => 'Acme', 'to' => '+34615009999', 'text' => 'x', 'clientId' => 'a', 'client_id' => 'b'];
        foreach ([fn () => iterator_to_array($client->campaign([$both])), fn () => $client->sendCampaign([$both]), fn () => $client->sendBulkSms([$both])] as $call) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::contains('both `clientId` and `client_id` are given', $e->getMessage());
        }
        Assert::same($before + 3, count($ctx->sandbox->messages()), 'nothing sent by the refused calls');
    },
    'a message whose text is not UTF-8 is INVALID_UTF8 in every sending call, and nothing is sent' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $before = count($ctx->sandbox->messages());
        $bad = ['from' => 'Acme', 'to' => '+34615008888', 'text' => "caf\xE9"];
        $good = ['from' => 'Acme', 'to' => '+34615008887', 'text' => 'fine'];
        foreach ([fn () => $client->sendBulkSms([$good, $bad]), fn () => $client->sendCampaign([$good, $bad])] as $call) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_UTF8', $e->getErrorCode());
            Assert::contains('message', $e->getMessage());
        }
        $e = Assert::throws(InstasentException::class, fn () => iterator_to_array($client->campaign([$bad])));
        Assert::same('INVALID_UTF8', $e->getErrorCode());
        Assert::contains('Instasent\SmsClient::campaign(): $messages item 0', $e->getMessage());
        Assert::same($before, count($ctx->sandbox->messages()), 'nothing sent');
    },
    'a value of the wrong type is named by where it sits, and nothing is sent' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        $before = count($ctx->sandbox->messages());
        $good = ['from' => 'Acme', 'to' => '+34615007777', 'text' => 'fine'];
        $bad = ['from' => 'Acme', 'to' => 34615007776, 'text' => 'a number for to'];
        foreach ([
            'message 1: to: invalid type: integer' => fn () => $client->sendBulkSms([$good, $bad]),
            'message 1 (line 2): to: invalid type: integer' => fn () => $client->sendCampaign([$good, $bad]),
            // Streamed, one message per push: named by its place in the whole campaign.
            'message 1 (line 1): to: invalid type: integer' => fn () => iterator_to_array($client->campaign([$good, $bad], ['batch_size' => 1])),
        ] as $says => $call) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            Assert::contains($says, $e->getMessage());
        }
        // At most the streamed campaign's first push, which went out before the bad one was read.
        $sent = count($ctx->sandbox->messages()) - $before;
        Assert::true($sent <= 1, "nothing of the refused calls sent ($sent)");
    },
    'bad campaign options throw at the call' => function (Context $ctx) {
        $client = new SmsClient($ctx->token);
        foreach ([['batch_size' => 0], ['batch_size' => 101], ['batch_size' => 4294967396], ['concurrency' => 0], ['concurrency' => -1], ['concurrency' => 4294967296], ['speed' => 1]] as $options) {
            $e = Assert::throws(InstasentException::class, function () use ($client, $options) {
                $client->campaign([], $options);
            });
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
            if (isset($options['batch_size'])) {
                Assert::contains('batch', $e->getMessage(), json_encode($options));
            }
            if (isset($options['speed'])) {
                Assert::contains('`speed` (known: concurrency, batch_size, resume, validate)', $e->getMessage());
            }
        }
    },
];
