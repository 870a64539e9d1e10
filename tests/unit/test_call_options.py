"""Per-call options of the earlier client's documented API: timeout, poll_interval,
queue_for_batch, with_options, and what the calls return."""

from __future__ import annotations

import asyncio
import math
import pickle
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from byteit import (
    AsyncByteITClient,
    ByteITClient,
    JobProcessingError,
    PollSchedule,
    RetryPolicy,
    ValidationError,
)
from byteit._secret import Secret

from .conftest import (
    API_KEY,
    BASE_URL,
    CREATE_PATH,
    FakeClock,
    FakeServer,
    job_json,
    json_reply,
    multipart,
    result_reply,
    serve_documents,
)
from .test_batch import collect

JOB = r"/v1/jobs/parse-jobs/job-1/"
RESULT = r"/v1/jobs/parse-jobs/job-1/result/"
STATUS = r"/v1/jobs/job-1/status/"


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_bytes(b"content")
    return path


METHODS = [
    "create_job",
    "get_job",
    "list_jobs",
    "get_job_status",
    "get_job_result",
    "wait_for_job",
    "process_document",
    "process_documents",
    "process_documents_as_completed",
]


def _timeouts(server: FakeServer) -> list[dict[str, float | None]]:
    return [request.extensions["timeout"] for request in server.requests]


def _every_call(client: ByteITClient, doc: Path, out: Path) -> dict[str, Callable[[Any], Any]]:
    """Each public method, called with one `timeout`."""
    return {
        "create_job": lambda t: client.create_job(doc, timeout=t),
        "get_job": lambda t: client.get_job("job-1", timeout=t),
        "list_jobs": lambda t: client.list_jobs(timeout=t),
        "get_job_status": lambda t: client.get_job_status("job-1", timeout=t),
        "get_job_result": lambda t: client.get_job_result("job-1", timeout=t),
        "wait_for_job": lambda t: client.wait_for_job("job-1", timeout=t),
        "process_document": lambda t: client.process_document(doc, timeout=t),
        "process_documents": lambda t: client.process_documents([doc], timeout=t),
        "process_documents_as_completed": lambda t: collect(
            client, client.process_documents_as_completed([doc], timeout=t)
        ),
    }


