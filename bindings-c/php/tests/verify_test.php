<?php
declare(strict_types=1);

use Instasent\Exception\InstasentException;
use Instasent\VerifyClient;

return [
    'requestVerify then checkVerify with the right code verifies' => function (Context $ctx) {
        $client = new VerifyClient($ctx->token);
        $created = Assert::response(201, $client->requestVerify('Acme', '+34600300001', 'Your code is %token%', 6, 300));
        $id = $created['entity']['id'];
        $code = $ctx->sandbox->verifyCode($id);
        Assert::same(6, strlen($code));
        $wrong = Assert::response(200, $client->checkVerify($id, $code === '000000' ? '111111' : '000000'));
        Assert::true(($wrong['entity']['status'] ?? null) !== 'verified', 'a wrong code does not verify');
        $body = Assert::response(200, $client->checkVerify($id, $code));
        Assert::same('verified', $body['entity']['status']);
    },
    'requestVerify keeps the clientId' => function (Context $ctx) {
        $body = Assert::response(201, (new VerifyClient($ctx->token))->requestVerify('Acme', '+34600300002', 'Code %token%', 4, 60, 'verify-php-1'));
        Assert::same('verify-php-1', $body['entity']['clientId']);
        Assert::same(4, strlen($ctx->sandbox->verifyCode($body['entity']['id'])));
    },
    'requestVerify without tokenLength and timeout: 6 digits valid 300 seconds, as in Instasent\'s library' => function (Context $ctx) {
        $body = Assert::response(201, (new VerifyClient($ctx->token))->requestVerify('Acme', '+34600300004', 'Code %token%'));
        Assert::same(6, $body['entity']['tokenLength']);
        Assert::same(300, $body['entity']['timeout']);
        Assert::same(6, strlen($ctx->sandbox->verifyCode($body['entity']['id'])));
        $named = Assert::response(201, (new VerifyClient($ctx->token))->requestVerify('Acme', '+34600300005', 'Code %token%', clientId: 'verify-php-defaults'));
        Assert::same([6, 300, 'verify-php-defaults'], [$named['entity']['tokenLength'], $named['entity']['timeout'], $named['entity']['clientId']]);
    },
    'getVerifyById and getVerify' => function (Context $ctx) {
        $client = new VerifyClient($ctx->token);
        $created = Assert::response(201, $client->requestVerify('Acme', '+34600300003', 'Code %token%', 6, 300));
        $body = Assert::response(200, $client->getVerifyById($created['entity']['id']));
        Assert::same($created['entity']['id'], $body['entity']['id']);
        Assert::same('pending', $body['entity']['status']);
        $list = Assert::response(200, $client->getVerify(1, 10));
        Assert::true(count($list['entities']) >= 1, 'listed');
        Assert::response(200, $client->getVerify());
    },
    'getVerifyById of an unknown id is 404' => function (Context $ctx) {
        Assert::response(404, (new VerifyClient($ctx->token))->getVerifyById('no-such-verify'));
    },
    'the sandbox helper reports an unknown verification as NOT_FOUND' => function (Context $ctx) {
        $e = Assert::throws(InstasentException::class, function () use ($ctx) {
            $ctx->sandbox->verifyCode('no-such-verify');
        });
        Assert::same('NOT_FOUND', $e->getErrorCode());
    },
];
