<?php

namespace Instasent\Internal;

/**
 * A native handle that no object of the package's API owns (a campaign, inside its generator),
 * held where Handles can free it after a fatal error. Its user reads `$handle` at every call:
 * once freed it is null, and the library answers NULL_ARGUMENT instead of reading freed memory
 * (a generator can still be resumed from a later shutdown function or destructor).
 *
 * @internal
 */
final class Held
{
    /** @var \FFI\CData|null */
    public $handle;
    /** @var string the instasent_* function that releases it */
    private $free;

    public function __construct(\FFI\CData $handle, string $free)
    {
        $this->handle = $handle;
        $this->free = $free;
        Handles::adopt($this, self::class, 'handle', $free);
    }

    /** Lets go of the handle, then frees it (null first: see ApiClient::__destruct). */
    public function free(): void
    {
        $handle = $this->handle;
        $this->handle = null;
        if ($handle !== null) {
            Native::ffi()->{$this->free}($handle);
        }
    }
}
