"""The batch engine, through both clients: order, failures, folders, grouping, polling, pressure."""

from __future__ import annotations

import collections
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from byteit import (
    BatchError,
    ByteITClient,
    ItemResult,
    JobProcessingError,
    JobTimeoutError,
    LocalFileOutputConnector,
    ValidationError,
)
from byteit._batch import _work
from byteit._batch._grouping import GroupLimits, take_group
from byteit._batch._items import Item
from byteit._batch._pressure import AdaptiveLimit
from byteit._batch._scheduler import BatchStats
from byteit._jobs._create import prepare_create
from byteit._jobs._limits import request_bytes
from byteit.connectors import ByteITStorageOutputConnector, BytesInputConnector
from byteit.models import Job
from byteit.options import ProcessingOptions

from .conftest import (
    CREATE_PATH,
    FakeClock,
    FakeServer,
    job_json,
    json_reply,
    serve_documents,
    uploaded_files,
)

LIST = ("GET", CREATE_PATH)
STATUS = ("GET", r"/v1/jobs/[^/]+/status/")


def make_docs(folder: Path, count: int, prefix: str = "doc") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{prefix}{i:03}.txt" for i in range(count)]
    for path in paths:
        path.write_text(f"text of {path.name}")
    return paths


def results_for(paths: list[Path]) -> dict[str, bytes]:
    return {path.name: f"result of {path.name}".encode() for path in paths}


def collect(client: ByteITClient, results: Any) -> list[ItemResult[Any]]:
    """Drain `process_documents_as_completed` from either client."""
    if inspect.isasyncgen(results):

        async def drain() -> list[ItemResult[Any]]:
            return [item async for item in results]

        return client._runner.run(drain())  # type: ignore[attr-defined, no-any-return]
    return list(results)


def stay_processing(server: FakeServer, name: str, polls: int = 10**6) -> None:
    """Job ``job-<name>`` reads as processing for `polls` reads, then as completed."""
    processing = json_reply({"parse_job": job_json(f"job-{name}", "processing")})
    done = json_reply(
        {"parse_job": job_json(f"job-{name}", "completed", metadata={"original_filename": name})}
    )
    server.add("GET", rf"/v1/jobs/parse-jobs/job-{name}/", *[processing] * polls, done, first=True)


# --- order and failures ------------------------------------------------------------------


def test_results_come_in_input_order_with_their_values(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 5)
    serve_documents(server, results_for(paths))
    results = client.process_documents(paths)
    assert [r.index for r in results] == list(range(5))
    assert [r.input for r in results] == paths
    assert [r.value for r in results] == [f"result of {p.name}".encode() for p in paths]


