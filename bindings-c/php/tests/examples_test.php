<?php
declare(strict_types=1);

use Instasent\VerifyClient;

/** Runs php/examples/<name>.php in a fresh php process against the sandbox. */
function run_example(Context $ctx, string $name, array $env = []): string
{
    $script = __DIR__ . '/../examples/' . $name . '.php';
    $env = array_merge(getenv(), [
        'INSTASENT_TOKEN' => $ctx->token,
        'INSTASENT_BASE_URL' => $ctx->sandbox->baseUrl(),
    ], $env);
    $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', $script];
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    $code = proc_close($proc);
    Assert::same(0, $code, "$name exit status (stderr: $err, stdout: $out)");
    return $out;
}

return [
    'examples/send_sms.php prints 201 and the entity' => function (Context $ctx) {
        $out = run_example($ctx, 'send_sms');
        Assert::same('201{"entity":', substr($out, 0, 13));
        Assert::contains('"text":"test message"', $out);
    },
    'examples/send_unicode_sms.php prints 201' => function (Context $ctx) {
        $out = run_example($ctx, 'send_unicode_sms');
        Assert::same('201', substr($out, 0, 3));
        Assert::contains('UCS-2', $out);
    },
    'examples/get_sms_by_id.php prints the 404 of the placeholder id' => function (Context $ctx) {
        $out = run_example($ctx, 'get_sms_by_id');
        Assert::same('404', substr($out, 0, 3));
    },
    'examples/lookup.php prints 201' => function (Context $ctx) {
        $out = run_example($ctx, 'lookup');
        Assert::same('201', substr($out, 0, 3));
        Assert::contains('+34666000000', $out);
    },
    'examples/request_verify.php prints 201' => function (Context $ctx) {
        $out = run_example($ctx, 'request_verify');
        Assert::same('201', substr($out, 0, 3));
    },
    'examples/check_verify.php verifies the right code and not a wrong one' => function (Context $ctx) {
        $created = json_decode((new VerifyClient($ctx->token))->requestVerify('test', '+34647000000', 'Your code is %token%', 6, 300)['response_body'], true);
        $id = $created['entity']['id'];
        $code = $ctx->sandbox->verifyCode($id);
        $wrong = $code === '000000' ? '111111' : '000000';
        Assert::contains('not verified', run_example($ctx, 'check_verify', ['VERIFY_ID' => $id, 'VERIFY_TOKEN' => $wrong]));
        Assert::same("verified\n", run_example($ctx, 'check_verify', ['VERIFY_ID' => $id, 'VERIFY_TOKEN' => $code]));
    },
];
