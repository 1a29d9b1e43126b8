"""Client.campaign: the streamed campaign (results as they settle, flat memory)."""

import asyncio
import gc
import os
import signal
import threading
import time
from typing import Callable, Dict, Iterator, List, Tuple

import pytest

import instasent
from ledger import messages_seen, settled_count, wait_for_messages

TO = "+34666666666"


def numbered(total: int, pulled: List[int], text: str = "stream") -> Iterator[Dict[str, str]]:
    for i in range(total):
        pulled[0] += 1
        yield {"from": "Acme", "to": f"+3466{i:07d}", "text": f"{text} {i}", "clientId": f"s-{i}"}


def test_every_input_gets_one_result_as_batches_settle(client, sandbox):
    pulled = [0]
    seen: List[instasent.ItemResult] = []
    pulled_at_first_result = None
    for r in client.campaign(numbered(5_000, pulled), concurrency=2):
        if pulled_at_first_result is None:
            pulled_at_first_result = pulled[0]
        seen.append(r)
    assert [r.index for r in seen] == list(range(5_000)), "input order"
    assert all(r.status == "accepted" and r.client_id == f"s-{r.index}" for r in seen)
    assert pulled_at_first_result is not None and pulled_at_first_result < 2_000, "input is read lazily"
    assert len(sandbox.messages()) == 5_000


def test_inputs_read_stay_within_a_bounded_distance_of_results_handed_out(client):
    # Memory stays flat: what is read but not yet handed out is bounded by the core feed's
    # holding bound, batch_size × (2 × concurrency + 2) between an input's read and the
    # caller's return for the results after its own, however long the campaign. Results held
    # back in the engine while later batches settled once let this reach 1,249 on a loaded
    # machine, and input order (a result waiting for earlier ones) 1,149 before the bound.
    pulled = [0]
    ahead = 0
    handed_out = 0
    for _ in client.campaign(numbered(20_000, pulled), concurrency=2, batch_size=50):
        handed_out += 1
        ahead = max(ahead, pulled[0] - handed_out)
    assert handed_out == 20_000
    assert ahead <= 50 * (2 * 2 + 2), ahead


def test_rejections_and_local_refusals_are_streamed_with_their_index(client, sandbox):
    messages = [
        {"from": "Acme", "to": TO, "text": "fine"},
        {"from": "Acme", "to": "bad", "text": "refused locally"},
        {"from": "Acme", "to": TO, "text": "fine too"},
    ]
    by_index = {r.index: r for r in client.campaign(messages)}
    assert [by_index[i].status for i in range(3)] == ["accepted", "rejected", "accepted"]
    assert by_index[1].stage == "local" and "to" in by_index[1].fields
    assert len(sandbox.messages()) == 2


def test_validate_false_leaves_the_judging_to_the_api(client, sandbox):
    messages = [
        {"from": "Acme", "to": TO, "text": "fine"},
        {"from": "Acme", "to": "bad", "text": "judged by the API"},
    ]
    streamed = list(client.campaign(messages, validate=False))
    at_once = client.send_bulk(messages, validate=False)
    for results in (streamed, at_once):
        assert [r.status for r in results] == ["accepted", "rejected"]
        assert results[1].stage == "server" and "to" in results[1].fields
    assert len(sandbox.messages()) == 2


def test_a_broken_iterable_yields_what_was_sent_then_raises(client, sandbox):
    def broken() -> Iterator[Dict[str, str]]:
        for i in range(1_050):
            yield {"from": "Acme", "to": TO, "text": f"ok {i}"}
        raise RuntimeError("source broke")

    seen: List[instasent.ItemResult] = []
    with pytest.raises(RuntimeError, match="source broke"):
        for r in client.campaign(broken(), concurrency=2):
            seen.append(r)
    sent = sandbox.messages()
    assert len(seen) == len(sent) <= 1_000, "the unfinished batch is not sent"
    assert {r.client_id for r in seen} == {m["clientId"] for m in sent}


def test_stop_sends_nothing_more_and_ends_after_the_batches_in_flight(client, sandbox):
    pulled = [0]
    campaign = client.campaign(numbered(50_000, pulled), concurrency=2)
    seen = [next(campaign)]
    campaign.stop()
    seen.extend(campaign)  # ends without an exception
    sent = sandbox.messages()
    assert len(seen) == len(sent) < 50_000
    assert {r.client_id for r in seen} == {m["clientId"] for m in sent}
    with pytest.raises(StopIteration):
        next(campaign)


