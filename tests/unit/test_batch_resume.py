"""Resuming a batch from its state file: nothing lost, nothing created twice."""

from __future__ import annotations

import asyncio
import inspect
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from byteit import AsyncByteITClient, ByteITClient, ValidationError
from byteit._batch._grouping import group_key
from byteit._batch._journal import Journal

from .conftest import (
    CREATE_PATH,
    FakeServer,
    job_json,
    json_reply,
    serve_documents,
    uploaded_files,
)
from .test_batch import make_docs, results_for, stay_processing


def first_results(client: ByteITClient, results: Any, count: int) -> list[Any]:
    """Take `count` results, then stop the batch as a caller that breaks out would."""
    if inspect.isasyncgen(results):

        async def take() -> list[Any]:
            taken = []
            async for item in results:
                taken.append(item)
                if len(taken) == count:
                    break
            await results.aclose()
            return taken

        return client._runner.run(take())  # type: ignore[attr-defined, no-any-return]
    taken = []
    for item in results:
        taken.append(item)
        if len(taken) == count:
            break
    results.close()
    return taken


def created_names(server: FakeServer) -> list[str]:
    return [p.filename or "" for r in server.sent("POST") for p in uploaded_files(r)]


def records(state: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in state.read_text().splitlines()]


def test_a_stopped_batch_resumes_without_sending_any_document_twice(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 6)
    serve_documents(server, results_for(paths))
    stay_processing(server, paths[5].name, polls=3)
    state, out = tmp_path / "run.batch", tmp_path / "out"
    run = lambda: client.process_documents_as_completed(  # noqa: E731
        paths, output_dir=out, state_file=state, max_concurrency=3
    )
    assert len(first_results(client, run(), 2)) == 2
    delivered_before = [r for r in records(state) if r.get("e") == "done"]
    finished = client.process_documents(paths, output_dir=out, state_file=state)
    assert all(r.ok for r in finished)
    assert sorted(created_names(server)) == sorted(p.name for p in paths)  # each exactly once
    assert len(delivered_before) < len(paths)  # the first run really stopped early
    for path in paths:
        assert (out / f"{path.name}.txt").read_bytes() == f"result of {path.name}".encode()


def test_finished_documents_are_not_sent_again(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    state, out = tmp_path / "run.batch", tmp_path / "out"
    client.process_documents(paths, output_dir=out, state_file=state)
    requests = len(server.requests)
    again = client.process_documents(paths, output_dir=out, state_file=state)
    assert [r.value for r in again] == [str(out / f"{p.name}.txt") for p in paths]
    assert len(server.requests) == requests  # not even a poll


def test_a_result_kept_in_memory_is_downloaded_again_not_recreated(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))
    state = tmp_path / "run.batch"
    client.process_documents(paths, state_file=state)
    again = client.process_documents(paths, state_file=state)
    assert [r.value for r in again] == [b"result of doc000.txt", b"result of doc001.txt"]
    assert len(server.sent("POST")) == 1


def test_an_interrupted_creation_is_sent_again_with_the_same_key(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))
    state = tmp_path / "run.batch"
    server.add("POST", CREATE_PATH, httpx.Response(400, json={"detail": "x"}), first=True)
    server._routes[0][2].append(httpx.ConnectError("cut off"))  # type: ignore[arg-type]
    # First run: the creation is announced, then the process "dies" (here: a 400 once
    # then nothing but broken connections, so no job is recorded).
    with pytest.raises(Exception):  # noqa: B017,PT011
        client.process_documents(paths, state_file=state, max_concurrency=2)
    submitted = [r for r in records(state) if r.get("e") == "submit"]
    assert submitted
    assert not [r for r in records(state) if r.get("e") == "job"]
    server._routes.pop(0)
    sent_before = len(server.sent("POST"))
    client.process_documents(paths, state_file=state, max_concurrency=2)
    resent = server.sent("POST")[sent_before:]
    assert resent
    assert {r.headers["Idempotency-Key"] for r in resent} <= {r["group"] for r in submitted}


