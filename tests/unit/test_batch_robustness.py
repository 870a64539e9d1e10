"""The batch engine when the server misbehaves: slow jobs, refusals, long pauses, lost jobs."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from byteit import (
    AsyncByteITClient,
    ByteITClient,
    JobTimeoutError,
    LocalFileOutputConnector,
    ValidationError,
)
from byteit._batch import _setup as batch_setup
from byteit._batch._journal import Journal

from .conftest import (
    API_KEY,
    BASE_URL,
    CREATE_PATH,
    FakeClock,
    FakeServer,
    job_json,
    json_reply,
    multipart,
    serve_documents,
    uploaded_files,
)
from .test_batch import LIST, STATUS, make_docs, results_for


def test_max_wait_time_holds_when_the_last_job_is_polled_on_its_own(
    client: ByteITClient, server: FakeServer, tmp_path: Path, clock: FakeClock
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    serve_documents(server, results_for(paths))
    server.add("GET", STATUS[1], json_reply({"processing_status": "processing"}), first=True)
    results = client.process_documents(paths, max_wait_time=30, on_error="return")
    assert isinstance(results[0].error, JobTimeoutError)
    assert clock.now - 1000.0 < 60  # not an endless wait


def test_a_job_list_that_keeps_failing_gives_way_to_status_polls(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    server.add("GET", CREATE_PATH, json_reply({"no": "list"}), first=True)
    results = client.process_documents(paths, max_wait_time=30)
    assert all(r.ok for r in results)
    assert len(server.sent(*LIST)) == 1
    assert server.sent(*STATUS)


def test_every_refused_group_is_sent_again_one_by_one(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 30)
    serve_documents(server, results_for(paths))
    refuse = httpx.Response(400, json={"detail": "one 'file' only"})
    create = next(r for r in server._routes if r[0] == "POST")[2][0]
    server.add(
        "POST", CREATE_PATH, lambda r: create(r) if "file" in multipart(r) else refuse, first=True
    )
    results = client.process_documents(paths, max_concurrency=50)
    assert all(r.ok for r in results)
    singles = [r for r in server.sent("POST") if "file" in multipart(r)]
    assert sorted(p.filename for r in singles for p in uploaded_files(r)) == [p.name for p in paths]


def test_a_huge_retry_after_pauses_the_batch_no_longer_than_the_policy_allows(
    client: ByteITClient, server: FakeServer, tmp_path: Path, clock: FakeClock
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))
    answer_first(server, httpx.Response(429, headers={"Retry-After": "86400"}))
    results = client.process_documents(paths)
    assert all(r.ok for r in results)
    assert max(clock.sleeps) <= 60


def test_a_creation_throttled_past_its_retries_goes_back_in_line_under_its_key(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    answer_first(server, *[httpx.Response(429, headers={"Retry-After": "1"}) for _ in range(5)])
    results = client.process_documents(paths)
    assert all(r.ok for r in results)
    keys = {r.headers["Idempotency-Key"] for r in server.sent("POST")}
    assert len(server.sent("POST")) == 6
    assert len(keys) == 1


def test_a_job_finished_in_the_creation_answer_needs_no_poll(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))

    def done_at_once(request: httpx.Request) -> httpx.Response:
        jobs = [
            job_json(f"job-{p.filename}", "completed", metadata={"original_filename": p.filename})
            for p in uploaded_files(request)
        ]
        return json_reply({"parse_jobs": jobs, "failed_files": []}, status=201)

    server.add("POST", CREATE_PATH, done_at_once, first=True)
    results = client.process_documents(paths)
    assert [r.value for r in results] == [b"result of doc000.txt", b"result of doc001.txt"]
    assert not server.sent(*LIST)
    assert not server.sent(*STATUS)


def test_a_job_the_server_no_longer_has_is_created_again_on_resume(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths, state = ran_once_then_lost(client, server, tmp_path)
    again = job_json("job-again", "completed", metadata={"original_filename": "doc000.txt"})
    server.add("POST", CREATE_PATH, json_reply({"parse_job": again}, status=201), first=True)
    server.add("GET", r"/v1/jobs/parse-jobs/job-again/result/", json_reply("x"), first=True)
    results = client.process_documents(paths, state_file=state)
    assert results[0].ok
    assert len(server.sent("POST")) == 2
    assert server.sent("GET", r"/v1/jobs/parse-jobs/job-again/result/")


def test_a_server_that_keeps_losing_a_job_fails_the_document_rather_than_loop(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths, state = ran_once_then_lost(client, server, tmp_path)
    pending = json_reply({"parse_job": job_json("job-doc000.txt", "pending")}, status=201)
    server.add("POST", CREATE_PATH, pending, first=True)
    results = client.process_documents(paths, state_file=state, on_error="return")
    assert not results[0].ok
    assert "no such job" in str(results[0].error)
    assert len(server.sent("POST")) == 2  # created again once, not forever


def test_a_state_file_with_an_incomplete_record_is_refused(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    state = tmp_path / "run.batch"
    Journal.open(state).close()
    with state.open("a") as damaged:
        damaged.write('{"e":"job","item":"x"}\n')
    with pytest.raises(ValidationError, match="damaged"):
        client.process_documents(paths, state_file=state)
    assert server.requests == []


def test_cancelling_while_the_batch_starts_releases_its_state_file(
    server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    state = tmp_path / "run.batch"
    release = threading.Event()
    started = threading.Event()
    real_start = batch_setup.start

    def slow_start(*args: Any) -> Any:
        opened = real_start(*args)
        started.set()
        release.wait(timeout=10)
        return opened

    monkeypatch.setattr(batch_setup, "start", slow_start)

    async def scenario() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle))
        async with AsyncByteITClient(
            API_KEY, base_url=BASE_URL, http_client=http, clock=clock
        ) as c:
            task = asyncio.ensure_future(c.process_documents(paths, state_file=state))
            await asyncio.to_thread(started.wait, 10)
            task.cancel()
            await asyncio.sleep(0)
            release.set()
            with pytest.raises(asyncio.CancelledError):
                await task
        await http.aclose()

    asyncio.run(scenario())
    Journal.open(state).close()  # no "another batch is running": the lock was released


def answer_first(server: FakeServer, *replies: httpx.Response) -> None:
    """Creations get `replies` first, then the fake's own answers."""
    answers = iter(replies)
    create = next(route for route in server._routes if route[0] == "POST")[2][0]
    server.add("POST", CREATE_PATH, lambda r: next(answers, None) or create(r), first=True)


