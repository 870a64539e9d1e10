"""Every failed answer becomes the right `ByteITError`, carrying what the server said."""

from __future__ import annotations

import httpx
import pytest

from byteit import (
    APIKeyError,
    AuthenticationError,
    ByteITClient,
    ByteITError,
    JobProcessingError,
    RateLimitError,
    ResourceNotFoundError,
    ResultNotReadyError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)

from .conftest import API_KEY, FakeServer

JOB = r"/v1/jobs/parse-jobs/job-1/"


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, ValidationError),
        (401, AuthenticationError),
        (403, APIKeyError),
        (404, ResourceNotFoundError),
        (413, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (418, ValidationError),
        (409, ValidationError),
        (302, UnexpectedResponseError),
        (304, UnexpectedResponseError),
        (202, UnexpectedResponseError),
    ],
)
def test_status_maps_to_error_class(
    no_retry_client: ByteITClient, server: FakeServer, status: int, kind: type[ByteITError]
) -> None:
    server.add("GET", JOB, httpx.Response(status, json={"detail": "nope"}))
    with pytest.raises(kind) as caught:
        no_retry_client.get_job("job-1")
    assert type(caught.value) is kind
    assert caught.value.status_code == status


def test_error_carries_status_parsed_body_and_request_id(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    body = {"detail": "job not found", "code": "not_found"}
    server.add("GET", JOB, httpx.Response(404, json=body, headers={"X-Request-Id": "req-77"}))
    with pytest.raises(ResourceNotFoundError) as caught:
        no_retry_client.get_job("job-1")
    error = caught.value
    assert (error.status_code, error.body, error.request_id) == (404, body, "req-77")
    assert "req-77" in str(error)


def test_error_without_request_id_has_none(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(400, json={"detail": "bad"}))
    with pytest.raises(ValidationError) as caught:
        no_retry_client.get_job("job-1")
    assert caught.value.request_id is None


@pytest.mark.parametrize("key", ["detail", "error"])
def test_detail_or_error_body_gives_the_message(
    no_retry_client: ByteITClient, server: FakeServer, key: str
) -> None:
    server.add("GET", JOB, httpx.Response(400, json={key: "page_range is out of bounds"}))
    with pytest.raises(ValidationError, match="page_range is out of bounds"):
        no_retry_client.get_job("job-1")


def test_structured_detail_is_shown_as_json(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    detail = [{"loc": ["languages"], "msg": "unknown language"}]
    server.add("GET", JOB, httpx.Response(400, json={"detail": detail}))
    with pytest.raises(ValidationError, match="unknown language") as caught:
        no_retry_client.get_job("job-1")
    assert caught.value.body == {"detail": detail}


def test_message_names_the_operation_and_status(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(404, json={"detail": "gone"}))
    with pytest.raises(ResourceNotFoundError) as caught:
        no_retry_client.get_job("job-1")
    assert "HTTP 404" in str(caught.value)
    assert "job-1" in str(caught.value)


def test_401_message_says_to_check_the_key(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(401, json={"detail": "Invalid API key"}))
    with pytest.raises(AuthenticationError, match="BYTEIT_API_KEY"):
        no_retry_client.get_job("job-1")


def test_rate_limit_error_carries_retry_after(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add(
        "GET", JOB, httpx.Response(429, json={"detail": "slow"}, headers={"Retry-After": "17"})
    )
    with pytest.raises(RateLimitError) as caught:
        no_retry_client.get_job("job-1")
    assert caught.value.retry_after == 17.0


def test_rate_limit_without_retry_after_has_none(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(429, json={"detail": "slow"}))
    with pytest.raises(RateLimitError) as caught:
        no_retry_client.get_job("job-1")
    assert caught.value.retry_after is None


HTML_502 = b"""<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"""


def test_html_error_page_gives_a_clear_message(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add(
        "GET", JOB, httpx.Response(502, content=HTML_502, headers={"Content-Type": "text/html"})
    )
    with pytest.raises(ServerError) as caught:
        no_retry_client.get_job("job-1")
    message = str(caught.value)
    assert "HTML" in message
    assert "502 Bad Gateway" in message
    assert "<body>" not in message
    assert caught.value.status_code == 502


def test_html_page_without_content_type_is_still_recognised(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(503, content=HTML_502))
    with pytest.raises(ServerError, match="HTML"):
        no_retry_client.get_job("job-1")


def test_plain_text_error_body_is_kept_as_text(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(500, content=b"upstream exploded"))
    with pytest.raises(ServerError, match="upstream exploded") as caught:
        no_retry_client.get_job("job-1")
    assert caught.value.body == "upstream exploded"


def test_empty_error_body_still_gives_a_message(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(500))
    with pytest.raises(ServerError, match="HTTP 500"):
        no_retry_client.get_job("job-1")


def test_huge_error_body_is_shortened_in_the_message(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.Response(400, json={"detail": "x" * 10_000}))
    with pytest.raises(ValidationError) as caught:
        no_retry_client.get_job("job-1")
    assert len(str(caught.value)) < 1000


@pytest.mark.parametrize(
    "body",
    [
        {"detail": f"key {API_KEY} was revoked"},
        {"error": f"bad key: {API_KEY}"},
        {"detail": "no", "echo": {"headers": {"X-API-Key": API_KEY}, "seen": [API_KEY]}},
        {"detail": "no", "revoked_keys": {API_KEY: "revoked"}},
    ],
)
def test_echoed_key_never_appears_in_the_error(
    no_retry_client: ByteITClient, server: FakeServer, body: object
) -> None:
    server.add("GET", JOB, httpx.Response(401, json=body))
    with pytest.raises(AuthenticationError) as caught:
        no_retry_client.get_job("job-1")
    error = caught.value
    for shown in (str(error), repr(error), repr(error.body), error.message):
        assert API_KEY not in shown


def test_echoed_key_in_an_html_page_never_appears(
    no_retry_client: ByteITClient, server: FakeServer
) -> None:
    page = f"<html><head><title>Denied {API_KEY}</title></head><body>{API_KEY}</body></html>"
    server.add("GET", JOB, httpx.Response(403, text=page, headers={"Content-Type": "text/html"}))
    with pytest.raises(APIKeyError) as caught:
        no_retry_client.get_job("job-1")
    for shown in (str(caught.value), repr(caught.value), repr(caught.value.body)):
        assert API_KEY not in shown


def test_every_error_is_a_byteit_error() -> None:
    for kind in (
        APIKeyError,
        AuthenticationError,
        ValidationError,
        ResourceNotFoundError,
        RateLimitError,
        ServerError,
        UnexpectedResponseError,
        JobProcessingError,
        ResultNotReadyError,
    ):
        assert issubclass(kind, ByteITError)
    assert issubclass(ResultNotReadyError, JobProcessingError)
    assert issubclass(ValidationError, ValueError)
