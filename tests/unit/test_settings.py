"""Where the API key and base URL come from, and which values are refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from byteit import APIKeyError, ByteITClient, ValidationError

from .conftest import API_KEY


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BYTEIT_API_KEY", raising=False)
    monkeypatch.delenv("BYTEIT_BASE_URL", raising=False)


@pytest.fixture
def build() -> Iterator[type[ByteITClient]]:
    """ByteITClient over a mock transport, with every client made closed afterwards."""
    made: list[httpx.Client] = []

    class Closing(ByteITClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            http = httpx.Client(transport=httpx.MockTransport(_echo_key))
            made.append(http)
            super().__init__(*args, http_client=http, **kwargs)

    yield Closing
    for http in made:
        http.close()


def _echo_key(request: httpx.Request) -> httpx.Response:
    """A job list whose detail is the key the request carried."""
    key = request.headers.get("X-API-Key", "")
    return httpx.Response(200, json={"parse_jobs": [], "count": 0, "detail": key})


def sent_key(client: ByteITClient) -> str | None:
    """The X-API-Key the client sends."""
    return client.list_jobs().detail


def test_api_key_argument_is_used(build: type[ByteITClient]) -> None:
    client = build(api_key=API_KEY)
    assert sent_key(client) == API_KEY


def test_api_key_falls_back_to_environment(
    build: type[ByteITClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYTEIT_API_KEY", API_KEY)
    assert sent_key(build()) == API_KEY


def test_api_key_argument_wins_over_environment(
    build: type[ByteITClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYTEIT_API_KEY", "env.key")
    assert sent_key(build(api_key=API_KEY)) == API_KEY


def test_missing_key_says_how_to_set_one(build: type[ByteITClient]) -> None:
    with pytest.raises(APIKeyError) as caught:
        build()
    assert "BYTEIT_API_KEY" in str(caught.value)
    assert "api_key" in str(caught.value)


@pytest.mark.parametrize("bad_key", [".SECRETX9", "kid."])
def test_key_without_id_or_secret_is_malformed(build: type[ByteITClient], bad_key: str) -> None:
    with pytest.raises(APIKeyError, match="malformed"):
        build(api_key=bad_key)


def test_empty_key_is_missing(build: type[ByteITClient]) -> None:
    with pytest.raises(APIKeyError, match="BYTEIT_API_KEY"):
        build(api_key="")


@pytest.mark.parametrize(
    "bad_key",
    [
        "nodotSECRETX9",
        "kid.with spaceSECRETX9",
        "kid.SECRETX9\n",
        "kid.SECRETX9 ",
        "kid.SECRETX9\t",
    ],
)
def test_malformed_key_is_refused_without_echoing_it(
    build: type[ByteITClient], bad_key: str
) -> None:
    with pytest.raises(APIKeyError) as caught:
        build(api_key=bad_key)
    error = caught.value
    for shown in (str(error), repr(error), str(error.body)):
        assert "SECRETX9" not in shown
    assert "malformed" in str(error)


def test_base_url_argument_is_used(build: type[ByteITClient]) -> None:
    assert build(api_key=API_KEY, base_url="https://eu.byteit.ai").base_url == (
        "https://eu.byteit.ai"
    )


def test_base_url_falls_back_to_environment(
    build: type[ByteITClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYTEIT_BASE_URL", "https://staging.byteit.ai")
    assert build(api_key=API_KEY).base_url == "https://staging.byteit.ai"


def test_base_url_argument_wins_over_environment(
    build: type[ByteITClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYTEIT_BASE_URL", "https://staging.byteit.ai")
    assert build(api_key=API_KEY, base_url="https://eu.byteit.ai").base_url == (
        "https://eu.byteit.ai"
    )


def test_base_url_defaults_to_byteit_ai(build: type[ByteITClient]) -> None:
    assert build(api_key=API_KEY).base_url == "https://byteit.ai"


@pytest.mark.parametrize(
    "url", ["http://byteit.ai", "http://10.0.0.5:8000", "http://example.com/", "http://[::2]"]
)
def test_plain_http_to_a_remote_host_is_refused(build: type[ByteITClient], url: str) -> None:
    with pytest.raises(ValidationError, match="https"):
        build(api_key=API_KEY, base_url=url)


def test_plain_http_from_environment_is_refused_too(
    build: type[ByteITClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYTEIT_BASE_URL", "http://byteit.ai")
    with pytest.raises(ValidationError):
        build(api_key=API_KEY)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "http://127.0.0.2"],
)
def test_plain_http_to_loopback_is_allowed(build: type[ByteITClient], url: str) -> None:
    assert build(api_key=API_KEY, base_url=url).base_url == url


@pytest.mark.parametrize("url", ["ftp://byteit.ai", "byteit.ai", "https://"])
def test_non_http_base_url_is_refused(build: type[ByteITClient], url: str) -> None:
    with pytest.raises(ValidationError, match="URL"):
        build(api_key=API_KEY, base_url=url)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://byteit.ai/", "https://byteit.ai"),
        ("http://127.0.0.1:8000//", "http://127.0.0.1:8000"),
    ],
)
def test_trailing_slash_is_stripped(build: type[ByteITClient], given: str, kept: str) -> None:
    assert build(api_key=API_KEY, base_url=given).base_url == kept
