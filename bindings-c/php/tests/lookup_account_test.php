<?php
declare(strict_types=1);

use Instasent\AccountClient;
use Instasent\LookupClient;

return [
    'doLookup creates a lookup' => function (Context $ctx) {
        $body = Assert::response(201, (new LookupClient($ctx->token))->doLookup('+34600200001'));
        Assert::true(is_string($body['entity']['id']), 'entity.id');
        Assert::same('+34600200001', $body['entity']['to']);
    },
    'getLookupById reads it back' => function (Context $ctx) {
        $client = new LookupClient($ctx->token);
        $created = Assert::response(201, $client->doLookup('+34600200002'));
        $body = Assert::response(200, $client->getLookupById($created['entity']['id']));
        Assert::same($created['entity']['id'], $body['entity']['id']);
    },
    'getLookupById of an unknown id is 404' => function (Context $ctx) {
        Assert::response(404, (new LookupClient($ctx->token))->getLookupById('no-such-lookup'));
    },
    'getLookups lists them' => function (Context $ctx) {
        $body = Assert::response(200, (new LookupClient($ctx->token))->getLookups(1, 10));
        Assert::true(count($body['entities']) >= 2, 'at least the two lookups made above');
        Assert::response(200, (new LookupClient($ctx->token))->getLookups());
    },
    'getLookupPriceProfile answers 200' => function (Context $ctx) {
        Assert::response(200, (new LookupClient($ctx->token))->getLookupPriceProfile());
    },
    'INSTASENT_LOG=debug writes a line per attempt to stderr without the token; off, nothing' => function (Context $ctx) {
        $code = <<<'PHP'
            $r = (new Instasent\AccountClient(getenv('INSTASENT_TOKEN')))->getAccountBalance();
            echo $r['response_code'], "\n";
            PHP;
        [$status, $out, $err] = Child::php($code, [], ['INSTASENT_LOG' => 'debug', 'INSTASENT_TOKEN' => $ctx->token]);
        Assert::same([0, "200\n"], [$status, $out], $err);
        $lines = explode("\n", trim($err));
        Assert::same(1, count($lines), $err);
        Assert::true(
            str_contains($lines[0], ' DEBUG ')
                && str_contains($lines[0], 'answered endpoint="GET /organization/account" status=200 attempt=1'),
            $err
        );
        Assert::true(!str_contains($err, $ctx->token), 'the token is not logged');
        [$status, $out, $err] = Child::php($code, [], ['INSTASENT_LOG' => 'off', 'INSTASENT_TOKEN' => $ctx->token]);
        Assert::same([0, "200\n", ''], [$status, $out, $err]);
    },
    'getAccountBalance gives available and currency' => function (Context $ctx) {
        $body = Assert::response(200, (new AccountClient($ctx->token))->getAccountBalance());
        Assert::true(is_numeric($body['entity']['available']), 'entity.available');
        Assert::true(is_string($body['entity']['currency']), 'entity.currency');
    },
    'getAccountBalance with a wrong token is 401' => function (Context $ctx) {
        Assert::response(401, (new AccountClient('nope'))->getAccountBalance());
    },
];
