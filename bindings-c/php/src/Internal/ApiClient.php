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
    use OwnsNativeHandle;

    /** The documented ranges of the integer parameters that have one. */
    private const RANGES = ['page' => [1, 0xFFFFFFFF], 'perPage' => [1, 100]];

    /** @var \FFI\CData instasent_client* */
    protected $client;

    /**
     * @param string $token   the api_sms token
     * @param array  $options base_url (else $INSTASENT_BASE_URL, else production), timeout_ms,
     *                        max_retries, concurrency; any other key is refused
     */
    public function __construct(#[\SensitiveParameter] string $token, array $options = [])
    {
        $ffi = Native::ffi();
        $method = static::class . '::__construct';
        Native::options($options, ['base_url', 'timeout_ms', 'max_retries', 'concurrency'], $method);
        $opts = $ffi->instasent_options_default();
        // 0 means "the default" to the library: an explicit 0 timeout or concurrency is refused.
        if (isset($options['timeout_ms'])) {
            $opts->timeout_ms = Native::count(Native::option($method, 'timeout_ms'), $options['timeout_ms'], 1);
        }
        // An int32_t in C, where a negative number means "the default policy".
        if (isset($options['max_retries'])) {
            $opts->max_retries = Native::count(Native::option($method, 'max_retries'), $options['max_retries'], 0, 0x7FFFFFFF);
        }
        if (isset($options['concurrency'])) {
            $opts->concurrency = Native::count(Native::option($method, 'concurrency'), $options['concurrency'], 1);
        }
        $baseUrl = $options['base_url'] ?? null;
        if ($baseUrl !== null) {
            // Copied last and freed in the `finally` below: it must live until instasent_client_new
            // returns, and a refused option above would have leaked it.
            $what = Native::option($method, 'base_url');
            $url = Native::cString(Native::string($what, $baseUrl), $what);
            $opts->base_url = $ffi->cast('const char*', $url);
        }
        $out = Native::slot('instasent_client');
        $err = Native::errorSlot();
        try {
            Native::check($ffi->instasent_client_new(Native::arg($token, Native::param($method, 'token')), \FFI::addr($opts), \FFI::addr($out), \FFI::addr($err)), $err);
        } finally {
            if (isset($url)) {
                \FFI::free($url);
            }
        }
        $this->client = $out;
        Handles::adopt($this, self::class, 'client', 'instasent_client_free');
    }

    public function __destruct()
    {
        Handles::free($this);
    }

    /**
     * Calls `instasent_<function>(client, ...$args, &out, &err)` for the PHP method $method
     * (`__METHOD__`), $args keyed by its parameter names in the C order, and returns the
     * documented shape. A refused argument is named as the caller wrote it: `$perPage`, not
     * "argument 2" of a C function. $args may hold a token (checkVerify's), so it stays out of
     * stack traces.
     */
    protected function call(string $method, string $function, #[\SensitiveParameter] array $args = []): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_response');
        $err = Native::errorSlot();
        $fn = 'instasent_' . $function;
        // Every integer these functions take is a uint32_t (pages, token length, seconds), every
        // string a `const char *`. Pages and page sizes have documented ranges, which a refusal
        // states (rather than "from 0" for a 0 the library then refuses).
        foreach ($args as $name => $arg) {
            if (is_int($arg)) {
                [$min, $max] = self::RANGES[$name] ?? [0, 0xFFFFFFFF];
                Native::count(Native::param($method, $name), $arg, $min, $max);
            } elseif (is_string($arg)) {
                Native::arg($arg, Native::param($method, $name));
            }
        }
        Native::check($ffi->$fn($this->client, ...array_merge(array_values($args), [\FFI::addr($out), \FFI::addr($err)])), $err);
        $response = [
            'response_code' => (int) $out->status,
            'response_body' => \FFI::string($out->body),
        ];
        $ffi->instasent_response_free($out);
        return $response;
    }
}
