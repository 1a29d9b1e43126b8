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

    /** The client options and what each takes: a string, a bool or a whole number. */
    private const OPTIONS = [
        'base_url' => 'string', 'timeout_ms' => 'count', 'connect_timeout_ms' => 'count',
        'max_retries' => 'count', 'concurrency' => 'count', 'user_agent' => 'string',
        'token_in_query' => 'bool', 'allow_insecure_http' => 'bool', 'pacing' => 'bool',
    ];

    /**
     * @param string $token   the api_sms token
     * @param array  $options base_url (else $INSTASENT_BASE_URL, else production), timeout_ms,
     *                        connect_timeout_ms, max_retries, concurrency, user_agent,
     *                        token_in_query, allow_insecure_http, pacing; any other key is
     *                        refused, and null keeps the default
     */
    public function __construct(#[\SensitiveParameter] string $token, array $options = [])
    {
        $ffi = Native::ffi();
        $method = static::class . '::__construct';
        Native::options($options, array_keys(self::OPTIONS), $method);
        $opts = $ffi->instasent_options_new();
        $out = Native::slot('instasent_client');
        try {
            foreach (self::OPTIONS as $name => $type) {
                if (!isset($options[$name])) {
                    continue;
                }
                $what = Native::option($method, $name);
                // Only what cannot cross is checked here: a number past a uint32_t would wrap.
                // The ranges (no zero timeout, a concurrency of 1–1024) are the core's, refused
                // by instasent_client_new.
                $value = match ($type) {
                    'string' => Native::arg(Native::string($what, $options[$name]), $what),
                    'bool' => Native::flag($what, $options[$name]),
                    'count' => Native::count($what, $options[$name]),
                };
                Native::setOption('options', $opts, $name, $value);
            }
            $err = Native::errorSlot();
            Native::check($ffi->instasent_client_new(Native::arg($token, Native::param($method, 'token')), $opts, \FFI::addr($out), \FFI::addr($err)), $err);
        } finally {
            $ffi->instasent_options_free($opts);
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
