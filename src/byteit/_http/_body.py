"""Upload bodies sent in few, large writes.

httpx renders a multipart body as many small pieces: each part's boundary and
headers, each form field's value, each line break, then the file in 64 KiB reads.
httpcore sends every piece as its own socket write, about 25 for a creation with
a small document. Each write is a system call, and on the async client also a
timeout scope and an event-loop hop; asyncio turns Nagle's algorithm off, so
each is a packet too. `CoalescedBody` joins the pieces into writes of
`WRITE_SIZE` bytes or more: a small document's creation goes out in one write
after its headers, and a large one in 64 KiB writes as before.

The bytes on the wire are the same, and so is the memory bound: at most one
write's worth is held (a file read of 64 KiB, plus what came before it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx

WRITE_SIZE = 64 * 1024


class CoalescedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """`stream`'s bytes, in pieces of at least `WRITE_SIZE` bytes (the last may be smaller)."""

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        if not isinstance(self._stream, httpx.SyncByteStream):
            raise RuntimeError("Attempted to send an async request body with a sync client")
        pending = _Pending()
        for piece in self._stream:
            if (joined := pending.add(piece)) is not None:
                yield joined
        if rest := pending.take():
            yield rest

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if not isinstance(self._stream, httpx.AsyncByteStream):
            raise RuntimeError("Attempted to send a sync request body with an async client")
        pending = _Pending()
        async for piece in self._stream:
            if (joined := pending.add(piece)) is not None:
                yield joined
        if rest := pending.take():
            yield rest

    def close(self) -> None:
        if isinstance(self._stream, httpx.SyncByteStream):
            self._stream.close()

    async def aclose(self) -> None:
        if isinstance(self._stream, httpx.AsyncByteStream):
            await self._stream.aclose()


class _Pending:
    """Pieces waiting to fill a write."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []
        self._size = 0

    def add(self, piece: bytes) -> bytes | None:
        """Keep `piece`; return a write once `WRITE_SIZE` bytes are waiting."""
        if not piece:
            return None
        self._pieces.append(piece)
        self._size += len(piece)
        return self.take() if self._size >= WRITE_SIZE else None

    def take(self) -> bytes:
        """Everything waiting, as one piece (no copy when it is one piece already)."""
        pieces, self._pieces, self._size = self._pieces, [], 0
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)
