<?php

namespace Instasent\Testing;

use Instasent\Internal\Native;

/**
 * A local emulator of the Transactional API on 127.0.0.1 (libinstasent's sandbox), for tests:
 *
 *     $sandbox = new Instasent\Testing\Sandbox();
 *     putenv('INSTASENT_BASE_URL=' . $sandbox->baseUrl());
 *     $client = new Instasent\SmsClient($sandbox->token());
 */
final class Sandbox
{
    /** @var \FFI\CData|null */
    private $handle;
    /** @var string */
    private $token;

    public function __construct(string $token = 'sandbox-token')
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_sandbox');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_sandbox_start($token, \FFI::addr($out), \FFI::addr($err)), $err);
        $this->handle = $out;
        $this->token = $token;
    }

    public function baseUrl(): string
    {
        $url = Native::ffi()->new('const char*');
        Native::ffi()->instasent_sandbox_base_url($this->handle, \FFI::addr($url));
        return \FFI::string($url);
    }

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
        Native::check($ffi->instasent_sandbox_verify_code($this->handle, $verifyId, \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::takeString($out);
    }

    /** Every message the sandbox accepted. */
    public function messages(): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_sandbox_messages_json($this->handle, \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::decode(Native::takeString($out));
    }

    public function stop(): void
    {
        if ($this->handle !== null) {
            Native::ffi()->instasent_sandbox_free($this->handle);
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->stop();
    }
}
