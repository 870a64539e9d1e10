"""The sync and async clients offer the same methods, in order, with the same signatures."""

from __future__ import annotations

import inspect

from byteit import AsyncByteITClient, ByteITClient

LIFECYCLE = {"close": "aclose", "__enter__": "__aenter__", "__exit__": "__aexit__"}


def _public_methods(cls: type) -> list[str]:
    return [
        name for name, value in vars(cls).items() if callable(value) and not name.startswith("_")
    ]


def test_async_client_has_the_sync_methods_in_the_same_order() -> None:
    sync = [LIFECYCLE.get(name, name) for name in _public_methods(ByteITClient)]
    assert sync == _public_methods(AsyncByteITClient)


def test_every_async_method_is_a_coroutine_function() -> None:
    for name in _public_methods(AsyncByteITClient):
        assert inspect.iscoroutinefunction(getattr(AsyncByteITClient, name)), name


def test_signatures_match_apart_from_the_http_client_type() -> None:
    for name in _public_methods(ByteITClient):
        sync_sig = inspect.signature(getattr(ByteITClient, name))
        async_sig = inspect.signature(getattr(AsyncByteITClient, LIFECYCLE.get(name, name)))
        assert sync_sig == async_sig, name
    sync_init = inspect.signature(ByteITClient.__init__).parameters
    async_init = inspect.signature(AsyncByteITClient.__init__).parameters
    assert list(sync_init) == list(async_init)
    assert sync_init["http_client"].annotation == "httpx.Client | None"
    assert async_init["http_client"].annotation == "httpx.AsyncClient | None"
