"""The async client's I/O primitives; `_io._sync` holds the same names for the sync client.

The client is written once, in `_async_client`, against these names; the sync
client generated from it calls `_io._sync`'s, which do the same thing in the
calling thread. Here, whatever blocks is kept off the event loop: a connector
that waits on the network says so (``blocking``), and then its context managers
are entered, its upload read and its result written in worker threads, one
chunk per hop. Local files stay on the loop: a disk read of a chunk is quicker
than the hop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import BinaryIO, ParamSpec, TypeVar

import httpx

from byteit._batch import _setup
from byteit._batch._driven import Driven
from byteit._batch._journal import Journal
from byteit._batch._setup import BatchCall
from byteit._batch._tasks import run_batch
from byteit._http._asyncio_connection import asyncio_http_client

__all__ = [
    "entered",
    "new_http_client",
    "offload",
    "offload_if",
    "run_batch",
    "send",
    "start_batch",
    "writer",
]

T = TypeVar("T")
P = ParamSpec("P")
Write = Callable[[bytes], Awaitable[object]]


async def offload(function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking work (reading documents, S3 look-ups) in a worker thread."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def offload_if(
    blocking: bool, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """`offload` when `blocking`; else the call, on the loop (a thread hop costs more)."""
    if blocking:
        return await asyncio.to_thread(function, *args, **kwargs)
    return function(*args, **kwargs)


def new_http_client(timeout: httpx.Timeout, limits: httpx.Limits) -> httpx.AsyncClient:
    """The httpx client a byteit client makes for itself: its connections on asyncio's
    own transports, without anyio (`_http._asyncio_connection`)."""
    return asyncio_http_client(timeout=timeout, limits=limits)


@contextlib.asynccontextmanager
async def entered(
    manager: contextlib.AbstractContextManager[T], *, blocking: bool
) -> AsyncIterator[T]:
    """``with manager``, its enter and exit in a worker thread when `blocking`."""
    if not blocking:
        with manager as value:
            yield value
        return
    value = await asyncio.to_thread(manager.__enter__)
    try:
        yield value
    except BaseException as exc:
        if not await asyncio.to_thread(manager.__exit__, type(exc), exc, exc.__traceback__):
            raise
    else:
        await asyncio.to_thread(manager.__exit__, None, None, None)


def writer(sink: BinaryIO, *, blocking: bool) -> Write:
    """``sink.write`` as an awaitable, in a worker thread when `blocking`."""
    write = sink.write
    if blocking:
        return lambda chunk: asyncio.to_thread(write, chunk)

    async def direct(chunk: bytes) -> object:
        return write(chunk)

    return direct


class ThreadedBody(httpx.AsyncByteStream):
    """A request body produced in a worker thread, chunk by chunk (a multipart upload
    whose file part reads from S3)."""

    def __init__(self, stream: httpx.SyncByteStream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks: Iterator[bytes] = iter(self._stream)
        while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
            yield chunk


async def send(
    http: httpx.AsyncClient, request: httpx.Request, *, auth: httpx.Auth, blocking: bool
) -> httpx.Response:
    """Send `request`, its answer left open to stream; a `blocking` body is read in threads."""
    if blocking and isinstance(request.stream, httpx.SyncByteStream):
        request.stream = ThreadedBody(request.stream)
    return await http.send(request, auth=auth, stream=True)


async def start_batch(call: BatchCall, now: float) -> tuple[Driven, Journal | None]:
    """`_batch._setup.start` in a worker thread: it stats, hashes and looks up documents."""
    starting = asyncio.ensure_future(asyncio.to_thread(_setup.start, call, now))
    try:
        return await asyncio.shield(starting)
    except asyncio.CancelledError:
        # The thread goes on: wait for it, so that its state file is closed.
        _scheduler, opened = await starting
        if opened is not None:
            opened.close()
        raise
