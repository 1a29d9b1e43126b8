"""Waiting on the sandbox's ledger instead of sleeping a fixed time.

A fixed sleep is a guess at how fast the machine is: on a loaded CI runner the batch the test
expects may not have gone out yet, or one in flight may land after the test looked. These wait
for what the test needs, with deadlines generous enough never to be the limit on a machine
that works.
"""

import asyncio
import time

from instasent import Sandbox


def committed(sandbox: Sandbox) -> int:
    """Messages in the ledger, without copying it (the tests here send no verify SMS, which the
    count would include)."""
    return int(sandbox.stats()["acceptedMessages"])


def _holding(sandbox: Sandbox, at_least: int, deadline: float, seconds: float) -> "int | None":
    """The ledger's size if it holds `at_least` messages yet, else None; fails past `deadline`."""
    count = committed(sandbox)
    if count >= at_least:
        return count
    assert time.monotonic() < deadline, f"the sandbox saw {count} of {at_least} messages in {seconds} s"
    return None


def wait_for_messages(sandbox: Sandbox, at_least: int, seconds: float = 30) -> int:
    """The ledger's size once it holds at least `at_least` messages; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while (count := _holding(sandbox, at_least, deadline, seconds)) is None:
        time.sleep(0.01)
    return count


async def messages_seen(sandbox: Sandbox, at_least: int, seconds: float = 30) -> int:
    """`wait_for_messages` for a coroutine: it sleeps on the event loop, which the campaign may
    need meanwhile (on_progress, an async source)."""
    deadline = time.monotonic() + seconds
    while (count := _holding(sandbox, at_least, deadline, seconds)) is None:
        await asyncio.sleep(0.01)
    return count


def settled_count(sandbox: Sandbox, quiet: float = 0.5, seconds: float = 30) -> int:
    """The ledger's size once it has not changed for `quiet` seconds: the batches that were in
    flight have landed. A campaign still sending never goes quiet that long, so it fails here
    after `seconds` (or the caller's bound on the count catches it)."""
    deadline = time.monotonic() + seconds
    count = committed(sandbox)
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < quiet:
        assert time.monotonic() < deadline, f"the sandbox was still receiving messages after {seconds} s ({count})"
        time.sleep(0.02)
        now = committed(sandbox)
        if now != count:
            count, quiet_since = now, time.monotonic()
    return count
