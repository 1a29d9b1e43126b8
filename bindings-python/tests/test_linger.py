"""AsyncClient.campaign over an async iterable: a part-filled batch goes once the input has had
nothing ready for 20 ms (the core's LINGER), so a campaign fed by a long-lived queue sends each
message promptly; an input that is always ready still goes out in full batches, no timer armed.
(AsyncClient.send_bulk reads an async iterable to a list before it sends, so it needs no linger.)"""

import asyncio
import time
from typing import Any, AsyncIterator, Dict, List, Optional, Tuple

import pytest

import instasent
from instasent import _async_input
from ledger import committed

IDLE = 1.5


def sms(i: int, prefix: str) -> Dict[str, str]:
    return {"from": "Acme", "to": f"+3466{i:07d}", "text": f"{prefix} {i}", "clientId": f"{prefix}-{i}"}


def test_async_campaign_sends_and_reports_what_an_idle_queue_gave(sandbox):
    queue: "asyncio.Queue[Optional[Dict[str, str]]]" = asyncio.Queue()
    cancelled: List[BaseException] = []
    ended = [False]

    async def source() -> AsyncIterator[Dict[str, str]]:
        # A service's queue: the `get` pending while the batch lingers must not be cancelled.
        try:
            while (m := await queue.get()) is not None:
                yield m
        except asyncio.CancelledError as e:
            cancelled.append(e)
            raise

    async def producer() -> None:
        for i in range(3):
            queue.put_nowait(sms(i, "otp"))
        await asyncio.sleep(IDLE)
        ended[0] = True
        queue.put_nowait(sms(3, "otp"))
        queue.put_nowait(None)

    async def main() -> List[Tuple[instasent.ItemResult, float, bool, int]]:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        started = time.monotonic()
        producing = asyncio.ensure_future(producer())
        seen = [(r, time.monotonic() - started, ended[0], committed(sandbox)) async for r in client.campaign(source())]
        await producing
        return seen

    seen = asyncio.run(main())
    assert [(r.index, r.status, r.client_id) for r, *_ in seen] == [(i, "accepted", f"otp-{i}") for i in range(4)]
    for _, at, was_ended, in_sandbox in seen[:3]:
        assert not was_ended and at < 0.7, f"a first result after {at:.3f} s"
        assert in_sandbox == 3
    assert not cancelled
    assert len(sandbox.messages()) == 4
    assert sandbox.stats()["requests"] == 2


def test_a_trickling_async_source_loses_repeats_and_reorders_nothing(sandbox):
    async def source() -> AsyncIterator[Dict[str, str]]:
        for i in range(60):
            if i % 7 == 3:
                await asyncio.sleep(0.04 if i % 2 else 0.005)
            yield sms(i, "trickle")

    async def main() -> List[instasent.ItemResult]:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        return [r async for r in client.campaign(source(), batch_size=10, concurrency=2)]

    seen = asyncio.run(main())
    assert [r.index for r in seen] == list(range(60))
    assert all(r.status == "accepted" and r.client_id == f"trickle-{r.index}" for r in seen)
    assert len(sandbox.messages()) == 60
    assert sandbox.stats()["requests"] > 6, "lingered batches went part-filled"


def test_an_async_source_failing_after_a_lingered_batch_raises_after_its_results(sandbox):
    async def source() -> AsyncIterator[Dict[str, str]]:
        for i in range(3):
            yield sms(i, "broken")
        await asyncio.sleep(0.3)
        raise ValueError("queue broke")

    seen: List[instasent.ItemResult] = []

    async def main() -> None:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        async for r in client.campaign(source()):
            seen.append(r)

    with pytest.raises(ValueError, match="queue broke"):
        asyncio.run(main())
    assert [(r.index, r.status) for r in seen] == [(0, "accepted"), (1, "accepted"), (2, "accepted")]
    assert len(sandbox.messages()) == 3


def test_an_always_ready_async_source_goes_out_in_full_batches_with_no_timer(sandbox, monkeypatch):
    timers: List[float] = []
    # Nor is a part-filled batch ever handed over for it (the core would merge part-filled
    # pushes into the same requests, so the requests alone cannot tell).
    paused: List[bool] = []
    hand_over = _async_input.BlockingReader._hand_over

    def counting(self: Any, pause: bool) -> None:
        if pause:
            paused.append(pause)
        hand_over(self, pause)

    monkeypatch.setattr(_async_input.BlockingReader, "_hand_over", counting)

    async def row(i: int) -> Dict[str, str]:
        return sms(i, "ready")  # awaited, ready at once: a cursor over rows already fetched

    async def source() -> AsyncIterator[Dict[str, str]]:
        for i in range(1_000):
            yield await row(i)

    async def main() -> List[instasent.ItemResult]:
        loop: Any = asyncio.get_running_loop()
        call_later = loop.call_later

        def counted(delay: float, *args: Any, **kwargs: Any) -> Any:
            if delay == _async_input.IDLE:
                timers.append(delay)
            return call_later(delay, *args, **kwargs)

        loop.call_later = counted
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        return [r async for r in client.campaign(source(), concurrency=2)]

    seen = asyncio.run(main())
    assert [r.index for r in seen] == list(range(1_000))
    assert len(sandbox.messages()) == 1_000
    assert sandbox.stats()["requests"] == 10
    assert timers == []
    assert paused == []


async def drain(queue: "asyncio.Queue[Dict[str, str]]") -> AsyncIterator[Dict[str, str]]:
    """A service's queue that stays open: every item put, for as long as it is read."""
    while True:
        yield await queue.get()


def test_a_campaign_left_early_takes_nothing_more_from_its_queue(sandbox):
    # Its read of the queue kept waiting after `break`, took the next item and dropped it: a
    # second campaign on the same queue never saw it.
    queue: "asyncio.Queue[Dict[str, str]]" = asyncio.Queue()


    async def main() -> List[str]:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        queue.put_nowait(sms(0, "first"))
        async for _ in client.campaign(drain(queue)):
            break
        await asyncio.sleep(0.2)
        readers = [t for t in asyncio.all_tasks() if "BlockingReader._read" in repr(t)]
        assert readers == [], readers
        queue.put_nowait(sms(1, "second"))
        async for r in client.campaign(drain(queue)):
            return [r.client_id]
        return []

    assert asyncio.run(asyncio.wait_for(main(), 10)) == ["second-1"]


def test_an_anext_cancelled_while_the_queue_is_idle_loses_no_result(sandbox):
    queue: "asyncio.Queue[Dict[str, str]]" = asyncio.Queue()


    async def main() -> Optional[str]:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        results = client.campaign(drain(queue))
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(results.__anext__(), 0.3)
        queue.put_nowait(sms(7, "otp"))
        await asyncio.sleep(0.5)  # sent and settled while nobody awaits the campaign
        r = await asyncio.wait_for(results.__anext__(), 3)
        results.stop()
        return r.client_id

    assert asyncio.run(main()) == "otp-7"
    assert [m["clientId"] for m in sandbox.messages()] == ["otp-7"]
