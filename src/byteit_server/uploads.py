"""Receiving uploads within limits, streamed to disk.

The multipart body is parsed as it arrives: each file part goes to a spooled
temporary file (memory up to 1 MB, then disk), and the request is cut off with
a 413 as soon as it grows past the per-request limit, so memory never grows
with the size of an upload. Before answering 413 the rest of the body is read
and discarded (up to a bound), so the client sees the answer instead of a
broken pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
from collections.abc import AsyncGenerator
from pathlib import Path, PurePath

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request

from byteit._contract import MEGABYTE, UploadLimits

from .errors import ApiError

__all__ = ["read_upload_form", "safe_filename", "save_upload"]

_MAX_FIELDS = 50
_DRAIN_LIMIT = 1024 * MEGABYTE
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class _RequestTooLargeError(Exception):
    pass


async def read_upload_form(request: Request, limits: UploadLimits) -> FormData:
    """Parse a multipart request within ``limits``; the caller closes the form.

    Raises:
        ApiError: 400 for a body that is not multipart, 413 past a limit.
    """
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise ApiError(400, "send the document as multipart/form-data with a 'file' part")
    body = _Body(request, limits.max_request_bytes)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_request_bytes:
        await body.drain()
        raise _request_too_large(limits)
    parser = MultiPartParser(
        request.headers, body.chunks(), max_files=limits.max_files, max_fields=_MAX_FIELDS
    )
    try:
        form = await parser.parse()
    except ClientDisconnect:
        raise ApiError(400, "the request body ended early: the client went away") from None
    except _RequestTooLargeError:
        await body.drain()
        raise _request_too_large(limits) from None
    except MultiPartException as exc:
        await body.drain()
        if "Too many files" in exc.message:
            raise ApiError(413, f"too many files: at most {limits.max_files} per request") from None
        raise ApiError(400, f"invalid multipart body: {exc.message}") from None
    await _check_file_sizes(form, limits)
    return form


def close_form(form: FormData) -> None:
    """Close every uploaded file at once, without awaiting.

    A request whose client went away is cancelled, and anyio cancels every await
    that follows; an awaited close would stop at the first file on disk and leak
    the rest.
    """
    for _, value in form.multi_items():
        if isinstance(value, UploadFile):
            value.file.close()


async def _check_file_sizes(form: FormData, limits: UploadLimits) -> None:
    for _, value in form.multi_items():
        if isinstance(value, UploadFile) and (value.size or 0) > limits.max_file_bytes:
            close_form(form)
            name = value.filename or "a file"
            raise ApiError(
                413, f"{name!r} exceeds the limit of {_size(limits.max_file_bytes)} a file"
            )


def _request_too_large(limits: UploadLimits) -> ApiError:
    return ApiError(
        413, f"the request exceeds the limit of {_size(limits.max_request_bytes)} a request"
    )


class _Body:
    """The request body, read chunk by chunk, cut off past ``limit`` bytes."""

    def __init__(self, request: Request, limit: int) -> None:
        self._receive = request.receive
        self._limit = limit
        self._received = 0
        self._finished = False

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        while not self._finished:
            chunk = await self._next()
            if self._received > self._limit:
                raise _RequestTooLargeError
            if chunk:
                yield chunk

    async def drain(self) -> None:
        with contextlib.suppress(ClientDisconnect):
            while not self._finished and self._received < _DRAIN_LIMIT:
                await self._next()

    async def _next(self) -> bytes:
        message = await self._receive()
        if message["type"] != "http.request":
            # Not the end of the body: a cut-off upload must never become a document.
            self._finished = True
            raise ClientDisconnect

        chunk: bytes = message.get("body", b"")
        self._received += len(chunk)
        self._finished = not message.get("more_body", False)
        return chunk


def _size(limit: int) -> str:
    return f"{limit // MEGABYTE} MB" if limit % MEGABYTE == 0 else f"{limit} bytes"


def safe_filename(filename: str, document_type: str) -> str:
    """A file-system-safe version of an uploaded file's name (the original is kept apart)."""
    name = PurePath(filename.replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")[-200:]
    return name or f"document.{document_type}"


async def save_upload(upload: UploadFile, target: Path) -> None:
    """Copy an upload to ``target`` in chunks, off the event loop."""
    await asyncio.to_thread(_copy, upload, target)


def _copy(upload: UploadFile, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    upload.file.seek(0)
    with target.open("wb") as destination:
        shutil.copyfileobj(upload.file, destination, MEGABYTE)
