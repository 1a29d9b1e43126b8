<?php
// The PHP suite: `php -d ffi.enable=1 tests/run.php` (needs target/release/libinstasent.so or
// $INSTASENT_LIB). Starts one sandbox through libinstasent, points INSTASENT_BASE_URL at it,
// runs every *_test.php (each returns name => fn(Context)), and prints "N passed, M failed".
declare(strict_types=1);

require __DIR__ . '/../autoload.php';
require __DIR__ . '/Assert.php';
require __DIR__ . '/Child.php';

use Instasent\Testing\Sandbox;

final class Context
{
    /** @var Sandbox */
    public $sandbox;
    /** @var string */
    public $token;
    /** @var string */
    public $vectors;
}

$ctx = new Context();
$ctx->sandbox = new Sandbox();
$ctx->token = $ctx->sandbox->token();
$ctx->vectors = realpath(__DIR__ . '/../../../tests/vectors');
// The core reads INSTASENT_BASE_URL when no base_url option is given (as the examples rely on).
putenv('INSTASENT_BASE_URL=' . $ctx->sandbox->baseUrl());

$filter = $argv[1] ?? null;
$passed = 0;
$failed = 0;
foreach (glob(__DIR__ . '/*_test.php') as $file) {
    $tests = require $file;
    foreach ($tests as $name => $test) {
        $label = basename($file, '_test.php') . ' :: ' . $name;
        if ($filter !== null && strpos($label, $filter) === false) {
            continue;
        }
        try {
            $test($ctx);
            $passed++;
            echo "ok   $label\n";
        } catch (\Throwable $e) {
            $failed++;
            echo "FAIL $label\n     " . get_class($e) . ': ' . $e->getMessage() . "\n     at "
                . $e->getFile() . ':' . $e->getLine() . "\n";
        }
    }
}
$ctx->sandbox->stop();
echo "$passed passed, $failed failed\n";
exit($failed === 0 && $passed > 0 ? 0 : 1);
