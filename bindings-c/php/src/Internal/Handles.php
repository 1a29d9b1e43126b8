<?php

namespace Instasent\Internal;

/**
 * Frees the native handles a request still holds when it dies of a fatal error (memory_limit,
 * max_execution_time): PHP then runs no destructors and no generator `finally`, so each client
 * kept its connection and memory for the life of the worker. In php-fpm, a storm of such
 * requests ran a worker out of file descriptors and it crashed. An uncaught exception (in PHP 8
 * also a call to an undefined function) is left alone: destructors still run after one. An
 * `exit()` in a shutdown function that runs before this one stops it from running at all.
 *
 * Owners (the clients, the tracker, the sandbox, a campaign's Held) are held weakly: one
 * collected has freed its handle itself. After a fatal error each owner's handle is freed and
 * its property set to null, so anything that still calls it (a later shutdown function, a
 * destructor, a resumed generator) gets an error from the library, not a use of freed memory.
 * Owners free their handle themselves through free(), which sets the property to null before
 * freeing, so a fatal error between the two (the time limit) cannot free it twice.
 *
 * @internal
 */
final class Handles
{
    /** @var \WeakMap<object, array{string, string, string}>|null owner => [class, property, free] */
    private static $owners;
    /** @var bool a fatal error was seen when the shutdown functions began */
    private static $fatal = false;

    /**
     * $owner's $property (declared in $class) holds a handle that $free (an instasent_*
     * function) releases.
     */
    public static function adopt(object $owner, string $class, string $property, string $free): void
    {
        if (self::$owners === null) {
            self::$owners = new \WeakMap();
            register_shutdown_function([self::class, 'atShutdown']);
        }
        self::$owners[$owner] = [$class, $property, $free];
    }

    /**
     * Runs among the shutdown functions: it notes whether the request died of a fatal error
     * (a warning from a later shutdown function would hide it from error_get_last()) and queues
     * the freeing behind the shutdown functions registered so far, so that a caller's own (one
     * that sends a last message, say) still finds its client.
     */
    public static function atShutdown(): void
    {
        self::$fatal = self::isFatal(error_get_last());
        register_shutdown_function([self::class, 'freeAfterFatalError']);
    }

    /** Frees $owner's handle now (its destructor, `Sandbox::stop`); once only. */
    public static function free(object $owner): void
    {
        $entry = self::$owners[$owner] ?? null;
        if ($entry !== null) {
            self::take($owner, ...$entry);
        }
    }

    /** Sets $owner's handle to null, then frees it with $free (in that order: see above). */
    private static function take(object $owner, string $class, string $property, string $free): void
    {
        $handle = \Closure::bind(static function (object $o) use ($property) {
            $handle = $o->$property;
            $o->$property = null;
            return $handle;
        }, null, $class)($owner);
        if ($handle !== null) {
            Native::ffi()->$free($handle);
        }
    }

    public static function freeAfterFatalError(): void
    {
        $error = error_get_last();
        if (!self::$fatal && !self::isFatal($error)) {
            return;
        }
        if ($error !== null && strpos($error['message'], 'Allowed memory size') === 0) {
            // The request died at its memory limit: what follows needs a little more.
            $limit = ini_get('memory_limit');
            $needed = memory_get_usage(true) + (8 << 20);
            if ($limit !== false && $limit !== '-1' && self::bytes($limit) < $needed) {
                @ini_set('memory_limit', (string) $needed);
            }
        }
        foreach (self::$owners ?? [] as $owner => $entry) {
            self::take($owner, ...$entry);
        }
    }

    /** A php.ini quantity ('128M') in bytes (`ini_parse_quantity` is PHP 8.2's). */
    private static function bytes(string $quantity): int
    {
        $n = (int) $quantity;
        switch (strtolower(substr(trim($quantity), -1))) {
            case 'g':
                return $n << 30;
            case 'm':
                return $n << 20;
            case 'k':
                return $n << 10;
            default:
                return $n;
        }
    }

    /** A fatal error, after which PHP runs no destructors (not an uncaught exception). */
    private static function isFatal(?array $error): bool
    {
        $fatal = E_ERROR | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR | E_PARSE;
        return $error !== null && ($error['type'] & $fatal) !== 0 && strpos($error['message'], 'Uncaught ') !== 0;
    }

    /** Handles held now (for the tests). */
    public static function held(): int
    {
        $held = 0;
        foreach (self::$owners ?? [] as $owner => [$class, $property]) {
            $held += \Closure::bind(static fn (object $o) => $o->$property !== null ? 1 : 0, null, $class)($owner);
        }
        return $held;
    }
}