def test_as_completed_yields_each_result_as_it_finishes(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    stay_processing(server, paths[0].name, polls=3)
    finished = collect(client, client.process_documents_as_completed(paths))
    assert [r.index for r in finished][-1] == 0  # the slow one, after the other two
    assert sorted(r.index for r in finished) == [0, 1, 2]
    assert all(r.ok for r in finished)


def test_on_error_return_gives_every_result_failures_in_place(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    failed = job_json("job-doc001.txt", "failed", processing_error="encrypted")
    server.add(
        "GET", r"/v1/jobs/parse-jobs/job-doc001.txt/", json_reply({"parse_job": failed}), first=True
    )
    results = client.process_documents(paths, on_error="return")
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, JobProcessingError)
    assert "encrypted" in str(results[1].error)
    assert not server.sent("GET", r".*/job-doc001.txt/result/")


def test_on_error_raise_raises_one_batch_error_holding_every_result(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    failed = job_json("job-doc002.txt", "failed", processing_error="unreadable")
    server.add(
        "GET", r"/v1/jobs/parse-jobs/job-doc002.txt/", json_reply({"parse_job": failed}), first=True
    )
    with pytest.raises(BatchError, match=r"1 of 3 documents failed.*doc002.*unreadable") as caught:
        client.process_documents(paths)
    assert [r.ok for r in caught.value.results] == [True, True, False]
    assert caught.value.results[0].value == b"result of doc000.txt"


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ({"on_error": "ignore"}, "on_error"),
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"poll_interval": -1}, "poll_interval"),
        ({"processing_options": {"colour": True}}, "colour"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path, argument: dict[str, Any], message: str
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    with pytest.raises(ValidationError, match=message):
        client.process_documents(paths, **argument)
    assert server.requests == []


# --- inputs ------------------------------------------------------------------------------


def test_folders_are_walked_and_bad_files_are_reported_in_place(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    root = tmp_path / "docs"
    make_docs(root / "sub" / "deeper", 1, prefix="deep")
    make_docs(root, 1, prefix="top")
    (root / "tool.exe").write_bytes(b"MZ")
    (root / "empty.txt").write_bytes(b"")
    (root / ".hidden.txt").write_text("never sent")
    serve_documents(server, {"top000.txt": b"top", "deep000.txt": b"deep"})
    results = client.process_documents([root], on_error="return")
    by_name = {Path(r.input).name: r for r in results}
    assert sorted(by_name) == ["deep000.txt", "empty.txt", "tool.exe", "top000.txt"]
    assert by_name["deep000.txt"].value == b"deep"
    assert by_name["top000.txt"].value == b"top"
    assert isinstance(by_name["tool.exe"].error, ValidationError)
    assert "unsupported" in str(by_name["tool.exe"].error)
    assert isinstance(by_name["empty.txt"].error, ValidationError)
    assert "empty" in str(by_name["empty.txt"].error)
    sent = [p.filename for r in server.sent("POST") for p in uploaded_files(r)]
    assert sorted(sent) == ["deep000.txt", "top000.txt"]


def test_a_missing_path_and_an_empty_folder_are_reported_not_raised(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    (tmp_path / "nothing").mkdir()
    serve_documents(server, results_for(paths))
    given = [tmp_path / "missing.pdf", tmp_path / "nothing", paths[0]]
    results = client.process_documents(given, on_error="return")
    assert [r.ok for r in results] == [False, False, True]
    assert "no such file" in str(results[0].error)
    assert "holds no file" in str(results[1].error)


def test_output_dir_mirrors_the_folders_given(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    root = tmp_path / "docs"
    a = make_docs(root / "a", 1)
    b = make_docs(root / "b", 1)  # the same file name as a's, in another folder
    serve_documents(server, {"doc000.txt": b"same name"})
    out = tmp_path / "out"
    results = client.process_documents([root], output_dir=out)
    expected = [out / "a" / "doc000.txt.txt", out / "b" / "doc000.txt.txt"]
    assert [r.value for r in results] == [str(path) for path in expected]
    assert (out / "a" / "doc000.txt.txt").read_bytes() == b"same name"
    assert len(a) == len(b) == 1
    assert len(server.sent("POST")) == 2  # equal names never share a request


def test_one_output_connector_per_input(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))
    targets = [tmp_path / "x.txt", tmp_path / "y.txt"]
    outputs = [LocalFileOutputConnector(target) for target in targets]
    results = client.process_documents(paths, outputs)
    assert [r.value for r in results] == [str(target) for target in targets]
    assert targets[1].read_bytes() == b"result of doc001.txt"
    with pytest.raises(ValidationError, match="list of 2"):
        client.process_documents(paths, outputs[:1])


# --- fewer requests ----------------------------------------------------------------------


def test_documents_are_created_together_within_the_files_limit(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 30)
    serve_documents(server, results_for(paths))
    client.process_documents(paths, max_concurrency=40)
    sizes = sorted(len(uploaded_files(r)) for r in server.sent("POST"))
    assert sizes == [5, 25]


def test_a_group_stays_within_the_request_byte_limit() -> None:
    class Doc:
        def __init__(self, name: str, size: int) -> None:
            self.size = size
            self.request = _request_named(name)

    pending = collections.deque(Doc(f"d{i}.txt", 40) for i in range(6))
    two = request_bytes([40, 40])
    limits = GroupLimits(max_files=25, max_file_bytes=100, max_request_bytes=two)
    group = take_group(pending, 10, limits)  # type: ignore[arg-type]
    assert [d.request.source.name for d in group] == ["d0.txt", "d1.txt"]
    assert len(pending) == 4


def test_jobs_in_flight_are_polled_with_one_list_call_per_tick(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 10)
    serve_documents(server, results_for(paths))
    for path in paths:
        stay_processing(server, path.name, polls=2)
    client.process_documents(paths)
    assert not server.sent(*STATUS)
    assert not server.sent("GET", r"/v1/jobs/parse-jobs/job-[^/]+/")
    assert 1 <= len(server.sent(*LIST)) <= 4
    requests_per_document = len(server.requests) / len(paths)
    assert requests_per_document < 1.5


def test_a_list_that_leaves_jobs_out_falls_back_to_each_jobs_status(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    server.add("GET", CREATE_PATH, json_reply({"parse_jobs": [], "count": 3}), first=True)
    results = client.process_documents(paths)
    assert all(r.ok for r in results)
    assert len(server.sent(*LIST)) == 1
    assert len(server.sent(*STATUS)) == 3


def test_a_server_without_a_job_list_is_polled_job_by_job(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    server.add("GET", CREATE_PATH, httpx.Response(405, json={"detail": "no"}), first=True)
    results = client.process_documents(paths)
    assert all(r.ok for r in results)
    assert len(server.sent(*STATUS)) == 3


# --- under pressure ----------------------------------------------------------------------


def test_concurrency_halves_on_429_honours_retry_after_and_recovers(
    client: ByteITClient, server: FakeServer, tmp_path: Path, clock: FakeClock
) -> None:
    paths = make_docs(tmp_path / "in", 24)
    serve_documents(server, results_for(paths))
    throttled = httpx.Response(429, headers={"Retry-After": "7"})
    server.add("POST", CREATE_PATH, throttled, first=True)  # the first answer only
    route = server._routes[0]
    route[2].append(_pass_through(server))
    client.process_documents(paths, max_concurrency=8)
    sizes = [len(uploaded_files(r)) for r in server.sent("POST")]
    assert sizes[:2] == [8, 8]  # the throttled group, sent again whole under its key
    assert max(sizes[2:]) <= 4  # halved...
    assert 7 in clock.sleeps  # ...after waiting what the server asked
    assert sum(sizes[1:]) == 24


def test_concurrency_grows_back_after_a_429() -> None:
    limit = AdaptiveLimit(8)
    limit.throttled(now=0.0, retry_after=2.0)
    limit.throttled(now=0.5, retry_after=2.0)  # the same episode: no second halving
    assert limit.value == 4
    assert limit.not_before == 2.5
    for _ in range(30):
        limit.succeeded()
    assert limit.value == 8


def test_a_shared_retry_budget_stops_an_outage_becoming_a_retry_storm(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 60)
    server.add("POST", CREATE_PATH, httpx.Response(500, json={"detail": "down"}))
    results = client.process_documents(paths, max_concurrency=1, on_error="return")
    assert not any(r.ok for r in results)
    posts = len(server.sent("POST"))
    assert posts < 60 + 20 + 0.2 * 60 + 1  # without a budget: 60 * (1 + 3) = 240
    assert posts >= 60


# --- progress ----------------------------------------------------------------------------


def test_on_progress_sees_the_counts_change_up_to_the_end(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 4)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    serve_documents(server, results_for(paths))
    seen: list[BatchStats] = []
    client.process_documents(
        [tmp_path / "in"], on_progress=seen.append, progress_bar=True, on_error="return"
    )
    assert seen[-1].total == 5
    assert (seen[-1].done, seen[-1].failed, seen[-1].in_flight) == (4, 1, 0)
    assert max(stats.in_flight for stats in seen) == 4
    assert seen[-1].rate >= 0


def test_max_wait_time_fails_only_the_slow_document(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))
    stay_processing(server, paths[1].name)
    results = client.process_documents(paths, max_wait_time=30, on_error="return")
    assert results[0].ok
    assert isinstance(results[1].error, JobTimeoutError)


# --- helpers -----------------------------------------------------------------------------


def _request_named(name: str) -> Any:
    return prepare_create(
        BytesInputConnector(b"x", name),
        ByteITStorageOutputConnector(),
        ProcessingOptions(),
        nickname=None,
        idempotency_key="k",
    )


def _pass_through(server: FakeServer) -> Callable[[httpx.Request], httpx.Response]:
    """A reply that hands the request to the next route for the same path."""

    def handle(request: httpx.Request) -> httpx.Response:
        for method, pattern, replies in server._routes[1:]:
            if method == request.method and pattern.fullmatch(request.url.path):
                reply = replies[0]
                assert callable(reply)
                return reply(request)  # type: ignore[no-any-return]
        raise AssertionError("no route to pass to")

    return handle


def test_poll_ticks_keep_their_rate_when_the_list_is_slow(
    client: ByteITClient, server: FakeServer, tmp_path: Path, clock: FakeClock
) -> None:
    """A tick is counted from when the poll was due, not from when its answer came."""
    paths = make_docs(tmp_path / "in", 2)
    serve_documents(server, results_for(paths))
    for path in paths:
        stay_processing(server, path.name, polls=4)
    listing = next(r for r in server._routes if r[0] == "GET" and r[1].pattern == CREATE_PATH)
    answer_list = listing[2][0]

    def slow_list(request: httpx.Request) -> httpx.Response:
        clock.sleep(0.4)  # the list takes 0.4 s to come back
        return answer_list(request)  # type: ignore[operator, no-any-return]

    listing[2][0] = slow_list
    client.process_documents(paths, poll_interval=1.0)
    waits = [round(s, 6) for s in clock.sleeps if s != 0.4]
    assert waits.count(0.6) >= 2
    assert 1.0 not in waits[1:]


def test_each_kind_of_batch_work_fails_into_its_own_outcome_type() -> None:
    error = ValidationError("nope")
    item = Item(0, "a.txt", _request_named("a.txt"), ByteITStorageOutputConnector(), None, "k")
    cases = [
        (_work.CreateWork((item,), "key"), _work.Created),
        (_work.ListPollWork(frozenset({"j"})), _work.Listed),
        (_work.StatusPollWork("j"), _work.Polled),
        (_work.DeliverWork(item, Job(id="j", processing_status="completed")), _work.Delivered),
    ]
    for work, outcome_type in cases:
        outcome = work.failed(error)
        assert type(outcome) is outcome_type
        assert outcome.work is work
        assert outcome.error is error
