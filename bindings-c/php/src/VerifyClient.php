<?php

namespace Instasent;

use Instasent\Internal\ApiClient;

/**
 * Verify: send a one-time code by SMS, then check what the user typed.
 *
 *     $response = $client->requestVerify('test', '+34647000000', 'Your code is %token%');
 *     $id = json_decode($response['response_body'])->entity->id;
 *     $body = json_decode($client->checkVerify($id, $typed)['response_body']);
 *     $body->entity->status === 'verified';
 */
class VerifyClient extends ApiClient
{
    /**
     * POST /verify. `$text` holds `%token%` where the code goes; `$tokenLength` digits, valid
     * for `$timeout` seconds (6 and 300 when left out, as in Instasent's own PHP library).
     */
    public function requestVerify(string $from, string $to, string $text, int $tokenLength = 6, int $timeout = 300, ?string $clientId = null): array
    {
        return $this->call(__METHOD__, 'request_verify', ['from' => $from, 'to' => $to, 'text' => $text, 'tokenLength' => $tokenLength, 'timeout' => $timeout, 'clientId' => $clientId]);
    }

    /** GET /verify/{id}?token= — `entity.status` is "verified" when the code matched. */
    public function checkVerify(string $id, #[\SensitiveParameter] string $token): array
    {
        return $this->call(__METHOD__, 'check_verify', ['id' => $id, 'token' => $token]);
    }

    /** GET /verify/{id} */
    public function getVerifyById(string $id): array
    {
        return $this->call(__METHOD__, 'get_verify_by_id', ['id' => $id]);
    }

    /** GET /verify?page=&per_page= */
    public function getVerify(int $page = 1, int $perPage = 10): array
    {
        return $this->call(__METHOD__, 'get_verify', ['page' => $page, 'perPage' => $perPage]);
    }
}