def test_stop_from_another_thread_while_one_iterates(client, sandbox):
    # The thread iterating holds the campaign while it reads the input: stop() from another
    # thread at that moment used to raise "already being iterated" instead of stopping.
    failures: List[BaseException] = []
    campaign = None

    def stop_from_another_thread() -> None:
        try:
            assert campaign is not None
            campaign.stop()
        except BaseException as e:  # noqa: BLE001 - any failure is the finding
            failures.append(e)

    def source() -> Iterator[Dict[str, str]]:
        for i, message in enumerate(numbered(50_000, [0])):
            if i == 250:
                stopper = threading.Thread(target=stop_from_another_thread)
                stopper.start()
                stopper.join()
            yield message

    campaign = client.campaign(source(), concurrency=2)
    seen = list(campaign)
    assert failures == []
    sent = sandbox.messages()
    assert len(seen) == len(sent) < 50_000
    assert {r.client_id for r in seen} == {m["clientId"] for m in sent}


def test_leaving_the_loop_early_sends_nothing_more(client, sandbox):
    pulled = [0]
    for r in client.campaign(numbered(50_000, pulled), concurrency=2):
        break
    read = pulled[0]
    sent = settled_count(sandbox)  # the batches in flight land; nothing else may follow
    assert pulled[0] == read
    assert 0 < sent <= read < 50_000


def test_iterating_it_from_its_own_input_is_refused(client):
    campaign: List[object] = []

    def source() -> Iterator[Dict[str, str]]:
        yield {"from": "Acme", "to": TO, "text": "first"}
        next(campaign[0])  # type: ignore[call-overload]
        yield {"from": "Acme", "to": TO, "text": "never read"}

    campaign.append(client.campaign(source()))
    with pytest.raises(RuntimeError, match="already being iterated"):
        list(campaign[0])  # type: ignore[call-overload]


def test_progress_and_a_failing_callback(client, sandbox):
    progress: List[instasent.Progress] = []
    results = list(client.campaign(numbered(1_000, [0]), on_progress=progress.append))
    assert len(results) == 1_000 and progress[-1].accepted == 1_000

    def on_progress(p: instasent.Progress) -> None:
        if p.requests >= 3:
            raise ValueError("stop here")

    seen: List[instasent.ItemResult] = []
    with pytest.raises(ValueError, match="stop here"):
        for r in client.campaign(({"from": "Acme", "to": TO, "text": f"p {i}"} for i in range(20_000)),
                                 concurrency=2, on_progress=on_progress):
            seen.append(r)
    assert len(seen) + 1_000 == len(sandbox.messages()) < 21_000


def test_failures_are_results_and_bad_options_are_refused_at_once(sandbox):
    c = instasent.Client("wrong", base_url=sandbox.base_url)
    results = list(c.campaign([{"from": "Acme", "to": TO, "text": "x"}] * 3))
    assert [r.index for r in results] == [0, 1, 2]
    assert {(r.status, r.error_code) for r in results} == {("failed", "UNAUTHORIZED")}
    with pytest.raises(instasent.InvalidArgumentError):
        c.campaign([], batch_size=101)
    with pytest.raises(TypeError):
        c.campaign(42)


def test_a_campaign_in_a_reference_cycle_is_collected(client):
    # The input generator holds its own campaign: without the campaign taking part in the
    # cycle collector, neither would ever be freed.
    closed: List[bool] = []

    def source(box: List[object]) -> Iterator[Dict[str, str]]:
        try:
            i = 0
            while True:
                i += 1
                yield {"from": "Acme", "to": TO, "text": f"cycle {i} {len(box)}"}
        finally:
            closed.append(True)

    box: List[object] = []
    gen = source(box)
    campaign = client.campaign(gen, concurrency=1, batch_size=10)
    box.append(campaign)
    next(campaign)
    del box, gen, campaign
    gc.collect()
    assert closed == [True]


class Interrupted(Exception):
    """Raised by the test's SIGINT handler, as KeyboardInterrupt is by Python's own."""


@pytest.fixture
def interrupt() -> Iterator[Callable[[], None]]:
    # Arming sends SIGINT to this process from another thread, handled by raising Interrupted
    # (a KeyboardInterrupt escaping the test would stop the whole pytest session).
    def handler(signum: int, frame: object) -> None:
        raise Interrupted()

    previous = signal.signal(signal.SIGINT, handler)
    timers: List[threading.Timer] = []

    def arm() -> None:
        timers.append(threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)))
        timers[-1].start()

    try:
        yield arm
    finally:
        for timer in timers:
            timer.cancel()
        signal.signal(signal.SIGINT, previous)


