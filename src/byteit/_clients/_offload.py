"""Blocking connector I/O (S3 reads and writes) kept off the async client's event loop.

A connector that waits on the network says so (``blocking``); the async client
then enters its context managers, reads its upload and writes its result in
worker threads, one chunk per hop. Local files stay on the loop: a disk read of
a chunk is quicker than the hop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import BinaryIO, TypeVar

import httpx

T = TypeVar("T")
Write = Callable[[bytes], Awaitable[object]]


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


class ThreadedBody(httpx.AsyncByteStream):
    """A request body produced in a worker thread, chunk by chunk (a multipart upload
    whose file part reads from S3)."""

    def __init__(self, stream: httpx.SyncByteStream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks: Iterator[bytes] = iter(self._stream)
        while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
            yield chunk


def writer(sink: BinaryIO, *, blocking: bool) -> Write:
    """``sink.write`` as an awaitable, in a worker thread when `blocking`."""
    write = sink.write
    if blocking:
        return lambda chunk: asyncio.to_thread(write, chunk)

    async def direct(chunk: bytes) -> object:
        return write(chunk)

    return direct
