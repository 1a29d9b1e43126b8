<?php

namespace Instasent\Internal;

/**
 * For a class whose object owns a native handle and frees it in __destruct. `clone` would copy
 * the pointer and both objects would free it: a use-after-free, wrong answers, a segfault. So
 * cloning is refused; share the object, or build another one.
 *
 * @internal
 */
trait OwnsNativeHandle
{
    /** @throws \Instasent\Exception\InstasentException INVALID_ARGUMENT, always */
    final public function __clone()
    {
        // PHP still destroys the half-made copy when __clone throws, and its __destruct would
        // free the original's handle: the copy lets go of every handle before refusing.
        foreach (get_object_vars($this) as $name => $value) {
            if ($value instanceof \FFI\CData) {
                $this->$name = null;
            }
        }
        throw Native::invalid(
            static::class . ' cannot be cloned: it owns a native handle that only one object may free (share the object, or create another)'
        );
    }
}
