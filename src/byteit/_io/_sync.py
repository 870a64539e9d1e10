"""The sync client's I/O primitives: `_io._async`'s names, done in the calling thread.

The sync client is generated from the async one (see `_clients`), so it calls
these where the async client awaits `_io._async`'s; here nothing needs to be kept
off an event loop, so each is the plain operation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import BinaryIO, ParamSpec, TypeVar

import httpx

from byteit._batch import _setup
from byteit._batch._driven import Driven
from byteit._batch._journal import Journal
from byteit._batch._setup import BatchCall
from byteit._batch._threads import run_batch

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


def offload(function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    return function(*args, **kwargs)


def offload_if(blocking: bool, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    return function(*args, **kwargs)


def new_http_client(timeout: httpx.Timeout, limits: httpx.Limits) -> httpx.Client:
    return httpx.Client(timeout=timeout, limits=limits)


def entered(
    manager: contextlib.AbstractContextManager[T], *, blocking: bool
) -> contextlib.AbstractContextManager[T]:
    return manager


def writer(sink: BinaryIO, *, blocking: bool) -> Callable[[bytes], object]:
    return sink.write


def send(
    http: httpx.Client, request: httpx.Request, *, auth: httpx.Auth, blocking: bool
) -> httpx.Response:
    return http.send(request, auth=auth, stream=True)


def start_batch(call: BatchCall, now: float) -> tuple[Driven, Journal | None]:
    return _setup.start(call, now)