def slow_source(total: int, sandbox: instasent.Sandbox, interrupt: Callable[[], None]) -> Iterator[Dict[str, str]]:
    # The interrupt comes once the first batch has reached the API (a stop drops queued input
    # unsent, so an earlier one could leave nothing sent), while the input is still being read.
    for i in range(total):
        if i == 100:
            wait_for_messages(sandbox, 100)
            interrupt()
        if i % 100 == 0:
            time.sleep(0.01)  # about 10 s for the whole input: still running when interrupted
        yield {"from": "Acme", "to": TO, "text": f"interrupted {i}"}


def test_ctrl_c_in_send_bulk_stops_the_sending_and_reports_what_went_out(client, sandbox, interrupt):
    with pytest.raises(Interrupted) as info:
        client.send_bulk(slow_source(100_000, sandbox, interrupt), concurrency=2)
    results = info.value.results  # type: ignore[attr-defined]
    sent = sandbox.messages()
    assert 0 < len(results) == len(sent) < 100_000
    assert {r.client_id for r in results} == {m["clientId"] for m in sent}


def test_ctrl_c_in_a_streamed_campaign_stops_the_sending(client, sandbox, interrupt):
    seen: List[instasent.ItemResult] = []
    with pytest.raises(Interrupted):
        for r in client.campaign(slow_source(100_000, sandbox, interrupt), concurrency=2):
            seen.append(r)
    # The handler may run in the loop body rather than inside the campaign: then the batches in
    # flight finish unreported. Either way nothing more is sent once they have.
    sent = settled_count(sandbox)
    assert len(seen) <= sent < 100_000


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_async_campaign_streams_every_result_without_blocking_the_loop(sandbox):
    progress_threads: List[int] = []

    async def main() -> Tuple[List[instasent.ItemResult], int]:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        ticks = 0
        done = False

        async def ticker() -> None:
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0.01)

        def source() -> Iterator[Dict[str, str]]:
            for i in range(3_000):
                if i % 100 == 0:
                    time.sleep(0.05)  # a slow source (1.5 s): read on a worker thread, not the loop
                yield {"from": "Acme", "to": TO, "text": f"async {i}", "clientId": f"a-{i}"}

        task = asyncio.ensure_future(ticker())
        seen = [r async for r in client.campaign(
            source(), concurrency=2, on_progress=lambda p: progress_threads.append(threading.get_ident()))]
        done = True
        await task
        return seen, ticks

    seen, ticks = run(main())
    assert [r.index for r in seen] == list(range(3_000)), "input order"
    assert all(r.status == "accepted" and r.client_id == f"a-{r.index}" for r in seen)
    assert len(sandbox.messages()) == 3_000
    assert ticks >= 10, f"the event loop ran {ticks} times during a 1.5 s campaign"
    assert progress_threads and set(progress_threads) == {threading.get_ident()}, "on_progress runs on the loop"


def test_async_campaign_failure_comes_after_the_results_in_flight(sandbox):
    def broken() -> Iterator[Dict[str, str]]:
        for i in range(1_050):
            yield {"from": "Acme", "to": TO, "text": f"ok {i}"}
        raise RuntimeError("source broke")

    seen: List[instasent.ItemResult] = []

    async def main() -> None:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        async for r in client.campaign(broken(), concurrency=2):
            seen.append(r)

    with pytest.raises(RuntimeError, match="source broke"):
        run(main())
    sent = sandbox.messages()
    assert len(seen) == len(sent) <= 1_000
    assert {r.client_id for r in seen} == {m["clientId"] for m in sent}


def test_async_campaign_stop_and_concurrent_next(sandbox):
    async def main() -> Tuple[int, List[instasent.ItemResult]]:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        campaign = client.campaign(numbered(50_000, [0]), concurrency=2)
        # Two awaits at once are served one after the other, each with its own result.
        first = await asyncio.gather(campaign.__anext__(), campaign.__anext__())
        campaign.stop()
        rest = [r async for r in campaign]
        return len(rest), list(first)

    rest, first = run(main())
    assert len({r.index for r in first}) == 2
    sent = len(sandbox.messages())
    assert rest + 2 == sent < 50_000


def test_async_campaign_takes_an_async_generator_iterated_on_the_loop(sandbox):
    loop_threads = set()

    async def rows():  # type: ignore[no-untyped-def]
        for i in range(2_500):
            loop_threads.add(threading.get_ident())
            if i % 100 == 0:
                await asyncio.sleep(0.001)  # a real await, as a database cursor makes
            yield {"from": "Acme", "to": TO, "text": f"agen {i}", "clientId": f"g-{i}"}

    async def main() -> List[instasent.ItemResult]:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        return [r async for r in client.campaign(rows(), concurrency=2, batch_size=50)]

    seen = run(main())
    assert [r.index for r in seen] == list(range(2_500)), "input order"
    assert all(r.status == "accepted" and r.client_id == f"g-{r.index}" for r in seen)
    assert len(sandbox.messages()) == 2_500
    assert loop_threads == {threading.get_ident()}, "the async generator ran on the event loop"