def _serve_everything(server: FakeServer) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    server.add("GET", STATUS, json_reply({"processing_status": "completed"}))
    server.add("GET", RESULT, httpx.Response(200, content=b"r"), first=True)
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1")}), first=True)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_sends_each_request_with_its_own_timeout(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path, method: str
) -> None:
    _serve_everything(server)
    _every_call(client, doc, tmp_path)[method](7.5)
    assert server.requests
    assert all(t == {"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}
               for t in _timeouts(server))  # fmt: skip


def test_no_timeout_means_the_clients_default_and_httpx_timeout_none_means_none(
    make_client: Callable[..., ByteITClient], server: FakeServer
) -> None:
    _serve_everything(server)
    client = make_client(timeout=httpx.Timeout(20.0, connect=3.0))
    client.get_job("job-1")
    client.get_job("job-1", timeout=httpx.Timeout(None))
    default, unlimited = _timeouts(server)
    assert default == {"connect": 3.0, "read": 20.0, "write": 20.0, "pool": 20.0}
    assert unlimited == {"connect": None, "read": None, "write": None, "pool": None}


@pytest.mark.parametrize("bad", [-1, 0, math.nan, math.inf, "10", True, httpx.Timeout(-1.0)])
@pytest.mark.parametrize("method", METHODS)
def test_a_bad_timeout_is_refused_before_anything_is_sent(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path, method: str, bad: Any
) -> None:
    with pytest.raises(ValidationError, match="timeout"):
        _every_call(client, doc, tmp_path)[method](bad)
    assert server.requests == []


def test_process_document_polls_every_poll_interval(
    client: ByteITClient, server: FakeServer, clock: FakeClock, doc: Path
) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    not_ready = json_reply({"ready": False, "processing_status": "processing"})
    result = result_reply(b"text of a", filename="a.txt")
    server.add("GET", r".*/result/", not_ready, not_ready, result, first=True)
    assert client.process_document(doc, poll_interval=4) == b"text of a"
    assert clock.sleeps == [4, 4, 4]  # the first poll after one interval, not at once


def test_process_document_takes_the_earlier_clients_positional_order(
    client: ByteITClient, server: FakeServer, clock: FakeClock, doc: Path, tmp_path: Path
) -> None:
    """(input_connector, output_connector, processing_options, output_path, poll_interval,
    max_wait_time, timeout, max_workers), as its README's API reference lists them."""
    serve_documents(server, {"a.txt": b"text of a"})
    target = tmp_path / "out.txt"
    written = client.process_document(doc, None, None, target, 5, 600, 30, 5)
    assert written == str(target)
    assert isinstance(written, str)


@pytest.mark.parametrize("how", ["create_job", "process_document", "process_documents"])
def test_queue_for_batch_is_sent_as_a_form_field(
    client: ByteITClient, server: FakeServer, doc: Path, how: str
) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    call = getattr(client, how)
    call([doc] if how == "process_documents" else doc, queue_for_batch=True)
    [create] = server.sent("POST", CREATE_PATH)
    assert multipart(create)["queue_for_batch"].data == b"true"


def test_queue_for_batch_is_not_sent_by_default(
    client: ByteITClient, server: FakeServer, doc: Path
) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    client.create_job(doc)
    assert "queue_for_batch" not in multipart(server.sent("POST", CREATE_PATH)[0])


def test_a_bad_queue_for_batch_is_refused_before_anything_is_sent(
    client: ByteITClient, server: FakeServer, doc: Path
) -> None:
    with pytest.raises(ValidationError, match="queue_for_batch"):
        client.create_job(doc, queue_for_batch="yes")  # type: ignore[arg-type]
    assert server.requests == []


def test_get_job_result_of_a_failed_job_says_why_it_failed(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", RESULT, json_reply({"detail": "job failed: unreadable scan"}, status=400))
    failed = job_json("job-1", "failed", processing_error="unreadable scan")
    server.add("GET", JOB, json_reply({"parse_job": failed}))
    with pytest.raises(JobProcessingError, match="unreadable scan") as caught:
        client.get_job_result("job-1")
    assert caught.value.job_id == "job-1"
    assert caught.value.processing_error == "unreadable scan"


def test_process_document_returns_the_path_written_as_a_str(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    written = client.process_document(doc, output_path=tmp_path / "r.txt")
    assert written == str(tmp_path / "r.txt")
    [item] = client.process_documents([doc], output_dir=tmp_path / "out")
    assert item.value == str(tmp_path / "out" / "a.txt.txt")


# --- with_options -----------------------------------------------------------------------


def test_with_options_overrides_settings_and_shares_the_connection_pool(
    make_client: Callable[..., ByteITClient], server: FakeServer, flavour: str
) -> None:
    _serve_everything(server)
    client = make_client()
    patient = client.with_options(timeout=99, max_retries=7, poll_schedule=PollSchedule.fixed(2.0))
    patient.get_job("job-1")
    assert _timeouts(server)[-1]["read"] == 99
    original = getattr(client, "_client", client)
    changed = getattr(patient, "_client", patient)
    assert changed._http is original._http  # type: ignore[attr-defined]
    assert changed._config.retry.max_retries == 7  # type: ignore[attr-defined]
    assert original._config.retry.max_retries != 7  # type: ignore[attr-defined]
    assert changed._config.polls == PollSchedule.fixed(2.0)  # type: ignore[attr-defined]


def test_a_retry_policy_given_to_with_options_wins_over_max_retries(
    make_client: Callable[..., ByteITClient],
) -> None:
    policy = RetryPolicy(max_retries=1, deadline=5)
    changed = make_client().with_options(retry_policy=policy, max_retries=9)
    assert getattr(changed, "_client", changed)._config.retry == policy


def test_closing_a_with_options_copy_leaves_the_original_open() -> None:
    original = ByteITClient(API_KEY, base_url=BASE_URL)
    copy = original.with_options(timeout=5)
    copy.close()
    assert not original._http.is_closed
    original.close()
    assert original._http.is_closed


def test_closing_an_async_with_options_copy_leaves_the_original_open() -> None:
    async def scenario() -> None:
        original = AsyncByteITClient(API_KEY, base_url=BASE_URL)
        copy = original.with_options(max_retries=0)
        await copy.aclose()
        assert not original._http.is_closed
        await original.aclose()
        assert original._http.is_closed

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "options",
    [{"timeout": -3}, {"max_retries": -1}, {"retry_policy": 3}, {"poll_schedule": 2.0}],
)
def test_with_options_refuses_bad_values(options: dict[str, Any]) -> None:
    with ByteITClient(API_KEY, base_url=BASE_URL) as client, pytest.raises(ValidationError):
        client.with_options(**options)


# --- the key never shows ----------------------------------------------------------------


@pytest.mark.parametrize("cls", [ByteITClient, AsyncByteITClient])
def test_repr_of_a_client_whose_init_failed_does_not_raise(cls: type[ByteITClient]) -> None:
    client = cls.__new__(cls)
    assert "not configured" in repr(client)


@pytest.mark.parametrize("cls", [ByteITClient, AsyncByteITClient])
def test_a_traceback_with_locals_never_shows_the_key(cls: type[ByteITClient]) -> None:
    with pytest.raises(ValidationError) as caught:
        cls(API_KEY, base_url="http://example.com")  # refused: plain http off loopback
    shown = "".join(
        traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()
    )
    assert "secret" in shown  # the frames' locals are there,
    assert API_KEY not in shown  # but the key is not


def test_a_traceback_with_locals_from_a_failed_call_never_shows_the_key(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, json_reply({"detail": "nope"}, status=404))
    with pytest.raises(Exception) as caught:  # noqa: PT011  (any error: only its frames matter)
        client.get_job("job-1")
    shown = "".join(
        traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()
    )
    assert API_KEY not in shown


def test_a_secret_never_shows_itself_and_is_not_pickled() -> None:
    secret = Secret(API_KEY)
    assert API_KEY not in repr(secret)
    assert API_KEY not in str(secret)
    assert API_KEY not in f"{secret}"
    assert secret.reveal() == API_KEY
    assert secret.scrub(f"echo {API_KEY}!") == "echo ***!"
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(secret)
