"""How ``AsyncClient``'s calls and campaigns meet the event loop.

``awaiting`` makes each call a coroutine: the asyncio Future the Rust side answers through is
made when the coroutine first runs, inside its task and its running loop.

A campaign reaches the event loop from the worker thread that feeds it.

An async iterable (an async generator over a database cursor, an HTTP stream, a queue, ...) is
read by ``BlockingReader``, which fetches a batch of items per trip to the event loop, so the
loop does the async iteration and never blocks, and which hands over a part-filled batch as
soon as the input has nothing ready: the feed pushes it, and the core's linger decides when it
goes. ``on_progress`` is run on the loop by ``OnLoop`` and waited for, so that an exception it
raises stops the campaign as it does a sync one."""

import asyncio
import concurrent.futures
import inspect
from collections import deque
from typing import Any, AsyncIterable, AsyncIterator, Callable, Deque, List, Optional, Tuple, TypeVar

T = TypeVar("T")


async def awaiting(
    start: Callable[[], "asyncio.Future[T]"],
    noting: Optional[Callable[[BaseException], None]] = None,
) -> T:
    """Runs the call `start` begins. `noting` is a send's: cancelled once its request may have
    gone out, the call's `CancelledError` gets the clientId that makes sending it again safe."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        # Under trio (or curio) the bare "no running event loop" did not say what to do.
        raise RuntimeError(
            "instasent.AsyncClient runs on asyncio (asyncio.run, uvloop, anyio's asyncio backend) "
            "and no asyncio event loop is running here; under trio, call instasent.Client from a "
            "worker thread (trio.to_thread.run_sync)"
        ) from None
    if noting is None:
        return await start()
    try:
        return await start()
    except asyncio.CancelledError as cancelled:
        noting(cancelled)
        raise


def _wait(loop: asyncio.AbstractEventLoop, done: "concurrent.futures.Future[T]") -> T:
    """What the loop puts in `done`, waited for on a worker thread."""
    while True:
        try:
            return done.result(timeout=1.0)
        except concurrent.futures.TimeoutError:
            # A loop that stopped running will never answer: fail instead of waiting forever.
            if loop.is_closed() or not loop.is_running():
                done.cancel()
                raise RuntimeError("the event loop this campaign was started on stopped") from None


#: How long the worker waits for an async input with nothing to give before it goes back to hand
#: out the results that settled meanwhile (the 100 ms it waits for results in src/bulk.rs).
IDLE = 0.1


class _Pause:
    __slots__ = ()

    def __repr__(self) -> str:
        return "instasent._async_input.PAUSE"


#: Yielded by `BlockingReader` where the input had nothing ready: the feed (src/bulk.rs,
#: `Feed::feed_one_batch`, which knows it by identity) sends the part-filled batch it holds.
PAUSE = _Pause()

# What a trip to the loop brings back: the items, whether the input ended, what it raised
# (with the end), and whether it paused (nothing ready) before the batch was full.
_Fetched = Tuple[List[Any], bool, Optional[BaseException], bool]


async def send_bulk_from(client: Any, source: AsyncIterable[Any], **options: Any) -> Any:
    """`AsyncClient.send_bulk` over an async iterable: read to a list on the loop (what the
    source raises stops it before anything is sent), then sent as a list is."""
    items = [item async for item in source]
    return await client.send_bulk(items, **options)


class BlockingReader:
    """A sync iterator over an async iterable, for a thread other than the loop's.

    Each trip to the loop asks for up to `batch` items. They are read by a task on the loop; a
    trip comes back with fewer as soon as the input has nothing ready while some are held (then
    `PAUSE` follows them, and the feed pushes them: the core's own linger, 20 ms in
    core/src/bulk/batches.rs, decides when the part-filled batch goes), or with none after
    `IDLE`. An input is "not ready" when its `__anext__` is still waiting once the task has had
    its turn, so one that is always ready never comes back early and never arms a timer. The `__anext__` still waiting is never cancelled: the task goes
    on awaiting it, and its item starts the next trip's batch."""

    def __init__(self, source: AsyncIterable[Any], loop: asyncio.AbstractEventLoop, batch: int) -> None:
        self._items = source.__aiter__()
        self._loop = loop
        self._batch = batch
        # The worker thread's side.
        self._buffer: Deque[Any] = deque()
        self._ended = False
        self._failure: Optional[BaseException] = None
        # The loop's side, touched on its thread only.
        self._got: List[Any] = []
        self._wanted = 0  # items the reading task may still ask the input for
        self._reading: "Optional[asyncio.Task[None]]" = None  # while an `__anext__` is awaited
        self._over = False
        self._error: Optional[BaseException] = None
        self._taker: "Optional[concurrent.futures.Future[_Fetched]]" = None
        self._timer: Optional[asyncio.TimerHandle] = None
        self._looking = False
        self._closed = False

    def __iter__(self) -> "BlockingReader":
        return self

    def __next__(self) -> Any:
        if not self._buffer and not self._ended:
            if asyncio._get_running_loop() is self._loop:
                # Waiting here for the loop would wait forever.
                raise RuntimeError("an async iterable cannot be read on its own event loop's thread")
            batch, self._ended, self._failure, paused = self._fetch()
            self._buffer.extend(batch)
            if paused:
                self._buffer.append(PAUSE)
        if self._buffer:
            return self._buffer.popleft()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        raise StopIteration

    def _fetch(self) -> _Fetched:
        if self._loop.is_closed():
            raise RuntimeError("the event loop this campaign was started on is closed")
        done: "concurrent.futures.Future[_Fetched]" = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._request, done)
        return _wait(self._loop, done)

    def _instasent_close(self) -> None:
        """Reads nothing more (the campaign stopped, failed or was dropped); any thread. A read
        left waiting would take the source's next item (a queue's) and drop it."""
        if self._loop.is_closed():
            return
        try:
            self._loop.call_soon_threadsafe(self._close)
        except RuntimeError:
            pass  # the loop closed meanwhile

    # On the loop's thread from here on.

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._over = True
        self._disarm()
        self._hand_over(False)
        reading, self._reading = self._reading, None
        aclose = getattr(self._items, "aclose", None)

        def close_source(_: object = None) -> None:
            if aclose is not None:
                task = self._loop.create_task(aclose())
                # Whatever the source raises while it closes is its own business.
                task.add_done_callback(lambda t: t.cancelled() or t.exception())

        if reading is not None and not reading.done():
            # The source keeps what it had not given yet (a queue's `get` cancelled takes
            # nothing); its generator can be closed once the cancelled read has ended.
            reading.add_done_callback(close_source)
            reading.cancel()
        else:
            close_source()

    def _request(self, done: "concurrent.futures.Future[_Fetched]") -> None:
        if not done.set_running_or_notify_cancel():
            return
        self._taker = done
        if self._over or len(self._got) >= self._batch:
            self._hand_over(False)
            return
        # An `__anext__` still awaited counts towards this batch.
        self._wanted = self._batch - len(self._got) - (self._reading is not None)
        if self._reading is None:
            self._reading = self._loop.create_task(self._read())
        self._look_soon()

    async def _read(self) -> None:
        try:
            while self._wanted > 0:
                self._wanted -= 1
                item = await self._items.__anext__()
                self._got.append(item)
                if len(self._got) >= self._batch:
                    self._hand_over(False)
                elif len(self._got) == 1 and self._taker is not None:
                    # The first of a batch: the wait for any is over; is the next one ready?
                    self._disarm()
                    self._look_soon()
        except StopAsyncIteration:
            self._end(None)
        except BaseException as e:  # handed over after the items read before it
            if self._closed:
                raise  # cancelled by `_close`: nothing to report
            self._end(e)
            if not isinstance(e, Exception):
                raise
        finally:
            self._reading = None

    def _end(self, error: Optional[BaseException]) -> None:
        self._over = True
        self._error = error
        self._reading = None
        self._hand_over(False)

    def _look_soon(self) -> None:
        # After the reading task's turn: what it still waits for then is not ready.
        if not self._looking:
            self._looking = True
            self._loop.call_soon(self._look)

    def _look(self) -> None:
        self._looking = False
        if self._taker is None or self._reading is None:
            return
        if self._got:
            self._hand_over(True)
        elif self._timer is None:
            self._timer = self._loop.call_later(IDLE, self._expire)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        self._timer = None
        if self._taker is not None:
            self._hand_over(True)

    def _hand_over(self, paused: bool) -> None:
        taker, self._taker = self._taker, None
        if taker is None:
            return
        self._disarm()
        # The reading task stops after the `__anext__` it awaits, if any, until the next trip.
        self._wanted = 0
        got, self._got = self._got, []
        fetched: _Fetched
        if self._over:
            fetched = (got, True, self._error, False)
            self._error = None
        else:
            fetched = (got, False, None, paused)
        try:
            taker.set_result(fetched)
        except concurrent.futures.InvalidStateError:
            pass  # given up by a worker whose loop stopped: the campaign has failed


class OnLoop:
    """A callback for a worker thread that runs `callback` on `loop` and returns what it
    returns, or raises what it raises (a KeyboardInterrupt included, as in a sync campaign)."""

    def __init__(self, callback: Callable[[Any], Any], loop: asyncio.AbstractEventLoop) -> None:
        self._callback = callback
        self._loop = loop

    def __call__(self, arg: Any) -> Any:
        done: "concurrent.futures.Future[Any]" = concurrent.futures.Future()

        def settle(task: "asyncio.Future[Any]") -> None:
            if task.cancelled():
                done.set_exception(asyncio.CancelledError())
            elif task.exception() is not None:
                done.set_exception(task.exception())
            else:
                done.set_result(task.result())

        def run() -> None:
            if not done.set_running_or_notify_cancel():
                return
            try:
                result = self._callback(arg)
            except BaseException as e:
                done.set_exception(e)
                return
            # An `async def` callback is awaited on the loop, and what it raises stops the
            # campaign like a plain one's.
            if inspect.isawaitable(result):
                asyncio.ensure_future(result, loop=self._loop).add_done_callback(settle)
            else:
                done.set_result(result)

        self._loop.call_soon_threadsafe(run)
        return _wait(self._loop, done)
