<?php
declare(strict_types=1);

use Instasent\Exception\InstasentException;

return [
    'getErrorCode documents every code of the core with its meaning (tests/vectors/errors.json)' => function (Context $ctx) {
        $vector = json_decode((string) file_get_contents(__DIR__ . '/../../../tests/vectors/errors.json'), true);
        Assert::same(12, count($vector));
        $doc = (string) (new \ReflectionMethod(InstasentException::class, 'getErrorCode'))->getDocComment();
        // The docblock's text as one line: its `*` margins and line breaks as single spaces.
        $doc = (string) preg_replace('/\s+/', ' ', (string) preg_replace('/^\s*(\/\*\*|\*\/|\*)/m', ' ', $doc));
        foreach ($vector as $error) {
            $item = "`{$error['code']}`: {$error['meaning']}";
            Assert::same(true, str_contains($doc, $item), "not documented: $item");
        }
    },
];
