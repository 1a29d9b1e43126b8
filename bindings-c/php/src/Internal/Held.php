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

    /** @param string $free the instasent_* function that releases $handle */
    public function __construct(\FFI\CData $handle, string $free)
    {
        $this->handle = $handle;
        Handles::adopt($this, self::class, 'handle', $free);
    }

    /** Frees the handle now, once (see Handles::free). */
    public function free(): void
    {
        Handles::free($this);
    }
}
