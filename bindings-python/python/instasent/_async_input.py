"""How ``AsyncClient``'s calls and campaigns meet the event loop.

``awaiting`` makes each call a coroutine: the asyncio Future the Rust side answers through is
made when the coroutine first runs, inside its task and its running loop.

A campaign reaches the event loop from the worker thread that feeds it.

An async iterable (an async generator over a database cursor, an HTTP stream, ...) is read by
``BlockingReader``, which fetches a batch of items per trip to the event loop, so the loop does
the async iteration and never blocks. ``on_progress`` is run on the loop by ``OnLoop`` and
waited for, so that an exception it raises stops the campaign as it does a sync one."""

import asyncio
import concurrent.futures
import inspect
from collections import deque
from typing import Any, AsyncIterable, AsyncIterator, Callable, Deque, List, Optional, Tuple, TypeVar

T = TypeVar("T")


async def awaiting(start: Callable[[], "asyncio.Future[T]"]) -> T:
    return await start()


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


async def _take(items: AsyncIterator[Any], count: int) -> Tuple[List[Any], bool, Optional[BaseException]]:
    batch: List[Any] = []
    try:
        for _ in range(count):
            batch.append(await items.__anext__())
    except StopAsyncIteration:
        return batch, True, None
    except Exception as e:  # handed over after the items read before it
        return batch, True, e
    return batch, False, None


class BlockingReader:
    """A sync iterator over an async iterable, for a thread other than the loop's."""

    def __init__(self, source: AsyncIterable[Any], loop: asyncio.AbstractEventLoop, batch: int) -> None:
        self._items = source.__aiter__()
        self._loop = loop
        self._batch = batch
        self._buffer: Deque[Any] = deque()
        self._ended = False
        self._failure: Optional[BaseException] = None

    def __iter__(self) -> "BlockingReader":
        return self

    def __next__(self) -> Any:
        if not self._buffer and not self._ended:
            if asyncio._get_running_loop() is self._loop:
                # Waiting here for the loop would wait forever.
                raise RuntimeError("an async iterable cannot be read on its own event loop's thread")
            batch, self._ended, self._failure = self._fetch()
            self._buffer.extend(batch)
        if self._buffer:
            return self._buffer.popleft()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        raise StopIteration

    def _fetch(self) -> Tuple[List[Any], bool, Optional[BaseException]]:
        if self._loop.is_closed():
            raise RuntimeError("the event loop this campaign was started on is closed")
        return _wait(self._loop, asyncio.run_coroutine_threadsafe(_take(self._items, self._batch), self._loop))


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