def ran_once_then_lost(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> tuple[list[Path], Path]:
    """A finished one-document batch (its result kept in memory, so a second run asks
    about its job), whose job the server has since lost."""
    paths = make_docs(tmp_path / "in", 1)
    serve_documents(server, results_for(paths))
    state = tmp_path / "run.batch"
    client.process_documents(paths, state_file=state)
    gone = httpx.Response(404, json={"detail": "no such job"})
    server.add("GET", r"/v1/jobs/job-doc000.txt/status/", gone, first=True)
    server.add("GET", r"/v1/jobs/parse-jobs/job-doc000.txt/", gone, first=True)
    return paths, state


def test_jobs_for_files_the_server_renamed_are_matched_in_upload_order(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))

    def renaming(request: httpx.Request) -> httpx.Response:
        jobs = [
            job_json(f"job-{p.filename}", "pending", metadata={"original_filename": f"X{i}.TXT"})
            for i, p in enumerate(uploaded_files(request))
        ]
        return json_reply({"parse_jobs": jobs, "failed_files": []}, status=201)

    server.add("POST", CREATE_PATH, renaming, first=True)
    results = client.process_documents(paths)
    assert [r.value for r in results] == [f"result of {p.name}".encode() for p in paths]
    assert len(server.sent("POST")) == 1  # no document sent twice


def test_two_documents_bound_for_the_same_file_are_refused_not_overwritten(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    first = make_docs(tmp_path / "a", 1)[0]
    second = make_docs(tmp_path / "b", 1)[0]  # the same name, another folder
    serve_documents(server, results_for([first]))
    out = LocalFileOutputConnector(tmp_path / "out/")
    results = client.process_documents([first, second], out, on_error="return")
    assert results[0].ok
    assert "another document of this batch is written to" in str(results[1].error)
    assert len(server.sent("POST")) == 1