def test_keys_come_from_the_content_and_the_options(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    serve_documents(server, results_for(paths))
    state = tmp_path / "run.batch"
    client.process_documents(paths, state_file=state)
    run = records(state)[0]["run"]
    item = records(state)[1]["items"][0]
    key = server.sent("POST")[0].headers["Idempotency-Key"]
    assert key == group_key(run, [(item, 0)])
    paths[0].write_text("changed content")
    client.process_documents(paths, state_file=state)
    assert server.sent("POST")[-1].headers["Idempotency-Key"] != key
    client.process_documents(paths, None, {"languages": ["de"]}, state_file=state)
    keys = {r.headers["Idempotency-Key"] for r in server.sent("POST")}
    assert len(keys) == 3


def test_a_failed_job_is_tried_again_with_a_new_key(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    serve_documents(server, results_for(paths))
    failed = json_reply({"parse_job": job_json("job-doc000.txt", "failed", processing_error="x")})
    server.add("GET", r"/v1/jobs/parse-jobs/job-doc000.txt/", failed, first=True)
    state = tmp_path / "run.batch"
    assert not client.process_documents(paths, state_file=state, on_error="return")[0].ok
    server._routes.pop(0)
    assert client.process_documents(paths, state_file=state)[0].ok
    keys = [r.headers["Idempotency-Key"] for r in server.sent("POST")]
    assert len(keys) == 2
    assert keys[0] != keys[1]


def test_a_torn_last_line_is_dropped(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))
    state = tmp_path / "run.batch"
    client.process_documents(paths, state_file=state, output_dir=tmp_path / "out")
    with state.open("ab") as damaged:
        damaged.write(b'{"e":"done","item":"abc","jo')  # a kill in the middle of a write
    client.process_documents(paths, state_file=state, output_dir=tmp_path / "out")
    assert state.read_bytes().endswith(b"\n")
    assert len(server.sent("POST")) == 1


def test_a_file_that_is_not_a_state_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    state = tmp_path / "notes.txt"
    state.write_text("my shopping list\n")
    with pytest.raises(ValidationError, match="not a byteit batch state file"):
        client.process_documents(paths, state_file=state)
    assert server.requests == []
    assert state.read_text() == "my shopping list\n"


def test_two_runs_cannot_share_a_state_file(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    state = tmp_path / "run.batch"
    holder = Journal.open(state)
    try:
        with pytest.raises(ValidationError, match="another batch is running"):
            client.process_documents(paths, state_file=state)
    finally:
        holder.close()
    assert server.requests == []


def test_ctrl_c_leaves_a_state_file_the_next_run_completes(
    make_client: Any, server: FakeServer, tmp_path: Path, flavour: str
) -> None:
    client = make_client()
    paths = make_docs(tmp_path / "in", 6)
    serve_documents(server, results_for(paths))
    state, out = tmp_path / "run.batch", tmp_path / "out"

    def interrupt_after_first(stats: Any) -> None:
        if stats.done >= 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.process_documents(
            paths,
            output_dir=out,
            state_file=state,
            max_concurrency=2,
            on_progress=interrupt_after_first,
        )
    results = client.process_documents(paths, output_dir=out, state_file=state)
    assert all(r.ok for r in results)
    assert sorted(created_names(server)) == sorted(p.name for p in paths)


def test_cancelling_the_async_batch_settles_it_for_the_next_run(
    server: FakeServer, tmp_path: Path, clock: Any
) -> None:
    paths = make_docs(tmp_path / "in", 6)
    serve_documents(server, results_for(paths))
    for path in paths[2:]:
        stay_processing(server, path.name, polls=5)
    state = tmp_path / "run.batch"

    async def scenario() -> list[Any]:
        transport = httpx.MockTransport(server.handle)
        async with AsyncByteITClient(
            "kid.secret", base_url="http://127.0.0.1:9", clock=clock,
            http_client=httpx.AsyncClient(transport=transport),
        ) as client:  # fmt: skip
            task = asyncio.ensure_future(
                client.process_documents(paths, state_file=state, max_concurrency=6)
            )
            while not server.sent("GET", CREATE_PATH):
                await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return await client.process_documents(paths, state_file=state)

    results = asyncio.run(scenario())
    assert all(r.ok for r in results)
    assert sorted(created_names(server)) == sorted(p.name for p in paths)
