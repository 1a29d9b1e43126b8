<?php

namespace Instasent\Internal;

use Instasent\Exception\InstasentException;

/**
 * Loads libinstasent once per process and maps its status codes to exceptions (the only place
 * that does). Library: $INSTASENT_LIB, else target/release/libinstasent.so of this repository.
 * Declarations: include/instasent_ffi.h (the header without preprocessor lines), or
 * $INSTASENT_HEADER.
 *
 * @internal
 */
final class Native
{
    /** @var \FFI|null */
    private static $ffi;

    public static function ffi(): \FFI
    {
        if (self::$ffi === null) {
            if (!extension_loaded('ffi')) {
                throw new InstasentException('INVALID_ARGUMENT', 'the PHP FFI extension is not loaded');
            }
            $lib = getenv('INSTASENT_LIB') ?: __DIR__ . '/../../../../target/release/libinstasent.so';
            $header = getenv('INSTASENT_HEADER') ?: __DIR__ . '/../../../include/instasent_ffi.h';
            $declarations = @file_get_contents($header);
            if ($declarations === false) {
                throw new InstasentException('INVALID_ARGUMENT', "cannot read the libinstasent header at $header");
            }
            try {
                self::$ffi = \FFI::cdef($declarations, $lib);
            } catch (\FFI\Exception $e) {
                throw new InstasentException(
                    'INVALID_ARGUMENT',
                    "cannot load libinstasent from $lib (set INSTASENT_LIB; is ffi.enable on?): " . $e->getMessage()
                );
            }
        }
        return self::$ffi;
    }

    /**
     * A whole number bound for a C `uint32_t` (or, with $max 2^31-1, an `int32_t`). Below $min
     * (in C a 0 often means "the default") or past $max (the assignment would wrap) it is
     * refused here, before it crosses; what the API allows within that range is the library's
     * call.
     */
    public static function count(string $what, $value, int $min = 0, int $max = 0xFFFFFFFF): int
    {
        $int = is_bool($value) ? false : filter_var($value, FILTER_VALIDATE_INT);
        if ($int === false || $int < $min || $int > $max) {
            $shown = is_scalar($value) ? var_export($value, true) : gettype($value);
            throw new InstasentException('INVALID_ARGUMENT', "$what must be a whole number from $min to $max, got $shown");
        }
        return $int;
    }

    /**
     * Refuses a key of $options that is not in $known, naming it and the known ones: an option
     * nobody reads (a typo, 'baseUrl' for 'base_url') would otherwise quietly mean "the default".
     */
    public static function options(array $options, array $known, string $what): void
    {
        foreach (array_keys($options) as $name) {
            if (!in_array($name, $known, true)) {
                throw new InstasentException(
                    'INVALID_ARGUMENT',
                    "unknown $what option `$name` (known: " . implode(', ', $known) . ')'
                );
            }
        }
    }

    /**
     * $s as it may cross to a `const char *`: C reads it up to its first NUL byte, so a string
     * holding one would silently be cut short (and the rest dropped) — it is refused instead.
     */
    public static function arg(string $s, string $what): string
    {
        if (strpos($s, "\0") !== false) {
            throw new InstasentException('INVALID_ARGUMENT', "`$what` contains a NUL byte");
        }
        return $s;
    }

    /**
     * $value as JSON for the library. Text that is not UTF-8 is INVALID_UTF8, as everywhere else
     * a string crosses, rather than json_encode's \JsonException.
     */
    public static function json($value, string $what): string
    {
        try {
            return json_encode($value, JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            $code = $e->getCode() === JSON_ERROR_UTF8 ? 'INVALID_UTF8' : 'INVALID_ARGUMENT';
            throw new InstasentException($code, "$code: $what cannot be sent: {$e->getMessage()}");
        }
    }

    /** A fresh `T*` out-parameter slot. */
    public static function slot(string $type): \FFI\CData
    {
        return self::ffi()->new($type . '*');
    }

    /** A fresh `instasent_error*` slot, to pass as FFI::addr($err). */
    public static function errorSlot(): \FFI\CData
    {
        return self::ffi()->new('instasent_error*');
    }

    /** Throws for a non-OK status, freeing the error. */
    public static function check(int $code, \FFI\CData $err): void
    {
        if ($code === 0) {
            return;
        }
        $ffi = self::ffi();
        $name = self::text($ffi->instasent_code_name($code));
        if (\FFI::isNull($err)) {
            throw new InstasentException($name, $name);
        }
        $message = self::text($err->message);
        $status = $err->http_status > 0 ? (int) $err->http_status : null;
        $body = $err->body === null || (!is_string($err->body) && \FFI::isNull($err->body)) ? null : self::text($err->body);
        $ffi->instasent_error_free($err);
        throw new InstasentException($name, $message, $status, $body);
    }

    /**
     * A NUL-terminated copy of $s (checked by `arg`) in C memory, for a `const char *` struct
     * member (function arguments take PHP strings, through `arg`). Not owned by PHP: FFI::free
     * it once the call returned.
     */
    public static function cString(string $s, string $what): \FFI\CData
    {
        self::arg($s, $what);
        $buf = self::ffi()->new('char[' . (strlen($s) + 1) . ']', false);
        \FFI::memcpy($buf, $s . "\0", strlen($s) + 1);
        return $buf;
    }

    /** A C string as PHP sees it: FFI hands `const char *` results over as PHP strings already. */
    public static function text($s): string
    {
        return is_string($s) ? $s : \FFI::string($s);
    }

    /** Reads and frees a returned string. */
    public static function takeString(\FFI\CData $s): string
    {
        $text = \FFI::string($s);
        self::ffi()->instasent_string_free($s);
        return $text;
    }

    /** Decodes JSON the library produced (always valid). */
    public static function decode(string $json): array
    {
        return json_decode($json, true, 512, JSON_THROW_ON_ERROR);
    }
}
