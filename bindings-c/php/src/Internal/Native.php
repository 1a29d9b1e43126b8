<?php

namespace Instasent\Internal;

use Instasent\Exception\InstasentException;

/**
 * Loads libinstasent once per process and maps its status codes to exceptions (the only place
 * that does). Library: $INSTASENT_LIB, else target/release/libinstasent.so of this repository,
 * else libinstasent.so.0 / libinstasent.so through the system loader's search path (a CMake
 * install). Declarations: $INSTASENT_HEADER, else include/instasent_ffi.h (the header without
 * preprocessor lines) of this repository, else instasent_ffi.h where CMake installs it: the
 * include/ beside the lib/ of $INSTASENT_LIB, /usr/local/include or /usr/include.
 *
 * A library or header that cannot be found or loaded is INVALID_ARGUMENT: the package has no
 * code of its own for a broken install (the other codes are the library's), and the message
 * names what was tried and both variables.
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
                throw self::invalid('the PHP FFI extension is not loaded');
            }
            $set = 'set INSTASENT_LIB to libinstasent.so and INSTASENT_HEADER to its instasent_ffi.h';
            $headers = self::headerCandidates();
            $declarations = false;
            foreach ($headers as $header) {
                $declarations = @file_get_contents($header);
                if ($declarations !== false) {
                    break;
                }
            }
            if ($declarations === false) {
                throw self::invalid('cannot read the libinstasent header at ' . implode(', ', $headers) . " ($set)");
            }
            $errors = [];
            foreach (self::libraryCandidates() as $lib) {
                try {
                    self::$ffi = \FFI::cdef($declarations, $lib);
                    break;
                } catch (\FFI\ParserException $e) {
                    // The header, not the library: no other library would fix it.
                    throw self::invalid("the libinstasent header $header does not parse: " . $e->getMessage()
                        . ' (INSTASENT_HEADER must name instasent_ffi.h, the header without preprocessor lines, not instasent.h)');
                } catch (\FFI\Exception $e) {
                    $errors[] = "$lib: " . $e->getMessage();
                }
            }
            if (self::$ffi === null) {
                throw self::invalid('cannot load libinstasent from ' . implode('; ', $errors) . " ($set; is ffi.enable on?)");
            }
            self::checkVersion(self::$ffi, $lib);
        }
        return self::$ffi;
    }

    /** The library version this package is written for; a library of another MAJOR.MINOR is refused. */
    public const LIBRARY_VERSION = '0.1.0';

    /** INSTASENT_NOT_FOUND: what a call that may find nothing answers when it finds nothing. */
    private const NOT_FOUND = 4;

    /**
     * A library of another MAJOR.MINOR has other structs behind the same names: reading its
     * errors or options with this package's declarations would read the wrong memory.
     */
    private static function checkVersion(\FFI $ffi, string $lib): void
    {
        $loaded = self::text($ffi->instasent_version());
        $series = static function (string $v): string {
            return implode('.', array_slice(explode('.', $v), 0, 2));
        };
        if ($series($loaded) !== $series(self::LIBRARY_VERSION)) {
            self::$ffi = null;
            throw self::invalid("libinstasent at $lib is version $loaded; this package needs "
                . $series(self::LIBRARY_VERSION) . '.x (set INSTASENT_LIB to a matching build)');
        }
    }

    /**
     * $INSTASENT_LIB alone when set. Else this repository's cargo output if it exists, else the
     * names the system loader looks up in its search path (where a CMake install puts them).
     *
     * @return list<string>
     */
    private static function libraryCandidates(): array
    {
        $lib = getenv('INSTASENT_LIB');
        if ($lib !== false && $lib !== '') {
            return [$lib];
        }
        $repo = __DIR__ . '/../../../../target/release/libinstasent.so';
        return file_exists($repo) ? [$repo] : ['libinstasent.so.0', 'libinstasent.so'];
    }

    /**
     * $INSTASENT_HEADER alone when set. Else this repository's header, then instasent_ffi.h where
     * `cmake --install` puts it: <prefix>/include beside the <prefix>/lib of $INSTASENT_LIB, and
     * the two usual prefixes.
     *
     * @return list<string>
     */
    private static function headerCandidates(): array
    {
        $header = getenv('INSTASENT_HEADER');
        if ($header !== false && $header !== '') {
            return [$header];
        }
        $headers = [__DIR__ . '/../../../include/instasent_ffi.h'];
        $lib = getenv('INSTASENT_LIB');
        if ($lib !== false && strpos($lib, '/') !== false) {
            $headers[] = dirname($lib, 2) . '/include/instasent_ffi.h';
        }
        $headers[] = '/usr/local/include/instasent_ffi.h';
        $headers[] = '/usr/include/instasent_ffi.h';
        return array_values(array_unique($headers));
    }

    /** An exception PHP raises itself, worded as the library words its own: "CODE: what is wrong". */
    public static function error(string $code, string $message): InstasentException
    {
        return new InstasentException($code, "$code: $message");
    }

    /** INVALID_ARGUMENT, for an argument PHP refuses before it crosses (named through param()). */
    public static function invalid(string $message): InstasentException
    {
        return new InstasentException('INVALID_ARGUMENT', "INVALID_ARGUMENT: $message");
    }

    /**
     * How an error names what the caller passed: the PHP method and its parameter, as PHP's own
     * errors do — `Instasent\SmsClient::sendSms(): $text`. The C function and argument number
     * behind it would mean nothing to the caller.
     */
    public static function param(string $method, string $name): string
    {
        return "$method(): \$$name";
    }

    /** `$options['$key']` of $method, named as param() names a parameter. */
    public static function option(string $method, string $key): string
    {
        return self::param($method, "options['$key']");
    }

    /**
     * A whole number bound for a C `uint32_t` (or, with $max 2^31-1, an `int32_t`). Below $min
     * (in C a 0 often means "the default") or past $max (the assignment would wrap) it is
     * refused here, before it crosses; what the API allows within that range is the library's
     * call. $what comes from param() or option().
     */
    public static function count(string $what, $value, int $min = 0, int $max = 0xFFFFFFFF): int
    {
        $int = is_bool($value) ? false : filter_var($value, FILTER_VALIDATE_INT);
        if ($int === false || $int < $min || $int > $max) {
            throw self::invalid("$what must be a whole number from $min to $max, got " . self::shown($value));
        }
        return $int;
    }

    /**
     * A real bool, nothing coerced to one: a cast reads the string 'false' (or 'no') as true,
     * and a `resume` turned on that way reports a refused duplicate as accepted.
     */
    public static function flag(string $what, $value): bool
    {
        if (!is_bool($value)) {
            throw self::invalid("$what must be true or false, got " . self::shown($value));
        }
        return $value;
    }

    /** A string, not a number coerced to one nor an array refused by a \TypeError further in. */
    public static function string(string $what, $value): string
    {
        if (!is_string($value)) {
            throw self::invalid("$what must be a string, got " . self::shown($value));
        }
        return $value;
    }

    /**
     * Refuses a key of $options that is not in $known, naming it and the known ones: an option
     * nobody reads (a typo, 'baseUrl' for 'base_url') would otherwise quietly mean "the default".
     */
    public static function options(array $options, array $known, string $method): void
    {
        foreach (array_keys($options) as $name) {
            if (!in_array($name, $known, true)) {
                throw self::invalid(self::param($method, 'options') . " holds an unknown option `$name` (known: " . implode(', ', $known) . ')');
            }
        }
    }

    /**
     * $s as it may cross to a `const char *`: C reads it up to its first NUL byte, so a string
     * holding one would silently be cut short (and the rest dropped) — it is refused instead.
     * $s may be a token, so it stays out of stack traces.
     */
    public static function arg(#[\SensitiveParameter] string $s, string $what): string
    {
        if (strpos($s, "\0") !== false) {
            throw self::invalid("$what contains a NUL byte");
        }
        return $s;
    }

    /** $value as an error message shows it: an array or object only by its type. */
    private static function shown($value): string
    {
        return is_scalar($value) || $value === null ? var_export($value, true) : get_debug_type($value);
    }

    /**
     * $value as JSON for the library. Text that is not UTF-8 is INVALID_UTF8, as everywhere else
     * a string crosses, rather than json_encode's \JsonException.
     */
    public static function json($value, string $what, int $flags = 0): string
    {
        try {
            return json_encode($value, JSON_THROW_ON_ERROR | $flags);
        } catch (\JsonException $e) {
            $code = $e->getCode() === JSON_ERROR_UTF8 ? 'INVALID_UTF8' : 'INVALID_ARGUMENT';
            throw self::error($code, "$what cannot be sent: {$e->getMessage()}");
        }
    }

    /** A fresh `T*` out-parameter slot. */
    public static function slot(string $type): \FFI\CData
    {
        return self::ffi()->new($type . '*');
    }

    /**
     * Calls `instasent_<$kind>_set_<$name>($options, $value, &err)` on a native options object
     * made by `instasent_<$kind>_new()`, throwing what the library refuses.
     */
    public static function setOption(string $kind, \FFI\CData $options, string $name, $value): void
    {
        $err = self::errorSlot();
        self::check(self::ffi()->{"instasent_{$kind}_set_$name"}($options, $value, \FFI::addr($err)), $err);
    }

    /** A fresh `instasent_error*` slot, to pass as FFI::addr($err). */
    public static function errorSlot(): \FFI\CData
    {
        return self::ffi()->new('instasent_error*');
    }

    /**
     * check() for a call that may find nothing: false for NOT_FOUND (its error freed), true
     * for OK; any other code throws.
     */
    public static function found(int $code, \FFI\CData $err): bool
    {
        if ($code === self::NOT_FOUND) {
            self::ffi()->instasent_error_free($err);
            return false;
        }
        self::check($code, $err);
        return true;
    }

    /**
     * Throws for a non-OK status, freeing the error. $err is then an argument in the exception's
     * trace (zend.exception_ignore_args=0 keeps them), and dumping the trace, as error reporters
     * and debuggers do, reads through it: it is set to NULL once freed.
     */
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
        $body = self::optionalText($err->body);
        $clientId = self::optionalText($err->client_id);
        $maybeCommitted = (bool) $err->maybe_committed;
        $retryAfter = $err->retry_after_ms >= 0 ? $err->retry_after_ms / 1000 : null;
        $fieldsJson = self::optionalText($err->fields_json);
        $ffi->instasent_error_free($err);
        \FFI::memset(\FFI::addr($err), 0, \FFI::sizeof($err));
        $fields = $fieldsJson === null ? [] : json_decode($fieldsJson, true, 8, JSON_THROW_ON_ERROR);
        throw new InstasentException($name, $message, $status, $body, $clientId, $maybeCommitted, $retryAfter, $fields);
    }

    /** A `char *` member that may be NULL. */
    private static function optionalText($s): ?string
    {
        return $s === null || (!is_string($s) && \FFI::isNull($s)) ? null : self::text($s);
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