def test_async_generator_failure_comes_after_the_results_in_flight(sandbox):
    async def broken():  # type: ignore[no-untyped-def]
        for i in range(1_030):
            yield {"from": "Acme", "to": TO, "text": f"ok {i}"}
        raise ValueError("cursor broke")

    seen: List[instasent.ItemResult] = []

    async def main() -> None:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        async for r in client.campaign(broken(), concurrency=2):
            seen.append(r)

    with pytest.raises(ValueError, match="cursor broke"):
        run(main())
    sent = sandbox.messages()
    assert len(seen) == len(sent) <= 1_030
    assert {r.client_id for r in seen} == {m["clientId"] for m in sent}


class StopHere(Exception):
    """Raised by a test's on_progress."""


def raising_after(requests: int, raised: List[BaseException]):  # type: ignore[no-untyped-def]
    def on_progress(p: instasent.Progress) -> None:
        if p.requests >= requests:
            raised.append(StopHere(f"stop at {p.requests}"))
            raise raised[-1]

    return on_progress


def test_async_send_bulk_stops_when_on_progress_raises(sandbox):
    # As Client.send_bulk: nothing more is sent, the batches in flight settle, and the awaited
    # call raises the callback's own exception with the results of what went out. It used to go
    # to the event loop's exception handler while the campaign sent everything.
    raised: List[BaseException] = []

    async def main() -> None:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        await client.send_bulk(numbered(20_000, [0]), concurrency=2, on_progress=raising_after(3, raised))

    with pytest.raises(StopHere) as info:
        run(main())
    assert info.value is raised[0]
    results = info.value.results  # type: ignore[attr-defined]
    sent = sandbox.messages()
    assert 0 < len(results) == len(sent) < 20_000
    assert {r.client_id for r in results} == {m["clientId"] for m in sent}
    assert settled_count(sandbox) == len(sent), "nothing is sent after the call returned"


def test_async_campaign_stops_when_on_progress_raises(sandbox):
    raised: List[BaseException] = []
    seen: List[instasent.ItemResult] = []

    async def main() -> None:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        async for r in client.campaign(numbered(20_000, [0]), concurrency=2, on_progress=raising_after(3, raised)):
            seen.append(r)

    with pytest.raises(StopHere) as info:
        run(main())
    assert info.value is raised[0]
    sent = sandbox.messages()
    assert 0 < len(seen) == len(sent) < 20_000
    assert [r.index for r in seen] == list(range(len(seen)))


def run_in_a_thread(coro, seconds: float):  # type: ignore[no-untyped-def]
    """asyncio.run in a thread of its own: a loop that deadlocks fails the test instead of
    hanging the suite."""
    outcome: List[object] = []
    thread = threading.Thread(target=lambda: outcome.append(asyncio.run(coro)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the event loop hung"
    return outcome[0]


def test_async_campaign_stop_on_the_loop_while_its_worker_waits_for_the_loop(sandbox):
    # The worker that feeds the campaign runs on_progress and reads an async generator through
    # the event loop, holding the campaign meanwhile: stop() on the loop used to wait for it.
    async def rows():  # type: ignore[no-untyped-def]
        for i in range(200_000):
            await asyncio.sleep(0)
            yield {"from": "Acme", "to": TO, "text": f"stop {i}"}

    async def main() -> int:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        campaign = client.campaign(rows(), concurrency=2, batch_size=20, on_progress=lambda p: None)

        async def stop_once_a_batch_went_out() -> None:
            # Earlier, the first batch may still be queued, and a stop drops queued input.
            await messages_seen(sandbox, 20)
            campaign.stop()

        stopping = asyncio.ensure_future(stop_once_a_batch_went_out())
        seen = len([r async for r in campaign])
        await stopping
        return seen

    seen = run_in_a_thread(main(), 30)
    assert 0 < seen == len(sandbox.messages()) < 200_000


def test_cancelling_an_async_send_bulk_sends_nothing_more(sandbox):
    # The campaign runs on a worker thread, which a cancelled awaitable does not stop by itself.
    sandbox.set_faults(latency_ms=20)

    async def main() -> None:
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        sending = asyncio.ensure_future(client.send_bulk(numbered(50_000, [0]), concurrency=2))
        await messages_seen(sandbox, 100)
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending

    run(main())
    # A campaign still sending would reach all 50,000 (in ~5 s at 20 ms a batch) without ever
    # going quiet for the half second settled_count waits for.
    assert 100 <= settled_count(sandbox) < 50_000
