<?php

namespace Instasent\Testing;

use Instasent\Internal\Handles;
use Instasent\Internal\Native;
use Instasent\Internal\OwnsNativeHandle;

/**
 * A local emulator of the Transactional API on 127.0.0.1 (libinstasent's sandbox), for tests:
 *
 *     $sandbox = new Instasent\Testing\Sandbox();
 *     putenv('INSTASENT_BASE_URL=' . $sandbox->baseUrl());
 *     $client = new Instasent\SmsClient($sandbox->token());
 *
 * With a webhook it POSTs every delivery report there, as the API does (retrying any non-2xx
 * answer): `new Sandbox(webhook: 'http://127.0.0.1:8089/dlr')`.
 */
final class Sandbox
{
    use OwnsNativeHandle;

    /** @var \FFI\CData|null */
    private $handle;
    /** @var string */
    private $token;

    /**
     * @param string      $token      the token requests must carry
     * @param string|null $webhook    where delivery reports are POSTed (http:// or https://);
     *                                null: none (statuses still progress in the ledger)
     * @param int|null    $dlrDelayMs time between one report of a message and its next
     *                                (null: 50 ms)
     */
    public function __construct(#[\SensitiveParameter] string $token = 'sandbox-token', ?string $webhook = null, ?int $dlrDelayMs = null)
    {
        $ffi = Native::ffi();
        $opts = $ffi->instasent_sandbox_options_new();
        try {
            Native::setOption('sandbox_options', $opts, 'token', Native::arg($token, Native::param(__METHOD__, 'token')));
            if ($webhook !== null) {
                Native::setOption('sandbox_options', $opts, 'webhook_url', Native::arg($webhook, Native::param(__METHOD__, 'webhook')));
            }
            if ($dlrDelayMs !== null) {
                // A uint64_t in C: a negative delay would wrap to 584 million years.
                Native::setOption('sandbox_options', $opts, 'dlr_delay_ms', Native::count(Native::param(__METHOD__, 'dlrDelayMs'), $dlrDelayMs, 0, PHP_INT_MAX));
            }
            $out = Native::slot('instasent_sandbox');
            $err = Native::errorSlot();
            Native::check($ffi->instasent_sandbox_start_with($opts, \FFI::addr($out), \FFI::addr($err)), $err);
        } finally {
            $ffi->instasent_sandbox_options_free($opts);
        }
        $this->handle = $out;
        Handles::adopt($this, self::class, 'handle', 'instasent_sandbox_free');
        $this->token = $token;
    }

    /** `http://127.0.0.1:PORT/transactional/v1`: pass it as the client's `base_url` option. */
    public function baseUrl(): string
    {
        $url = Native::ffi()->new('const char*');
        Native::check(Native::ffi()->instasent_sandbox_base_url($this->handle(), \FFI::addr($url)), Native::errorSlot());
        return \FFI::string($url);
    }

    /** The native sandbox; after stop() there is none, and asking for it is an error, not a crash. */
    private function handle(): \FFI\CData
    {
        if ($this->handle === null) {
            throw Native::invalid('the sandbox was stopped');
        }
        return $this->handle;
    }

    /** The token the sandbox accepts. */
    public function token(): string
    {
        return $this->token;
    }

    /** The code sent for a verification (what the user reads in the SMS). */
    public function verifyCode(string $verifyId): string
    {
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_sandbox_verify_code($this->handle(), Native::arg($verifyId, Native::param(__METHOD__, 'verifyId')), \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::takeString($out);
    }

    /** Every message the sandbox accepted. */
    public function messages(): array
    {
        return $this->json('instasent_sandbox_messages_json');
    }

    /**
     * The faults injected now, as `GET /_sandbox/faults` gives them: `errorRate`, `latencyMs`,
     * `dropAfterCommitRate`, `rateLimitBurst` (the forced 429s still to send) and `seed` (null
     * when unset).
     *
     * @return array<string, int|float|null>
     */
    public function faults(): array
    {
        return $this->json('instasent_sandbox_faults_json');
    }

    /** What one of the library's `instasent_sandbox_*_json` getters hands out, decoded. */
    private function json(string $getter): array
    {
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check(Native::ffi()->$getter($this->handle(), \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::decode(Native::takeString($out));
    }

    /**
     * Replaces the faults the sandbox injects, from the next request on. Keys, as
     * `PUT /_sandbox/faults`: `errorRate` (share 0–1 of API requests answered 500 before
     * anything is committed), `dropAfterCommitRate` (share 0–1 of sends committed and then
     * answered by closing the connection), `latencyMs`, `rateLimitBurst` (the next N requests
     * get 429) and `seed`. A key left out is off: `setFaults()` clears them all. An unknown key,
     * a value of the wrong type or a rate outside 0–1 throws InvalidArgumentException, and the
     * faults stay as they were.
     *
     * @param array<string, int|float> $faults
     */
    public function setFaults(array $faults = []): void
    {
        $json = json_encode((object) $faults, JSON_PRESERVE_ZERO_FRACTION);
        if ($json === false) {
            throw Native::invalid('faults: ' . json_last_error_msg());
        }
        $err = Native::errorSlot();
        Native::check(Native::ffi()->instasent_sandbox_set_faults_json($this->handle(), Native::arg($json, Native::param(__METHOD__, 'faults')), \FFI::addr($err)), $err);
    }

    /** Stops the server, its delivery reports and its webhooks. */
    public function stop(): void
    {
        Handles::free($this);
    }

    public function __destruct()
    {
        $this->stop();
    }
}
