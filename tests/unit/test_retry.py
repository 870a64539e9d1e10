"""Retries: which failures are retried, how long the client waits, and when it stops."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

import byteit.retry
from byteit import (
    AuthenticationError,
    ByteITClient,
    BytesInputConnector,
    NetworkError,
    RateLimitError,
    ResourceNotFoundError,
    RetryPolicy,
    ServerError,
    ValidationError,
)
from byteit.retry import parse_retry_after

from .conftest import (
    CREATE_PATH,
    PIPE_DATA,
    BreakingStream,
    FakeClock,
    FakeServer,
    boundary_of,
    job_json,
    json_reply,
    multipart,
)

JOB = r"/v1/jobs/parse-jobs/job-1/"
OK = json_reply({"parse_job": job_json("job-1")})
NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def error(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"detail": f"status {status}"}, headers=headers)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_status_is_retried_then_succeeds(
    client: ByteITClient, server: FakeServer, status: int
) -> None:
    server.add("GET", JOB, error(status), error(status), OK)
    assert client.get_job("job-1").id == "job-1"
    assert len(server.requests) == 3


@pytest.mark.parametrize(("status", "kind"), [(503, ServerError), (429, RateLimitError)])
def test_retryable_status_is_raised_after_max_retries(
    make_client: Callable[..., ByteITClient],
    server: FakeServer,
    status: int,
    kind: type[Exception],
) -> None:
    server.add("GET", JOB, error(status))
    with pytest.raises(kind):
        make_client(max_retries=2).get_job("job-1")
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, ValidationError), (401, AuthenticationError), (404, ResourceNotFoundError)],
)
def test_client_errors_are_never_retried(
    client: ByteITClient, server: FakeServer, clock: FakeClock, status: int, kind: type[Exception]
) -> None:
    server.add("GET", JOB, error(status), OK)
    with pytest.raises(kind):
        client.get_job("job-1")
    assert len(server.requests) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed connection"),
    ],
)
def test_connection_errors_are_retried(
    client: ByteITClient, server: FakeServer, failure: Exception
) -> None:
    server.add("GET", JOB, failure, failure, OK)
    assert client.get_job("job-1").id == "job-1"
    assert len(server.requests) == 3


def cut_short(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        headers={"Content-Type": "application/json"},
        stream=BreakingStream(b'{"parse_job": {"id', httpx.RemoteProtocolError("peer closed")),
    )


def test_an_answer_cut_short_is_retried(client: ByteITClient, server: FakeServer) -> None:
    # Conformance scenario retry-truncated-json-body: the body's read failed outside the
    # retry loop, so the raw httpx error escaped.
    server.add("GET", JOB, cut_short, OK)
    assert client.get_job("job-1").id == "job-1"
    assert len(server.requests) == 2


def test_an_answer_always_cut_short_is_a_network_error(
    make_client: Callable[..., ByteITClient], server: FakeServer
) -> None:
    server.add("GET", JOB, cut_short)
    with pytest.raises(NetworkError, match="GET job job-1"):
        make_client(max_retries=1).get_job("job-1")
    assert len(server.requests) == 2


def test_connection_errors_become_network_error_after_max_retries(
    make_client: Callable[..., ByteITClient], server: FakeServer
) -> None:
    server.add("GET", JOB, httpx.ConnectError("connection refused"))
    with pytest.raises(NetworkError, match="connection refused"):
        make_client(max_retries=3).get_job("job-1")
    assert len(server.requests) == 4


def test_zero_max_retries_sends_once(
    no_retry_client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    server.add("GET", JOB, error(503), OK)
    with pytest.raises(ServerError):
        no_retry_client.get_job("job-1")
    assert len(server.requests) == 1
    assert clock.sleeps == []


def test_retry_after_seconds_is_honoured_exactly(
    client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    server.add(
        "GET", JOB, error(503, **{"Retry-After": "7"}), error(429, **{"Retry-After": "2.5"}), OK
    )
    client.get_job("job-1")
    assert clock.sleeps == [7.0, 2.5]


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Wall-clock time, as `parse_retry_after` reads it, stands still at NOW."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return NOW

    monkeypatch.setattr(byteit.retry, "datetime", Frozen)
    return NOW


def test_retry_after_http_date_is_honoured_exactly(
    client: ByteITClient, server: FakeServer, clock: FakeClock, frozen_now: datetime
) -> None:
    when = format_datetime(frozen_now + timedelta(seconds=12), usegmt=True)
    server.add("GET", JOB, error(503, **{"Retry-After": when}), OK)
    client.get_job("job-1")
    assert clock.sleeps == [12.0]


def test_retry_after_above_the_policy_limit_is_raised_at_once(
    make_client: Callable[..., ByteITClient], server: FakeServer, clock: FakeClock
) -> None:
    client = make_client(retry_policy=RetryPolicy(max_retries=5, max_retry_after=30))
    server.add("GET", JOB, error(429, **{"Retry-After": "31"}), OK)
    with pytest.raises(RateLimitError) as caught:
        client.get_job("job-1")
    assert caught.value.retry_after == 31.0
    assert clock.sleeps == []
    assert len(server.requests) == 1


def test_backoff_delays_stay_within_full_jitter_bounds(
    make_client: Callable[..., ByteITClient], server: FakeServer, clock: FakeClock
) -> None:
    policy = RetryPolicy(max_retries=6, base_delay=0.5, max_delay=4.0, deadline=None)
    server.add("GET", JOB, error(503))
    with pytest.raises(ServerError):
        make_client(retry_policy=policy).get_job("job-1")
    ceilings = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert len(clock.sleeps) == len(ceilings)
    for slept, ceiling in zip(clock.sleeps, ceilings, strict=True):
        assert 0 <= slept <= ceiling


class CeilingRng:
    """A stand-in for `random.Random` that always picks the top of the range."""

    def __init__(self) -> None:
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, low: float, high: float) -> float:
        self.ranges.append((low, high))
        return high


def test_backoff_draws_from_zero_to_a_doubling_capped_ceiling() -> None:
    rng = CeilingRng()
    state = RetryPolicy(max_retries=6, base_delay=0.5, max_delay=4.0, deadline=None).start(
        0.0,
        rng=rng,
        replay_safe=True,  # type: ignore[arg-type]
    )
    delays = [state.after_error(httpx.ConnectError("x"), 0.0) for _ in range(7)]
    assert rng.ranges == [(0, 0.5), (0, 1.0), (0, 2.0), (0, 4.0), (0, 4.0), (0, 4.0)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, None]


def test_deadline_stops_retrying(
    make_client: Callable[..., ByteITClient], server: FakeServer, clock: FakeClock
) -> None:
    client = make_client(retry_policy=RetryPolicy(max_retries=10, deadline=10))
    server.add("GET", JOB, error(503, **{"Retry-After": "4"}))
    with pytest.raises(ServerError):
        client.get_job("job-1")
    assert clock.sleeps == [4.0, 4.0]
    assert len(server.requests) == 3


# --- creation -----------------------------------------------------------------------------


def test_creation_retries_reuse_the_idempotency_key_and_resend_the_whole_file(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, error(503), error(502), OK)
    client.create_job(pdf_file)
    posts = server.sent("POST")
    assert len(posts) == 3
    keys = {r.headers["Idempotency-Key"] for r in posts}
    assert len(keys) == 1
    assert keys.pop()
    bodies = {r.content.replace(boundary_of(r), b"BOUNDARY") for r in posts}
    assert len(bodies) == 1
    assert multipart(posts[-1])["file"].data == pdf_file.read_bytes()


def test_creation_retried_after_a_connection_drop_resends_from_the_first_byte(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, httpx.ReadError("connection reset"), OK)
    client.create_job(pdf_file)
    files = [multipart(r)["file"].data for r in server.sent("POST")]
    assert files == [pdf_file.read_bytes()] * 2


def test_caller_idempotency_key_is_sent_on_every_attempt(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, error(500), OK)
    client.create_job(pdf_file, idempotency_key="my-key-1")
    assert [r.headers["Idempotency-Key"] for r in server.sent("POST")] == ["my-key-1"] * 2


def test_non_seekable_upload_is_not_retried_after_a_503(
    client: ByteITClient, server: FakeServer, pipe_stream: io.BufferedReader
) -> None:
    server.add("POST", CREATE_PATH, error(503), OK)
    with pytest.raises(ServerError):
        client.create_job(BytesInputConnector(pipe_stream, filename="piped.txt"))
    assert len(server.sent("POST")) == 1


def test_non_seekable_upload_is_never_resent_truncated(
    client: ByteITClient, server: FakeServer, pipe_stream: io.BufferedReader
) -> None:
    """Whatever the client does after a 429, every upload it sends holds the whole document."""
    server.add("POST", CREATE_PATH, error(429, **{"Retry-After": "1"}), OK)
    with contextlib.suppress(RateLimitError):
        client.create_job(BytesInputConnector(pipe_stream, filename="piped.txt"))
    for request in server.sent("POST"):
        assert multipart(request)["file"].data == PIPE_DATA


# --- parse_retry_after --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"), [("0", 0.0), ("5", 5.0), (" 30 ", 30.0), ("1.5", 1.5), ("-3", 0.0)]
)
def test_parse_retry_after_reads_seconds(value: str, seconds: float) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_parse_retry_after_reads_an_http_date() -> None:
    value = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(value, now=NOW) == 90.0


def test_parse_retry_after_past_date_is_zero() -> None:
    value = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(value, now=NOW) == 0.0


@pytest.mark.parametrize("value", ["soon", "", "Thu, 99 Foo 2025", "12 seconds"])
def test_parse_retry_after_garbage_is_none(value: str) -> None:
    assert parse_retry_after(value, now=NOW) is None


def test_parse_retry_after_absent_is_none() -> None:
    assert parse_retry_after(None, now=NOW) is None


def test_retry_policy_refuses_negative_settings() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
