<?php
declare(strict_types=1);

use Instasent\Dlr;
use Instasent\Exception\InstasentException;
use Instasent\Segments;

function sorted_keys($value)
{
    if (!is_array($value)) {
        return $value;
    }
    if (array_keys($value) !== range(0, count($value) - 1)) {
        ksort($value);
    }
    return array_map('sorted_keys', $value);
}

return [
    'Segments::analyze counts GSM-7 extension characters twice' => function (Context $ctx) {
        $a = Segments::analyze('Hello {world}');
        Assert::same('GSM-7', $a['encoding']);
        Assert::same(15, $a['units']);
        Assert::same(1, $a['segments']);
        Assert::same(['Hello {world}'], $a['parts']);
    },
    'Segments::analyze splits UCS-2 at 67 units' => function (Context $ctx) {
        $a = Segments::analyze(str_repeat('ж', 71));
        Assert::same('UCS-2', $a['encoding']);
        Assert::same(2, $a['segments']);
        Assert::same(str_repeat('ж', 71), implode('', $a['parts']));
        Assert::same(['ж'], $a['unicodeChars']);
    },
    'Segments::analyze with smart encoding replaces look-alikes' => function (Context $ctx) {
        $a = Segments::analyze("\u{201C}Hi\u{201D}", true);
        Assert::same('GSM-7', $a['encoding']);
        Assert::same('"Hi"', $a['text']);
        Assert::same(true, $a['smartApplied']);
        Assert::same('"Hi"', Segments::smartEncode("\u{201C}Hi\u{201D}"));
    },
    'Segments::analyze rejects an unknown shift table' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () {
            Segments::analyze('x', false, 'klingon');
        });
        Assert::same('INVALID_ARGUMENT', $e->getErrorCode());
    },
    'Dlr::parse reads the documented webhook' => function (Context $ctx) {
        $r = Dlr::parse('{"id":"sms-id","clientId":"custom-id","status":"delivered","code":0,"eventAt":"2026-04-21T10:15:00Z"}');
        Assert::same('webhook', $r['source']);
        Assert::same('delivered', $r['status']);
        Assert::same('custom-id', $r['clientId']);
        Assert::same(true, $r['isFinal']);
    },
    'Dlr::parseSmppReceipt reads a receipt' => function (Context $ctx) {
        $r = Dlr::parseSmppReceipt('id:42 sub:001 dlvrd:001 submit date:2604211010 done date:2604211015 stat:DELIVRD err:000 text:none');
        Assert::same('smpp', $r['source']);
        Assert::same('DELIVRD', $r['rawStatus']);
        Assert::same(true, $r['delivered']);
    },
    'Dlr::parse of garbage is DECODE' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () {
            Dlr::parse('garbage');
        });
        Assert::same('DECODE', $e->getErrorCode());
        Assert::same(null, $e->getHttpStatus());
    },
    'Dlr::parse passes NUL bytes through instead of truncating' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () {
            Dlr::parseWebhook("{\"id\":\"a\",\"status\":\"delivered\"}\0trailing");
        });
        Assert::same('DECODE', $e->getErrorCode());
    },
    'a NUL byte in a text for Segments or Dlr is refused instead of cutting it short' => function (Context $ctx) {
        // "Hi\0" followed by 200 characters would have been analysed as the one-segment "Hi".
        foreach ([
            fn () => Segments::analyze("Hi\0" . str_repeat('a', 200)),
            fn () => Segments::analyze('Hi', false, "spanish\0"),
            fn () => Segments::smartEncode("Hi\0there"),
            fn () => Dlr::parseSmppReceipt("id:42 stat:DELIVRD err:000\0 stat:UNDELIV"),
        ] as $i => $call) {
            $e = Assert::throws(InstasentException::class, $call);
            Assert::same('INVALID_ARGUMENT', $e->getErrorCode(), "call $i");
            Assert::contains('NUL byte', $e->getMessage(), "call $i");
        }
    },
    'every case of tests/vectors/encoding.json' => function (Context $ctx) {
        $cases = json_decode(file_get_contents($ctx->vectors . '/encoding.json'), true, 512, JSON_THROW_ON_ERROR);
        Assert::true(count($cases) >= 50, 'cases present');
        foreach ($cases as $case) {
            $a = Segments::analyze($case['text'], $case['options']['smart'], $case['options']['shiftTable']);
            foreach ($case['expected'] as $field => $want) {
                Assert::true(array_key_exists($field, $a), "[{$case['name']}] $field present");
                Assert::same($want, $a[$field], "[{$case['name']}] $field");
            }
        }
    },
    'every case of tests/vectors/dlr.json' => function (Context $ctx) {
        $cases = json_decode(file_get_contents($ctx->vectors . '/dlr.json'), true, 512, JSON_THROW_ON_ERROR);
        Assert::true(count($cases) >= 50, 'cases present');
        foreach ($cases as $case) {
            $input = $case['input'];
            $payload = is_string($input) ? $input : json_encode($input, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
            $specific = [
                'webhook' => [Dlr::class, 'parseWebhook'],
                'insider' => [Dlr::class, 'parseInsiderEvent'],
                'smpp' => [Dlr::class, 'parseSmppReceipt'],
            ][$case['format']];
            foreach (['specific' => $specific, 'auto' => [Dlr::class, 'parse']] as $which => $parser) {
                $label = "[{$case['name']}] ($which)";
                if (isset($case['expectedError'])) {
                    $e = Assert::throws(InstasentException::class, function () use ($parser, $payload) {
                        $parser($payload);
                    });
                    Assert::same('DECODE', $e->getErrorCode(), $label);
                    if ($which === 'specific' && isset($case['errorContains'])) {
                        Assert::contains($case['errorContains'], $e->getMessage(), $label);
                    }
                    continue;
                }
                $r = $parser($payload);
                foreach ($case['expected'] as $field => $want) {
                    Assert::same($want, $r[$field] ?? null, "$label $field");
                }
                if (!is_string($input)) {
                    // JSON objects are unordered: compare with keys sorted.
                    Assert::same(sorted_keys($input), sorted_keys($r['raw']), "$label raw");
                }
            }
        }
    },
];
