<?php
declare(strict_types=1);

use Instasent\Exception\InstasentException;

return [
    'getErrorCode documents every code of the core with its meaning (tests/vectors/errors.json)' => function (Context $ctx) {
        $vector = json_decode((string) file_get_contents(__DIR__ . '/../../../tests/vectors/errors.json'), true);
        $doc = (string) (new \ReflectionMethod(InstasentException::class, 'getErrorCode'))->getDocComment();
        // The codes it lists are the core's and the three only the C library beneath raises.
        preg_match_all('/- `([A-Z_0-9]+)`:/', $doc, $listed);
        Assert::same(
            array_merge(array_column($vector, 'code'), ['INVALID_UTF8', 'NULL_ARGUMENT', 'PANIC']),
            $listed[1]
        );
        // The docblock's text as one line: its `*` margins and line breaks as single spaces.
        $doc = (string) preg_replace('/\s+/', ' ', (string) preg_replace('/^\s*(\/\*\*|\*\/|\*)/m', ' ', $doc));
        foreach ($vector as $error) {
            $item = "`{$error['code']}`: {$error['meaning']}";
            Assert::same(true, str_contains($doc, $item), "not documented: $item");
        }
    },
];
