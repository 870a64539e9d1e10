"""The sync and async clients offer the same methods, in order, with the same signatures."""

from __future__ import annotations

import inspect

from byteit import AsyncByteITClient, ByteITClient

LIFECYCLE = {"close": "aclose", "__enter__": "__aenter__", "__exit__": "__aexit__"}
# Methods that return an iterator: the async client's returns an async iterator instead.
ITERATORS = {"process_documents_as_completed", "extract_documents_as_completed"}
# Methods that do no I/O, so are plain methods on both clients.
PLAIN = {"with_options"}


def _public_methods(cls: type) -> list[str]:
    return [
        name for name, value in vars(cls).items() if callable(value) and not name.startswith("_")
    ]


def test_async_client_has_the_sync_methods_in_the_same_order() -> None:
    sync = [LIFECYCLE.get(name, name) for name in _public_methods(ByteITClient)]
    assert sync == _public_methods(AsyncByteITClient)


def test_every_async_method_is_a_coroutine_function_or_gives_an_async_iterator() -> None:
    for name in _public_methods(AsyncByteITClient):
        method = getattr(AsyncByteITClient, name)
        if name in PLAIN:
            assert not inspect.iscoroutinefunction(method), name
        elif name in ITERATORS:
            returns = inspect.signature(method).return_annotation
            assert returns.startswith("AsyncIterator["), name
        else:
            assert inspect.iscoroutinefunction(method), name


def _same_apart_from_iteration(sync_sig: inspect.Signature, async_sig: inspect.Signature) -> bool:
    returns = sync_sig.return_annotation
    if isinstance(returns, str) and returns.startswith("Iterator["):
        sync_sig = sync_sig.replace(return_annotation="Async" + returns)
    return sync_sig == async_sig


def test_signatures_match_apart_from_the_http_client_type() -> None:
    for name in _public_methods(ByteITClient):
        sync_sig = inspect.signature(getattr(ByteITClient, name))
        async_sig = inspect.signature(getattr(AsyncByteITClient, LIFECYCLE.get(name, name)))
        assert _same_apart_from_iteration(sync_sig, async_sig), name
    sync_init = inspect.signature(ByteITClient.__init__).parameters
    async_init = inspect.signature(AsyncByteITClient.__init__).parameters
    assert list(sync_init) == list(async_init)
    assert sync_init["http_client"].annotation == "httpx.Client | None"
    assert async_init["http_client"].annotation == "httpx.AsyncClient | None"
