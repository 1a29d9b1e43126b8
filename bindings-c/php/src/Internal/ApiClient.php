<?php

namespace Instasent\Internal;

/**
 * What every documented client shares: one native client per object, and calls that return
 * `['response_code' => int, 'response_body' => string]` (the body as JSON text).
 *
 * @internal
 */
abstract class ApiClient
{
    /** @var \FFI\CData instasent_client* */
    protected $client;

    /**
     * @param string $token   the api_sms token
     * @param array  $options base_url (else $INSTASENT_BASE_URL, else production), timeout_ms,
     *                        max_retries, concurrency
     */
    public function __construct(string $token, array $options = [])
    {
        $ffi = Native::ffi();
        $opts = $ffi->instasent_options_default();
        $baseUrl = $options['base_url'] ?? null;
        if ($baseUrl !== null) {
            // Kept on the object: the C string must live until instasent_client_new returns.
            $url = $ffi->new('char[' . (strlen($baseUrl) + 1) . ']', false);
            \FFI::memcpy($url, $baseUrl . "\0", strlen($baseUrl) + 1);
            $opts->base_url = $ffi->cast('const char*', $url);
        }
        if (isset($options['timeout_ms'])) {
            $opts->timeout_ms = (int) $options['timeout_ms'];
        }
        if (isset($options['max_retries'])) {
            $opts->max_retries = (int) $options['max_retries'];
        }
        if (isset($options['concurrency'])) {
            $opts->concurrency = (int) $options['concurrency'];
        }
        $out = Native::slot('instasent_client');
        $err = Native::errorSlot();
        try {
            Native::check($ffi->instasent_client_new($token, \FFI::addr($opts), \FFI::addr($out), \FFI::addr($err)), $err);
        } finally {
            if (isset($url)) {
                \FFI::free($url);
            }
        }
        $this->client = $out;
    }

    public function __destruct()
    {
        if ($this->client !== null) {
            Native::ffi()->instasent_client_free($this->client);
            $this->client = null;
        }
    }

    /**
     * Calls `instasent_<name>(client, ...$args, &out, &err)` and returns the documented shape.
     */
    protected function call(string $name, ...$args): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_response');
        $err = Native::errorSlot();
        $fn = 'instasent_' . $name;
        Native::check($ffi->$fn($this->client, ...array_merge($args, [\FFI::addr($out), \FFI::addr($err)])), $err);
        $response = [
            'response_code' => (int) $out->status,
            'response_body' => \FFI::string($out->body),
        ];
        $ffi->instasent_response_free($out);
        return $response;
    }
}
