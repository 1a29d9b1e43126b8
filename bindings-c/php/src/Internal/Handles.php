<?php

namespace Instasent\Internal;

/**
 * Frees the native handles a request still holds when it dies of a fatal error (memory_limit,
 * max_execution_time, a call to an undefined function): PHP then runs no destructors and no
 * generator `finally`, so each client kept its connection and memory for the life of the
 * worker. In php-fpm, a storm of such requests ran a worker out of file descriptors and it
 * crashed. An uncaught exception is left alone: destructors still run after one.
 *
 * Owners (the clients, the tracker, the sandbox) are held weakly: one collected has freed its
 * handle itself. After a fatal error each owner's handle is freed and its property set to null,
 * so anything that still calls it (a later shutdown function, a destructor) gets an error from
 * the library, not a use of freed memory.
 *
 * @internal
 */
final class Handles
{
    /** @var \WeakMap<object, array{string, string, string}>|null owner => [class, property, free] */
    private static $owners;
    /** @var array<int, array{\FFI\CData, string}> handles owned by no object (a campaign in its generator) */
    private static $loose = [];

    /**
     * $owner's $property (declared in $class) holds a handle that $free (an instasent_*
     * function) releases.
     */
    public static function adopt(object $owner, string $class, string $property, string $free): void
    {
        self::arm();
        self::$owners[$owner] = [$class, $property, $free];
    }

    /** $handle, held by no object, is released by $free unless release() is called first. */
    public static function hold(\FFI\CData $handle, string $free): void
    {
        self::arm();
        self::$loose[spl_object_id($handle)] = [$handle, $free];
    }

    /**
     * Takes back $handle (given to hold()) for the caller to free: false when it was freed here
     * already (after an uncaught exception a generator's `finally` still runs, later).
     */
    public static function release(\FFI\CData $handle): bool
    {
        $id = spl_object_id($handle);
        if (!isset(self::$loose[$id])) {
            return false;
        }
        unset(self::$loose[$id]);
        return true;
    }

    private static function arm(): void
    {
        if (self::$owners === null) {
            self::$owners = new \WeakMap();
            register_shutdown_function([self::class, 'atShutdown']);
        }
    }

    /**
     * Runs among the shutdown functions: it queues the freeing behind those registered so far, so
     * that a caller's own shutdown function (one that sends a last message, say) still finds its
     * client.
     */
    public static function atShutdown(): void
    {
        register_shutdown_function([self::class, 'freeAfterFatalError']);
    }

    public static function freeAfterFatalError(): void
    {
        $error = error_get_last();
        $fatal = E_ERROR | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR | E_PARSE;
        if ($error === null || ($error['type'] & $fatal) === 0 || strpos($error['message'], 'Uncaught ') === 0) {
            return;
        }
        if (strpos($error['message'], 'Allowed memory size') === 0) {
            // The request died at its memory limit: what follows needs a little.
            @ini_set('memory_limit', (string) (memory_get_usage(true) + (8 << 20)));
        }
        $ffi = Native::ffi();
        foreach (self::$loose as $id => [$handle, $free]) {
            unset(self::$loose[$id]);
            $ffi->$free($handle);
        }
        foreach (self::$owners ?? [] as $owner => [$class, $property, $free]) {
            $take = \Closure::bind(static function (object $o) use ($property) {
                $handle = $o->$property;
                $o->$property = null;
                return $handle;
            }, null, $class);
            $handle = $take($owner);
            if ($handle !== null) {
                $ffi->$free($handle);
            }
        }
    }

    /** Handles held now (for the tests). */
    public static function held(): int
    {
        $owned = 0;
        foreach (self::$owners ?? [] as $owner => [$class, $property]) {
            $owned += \Closure::bind(static fn (object $o) => $o->$property !== null ? 1 : 0, null, $class)($owner);
        }
        return $owned + count(self::$loose);
    }
}
