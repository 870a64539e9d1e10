"""wait_for_job: polls the status endpoint, reports progress, stops in time."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from byteit import (
    ByteITClient,
    ByteITError,
    JobProcessingError,
    JobStatus,
    JobTimeoutError,
    PollSchedule,
    ResourceNotFoundError,
    ValidationError,
)

from .conftest import FakeClock, FakeServer, job_json, json_reply

STATUS = r"/v1/jobs/job-1/status/"
JOB = r"/v1/jobs/parse-jobs/job-1/"


def status(state: str, progress: int | None = None, **headers: str) -> httpx.Response:
    return json_reply({"processing_status": state, "progress": progress}, headers=headers)


def test_waits_on_the_status_endpoint_then_returns_the_job(
    client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    server.add("GET", STATUS, status("pending"), status("processing"), status("completed"))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    job = client.wait_for_job("job-1")
    assert job.id == "job-1"
    assert job.is_completed
    assert len(server.sent("GET", STATUS)) == 3
    assert len(server.sent("GET", JOB)) == 1
    assert clock.sleeps == [0.5, 0.75]


def test_on_progress_sees_every_status(client: ByteITClient, server: FakeServer) -> None:
    server.add(
        "GET", STATUS, status("pending", 0), status("processing", 40), status("completed", 100)
    )
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    seen: list[JobStatus] = []
    client.wait_for_job("job-1", on_progress=seen.append)
    assert [(s.job_id, s.processing_status, s.progress) for s in seen] == [
        ("job-1", "pending", 0),
        ("job-1", "processing", 40),
        ("job-1", "completed", 100),
    ]


def test_unknown_status_counts_as_in_progress(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", STATUS, status("queued_for_ocr"), status("completed"))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    assert client.wait_for_job("job-1").is_completed
    assert len(server.sent("GET", STATUS)) == 2


def test_fixed_poll_interval(client: ByteITClient, server: FakeServer, clock: FakeClock) -> None:
    server.add("GET", STATUS, status("pending"), status("pending"), status("completed"))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    client.wait_for_job("job-1", poll_interval=3)
    assert clock.sleeps == [3.0, 3.0]


def test_retry_after_on_a_status_answer_is_honoured(
    client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    server.add("GET", STATUS, status("processing", **{"Retry-After": "6"}), status("completed"))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    client.wait_for_job("job-1")
    assert clock.sleeps == [6.0]


def test_failed_job_raises_with_its_processing_error(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", STATUS, status("failed"))
    server.add(
        "GET",
        JOB,
        json_reply({"parse_job": job_json("job-1", "failed", processing_error="corrupt PDF")}),
    )
    with pytest.raises(JobProcessingError) as caught:
        client.wait_for_job("job-1")
    assert caught.value.processing_error == "corrupt PDF"
    assert caught.value.job_id == "job-1"
    assert "corrupt PDF" in str(caught.value)


def test_timeout_names_the_job_and_never_really_sleeps(
    client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    server.add("GET", STATUS, status("processing"))
    with pytest.raises(JobTimeoutError) as caught:
        client.wait_for_job("job-1", max_wait_time=30)
    assert "job-1" in str(caught.value)
    assert caught.value.job_id == "job-1"
    assert caught.value.waited == pytest.approx(30)
    assert sum(clock.sleeps) == pytest.approx(30)


@pytest.mark.parametrize("max_wait", [1, 5, 12.5, 60])
def test_never_sleeps_past_max_wait_time(
    client: ByteITClient, server: FakeServer, clock: FakeClock, max_wait: float
) -> None:
    server.add("GET", STATUS, status("processing", **{"Retry-After": "4"}))
    with pytest.raises(JobTimeoutError):
        client.wait_for_job("job-1", max_wait_time=max_wait)
    assert sum(clock.sleeps) <= max_wait + 1e-9


def test_retried_status_polls_never_sleep_past_max_wait_time(
    client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    """A busy server asking for long Retry-After waits cannot stretch max_wait_time."""
    server.add(
        "GET", STATUS, httpx.Response(503, json={"detail": "busy"}, headers={"Retry-After": "30"})
    )
    with pytest.raises(ByteITError):
        client.wait_for_job("job-1", max_wait_time=5)
    assert sum(clock.sleeps) <= 5


def test_no_max_wait_time_waits_until_done(
    client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    server.add("GET", STATUS, *[status("processing")] * 200, status("completed"))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    assert client.wait_for_job("job-1", max_wait_time=None).is_completed
    assert sum(clock.sleeps) > 600


def test_falls_back_to_get_job_when_status_endpoint_is_missing(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", STATUS, httpx.Response(404, json={"detail": "Not Found"}))
    server.add(
        "GET",
        JOB,
        json_reply({"parse_job": job_json("job-1", "processing")}),
        json_reply({"parse_job": job_json("job-1", "completed")}),
    )
    seen: list[JobStatus] = []
    job = client.wait_for_job("job-1", on_progress=seen.append)
    assert job.is_completed
    assert [s.processing_status for s in seen] == ["processing", "completed"]
    assert len(server.sent("GET", STATUS)) == 1


def test_missing_job_after_fallback_is_not_found(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", STATUS, httpx.Response(404, json={"detail": "Not Found"}))
    server.add("GET", JOB, httpx.Response(404, json={"detail": "No such job"}))
    with pytest.raises(ResourceNotFoundError):
        client.wait_for_job("job-1")


@pytest.mark.parametrize(
    "kwargs",
    [{"max_wait_time": 0}, {"max_wait_time": -5}, {"poll_interval": 0}, {"poll_interval": -1}],
)
def test_bad_wait_arguments_are_refused_before_any_request(
    client: ByteITClient, server: FakeServer, kwargs: dict[str, float]
) -> None:
    with pytest.raises(ValidationError, match=next(iter(kwargs))):
        client.wait_for_job("job-1", **kwargs)
    assert server.requests == []


def test_custom_poll_schedule_is_used(
    make_client: Callable[..., ByteITClient], server: FakeServer, clock: FakeClock
) -> None:
    client = make_client(poll_schedule=PollSchedule(initial=2, factor=2, maximum=5))
    server.add("GET", STATUS, *[status("processing")] * 4, status("completed"))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    client.wait_for_job("job-1")
    assert clock.sleeps == [2.0, 4.0, 5.0, 5.0]
