"""Decisions you can see: retries, concurrency changes and batch summaries are logged on
the `byteit` logger, BYTEIT_LOG turns that on without code, and the key never shows."""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from byteit import ByteITClient, RateLimitError, RetryPolicy, ServerError
from byteit._batch._pressure import AdaptiveLimit
from byteit._batch._progress import ProgressReporter
from byteit._batch._scheduler import BatchStats
from byteit._log import LOG_ENV, SecretFilter, configure_from_env, get_logger, redact
from byteit.retry import RetryBudget

from .conftest import (
    CREATE_PATH,
    FakeClock,
    FakeServer,
    job_json,
    json_reply,
    serve_documents,
)

# Recognisable, so that a leak anywhere in a record is plain to see.
FAKE_KEY = "kid_logtest.N0T-A-REAL-KEY-but-LEAK-ME-and-you-FAIL"
JOB = r"/v1/jobs/parse-jobs/job-1/"
OK = json_reply({"parse_job": job_json("job-1")})


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="byteit")
    return caplog


@pytest.fixture
def keyed_client(make_client: Callable[..., ByteITClient]) -> ByteITClient:
    return make_client(api_key=FAKE_KEY)


def messages(caplog: pytest.LogCaptureFixture, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger]


def make_docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"doc{i}.txt" for i in range(count)]
    for path in paths:
        path.write_text(f"text of {path.name}")
    return paths


def serve(server: FakeServer, paths: list[Path]) -> None:
    serve_documents(server, {p.name: f"result of {p.name}".encode() for p in paths})


# --- retries ------------------------------------------------------------------------------


def test_a_503_retry_logs_status_attempt_and_the_delay_slept(
    keyed_client: ByteITClient, server: FakeServer, clock: FakeClock, logs: pytest.LogCaptureFixture
) -> None:
    server.add("GET", JOB, httpx.Response(503), OK)
    keyed_client.get_job("job-1")
    [slept] = clock.sleeps
    assert messages(logs, "byteit.retry") == [
        f"attempt 1 of 4 failed on GET job job-1: 503; retrying in {slept:.2f}s"
    ]
    assert all(r.levelno == logging.DEBUG for r in logs.records if r.name == "byteit.retry")


def test_a_429_retry_logs_the_retry_after_it_honours(
    keyed_client: ByteITClient, server: FakeServer, logs: pytest.LogCaptureFixture
) -> None:
    server.add("GET", JOB, httpx.Response(429, headers={"Retry-After": "2"}), OK)
    keyed_client.get_job("job-1")
    assert messages(logs, "byteit.retry") == [
        "attempt 1 of 4 failed on GET job job-1: 429 with Retry-After 2; retrying in 2.00s"
    ]


def test_a_connection_error_retry_logs_the_error_kind(
    keyed_client: ByteITClient, server: FakeServer, logs: pytest.LogCaptureFixture
) -> None:
    server.add("GET", JOB, httpx.ConnectError(f"refused for {FAKE_KEY}"), OK)
    keyed_client.get_job("job-1")
    [message] = messages(logs, "byteit.retry")
    assert message.startswith("attempt 1 of 4 failed on GET job job-1: ConnectError; retrying in ")


def test_giving_up_after_the_last_retry_is_logged_with_why(
    make_client: Callable[..., ByteITClient], server: FakeServer, logs: pytest.LogCaptureFixture
) -> None:
    server.add("GET", JOB, httpx.Response(503))
    with pytest.raises(ServerError):
        make_client(api_key=FAKE_KEY, max_retries=1).get_job("job-1")
    said = messages(logs, "byteit.retry")
    assert said[0].startswith("attempt 1 of 2 failed on GET job job-1: 503; retrying in ")
    assert said[1] == (
        "attempt 2 of 2 failed on GET job job-1: 503; giving up: no retries left (max_retries=1)"
    )


def test_a_retry_after_beyond_the_policy_is_logged_as_giving_up(
    keyed_client: ByteITClient, server: FakeServer, logs: pytest.LogCaptureFixture
) -> None:
    server.add("GET", JOB, httpx.Response(429, headers={"Retry-After": "600"}))
    with pytest.raises(RateLimitError):
        keyed_client.get_job("job-1")
    assert messages(logs, "byteit.retry") == [
        "attempt 1 of 4 failed on GET job job-1: 429 with Retry-After 600; "
        "giving up: Retry-After is longer than max_retry_after=60s"
    ]


def test_a_deadline_and_a_spent_budget_are_logged_as_reasons_to_stop(
    logs: pytest.LogCaptureFixture,
) -> None:
    policy = RetryPolicy(deadline=5)
    late = policy.start(0.0, rng=random.Random(0), replay_safe=True, description="GET job abc")
    assert late.after_response(httpx.Response(503, headers={"Retry-After": "9"}), 0.0) is None
    broke = policy.start(0.0, rng=random.Random(0), replay_safe=True, budget=RetryBudget(0, 0))
    assert broke.after_error(httpx.ReadTimeout("slow"), 0.0) is None
    assert messages(logs, "byteit.retry") == [
        "attempt 1 of 4 failed on GET job abc: 503 with Retry-After 9; "
        "giving up: waiting 9.00s would pass the 5s deadline",
        "attempt 1 of 4 failed: ReadTimeout; giving up: the batch's retry budget is spent",
    ]


def test_a_request_that_cannot_be_resent_logs_why_it_is_not_retried(
    logs: pytest.LogCaptureFixture,
) -> None:
    state = RetryPolicy().start(0.0, rng=random.Random(0), replay_safe=False)
    assert state.after_error(httpx.ReadError("reset"), 0.0) is None
    assert messages(logs, "byteit.retry") == [
        "attempt 1 of 4 failed: ReadError; "
        "giving up: it may have reached the server and is not safe to send twice"
    ]


# --- concurrency --------------------------------------------------------------------------


def test_halving_on_overload_and_growing_are_each_logged(
    logs: pytest.LogCaptureFixture,
) -> None:
    limit = AdaptiveLimit(64, start=16)
    for _ in range(40):
        limit.throttled(now=0.0, retry_after=1.0)
    for second in range(1, 9):  # 8 documents in 8 s, timed from the halving
        limit.finished(float(second))
    assert messages(logs, "byteit.batch") == [
        "concurrency halved from 16 to 8: 100% of the last 40 answers were 429/503",
        "concurrency grown from 8 to 16 of 64: 1.0 documents/s",
    ]


# --- batch summaries ----------------------------------------------------------------------


def summaries(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("batch ")]


def test_a_batch_logs_one_summary_at_info(
    keyed_client: ByteITClient, server: FakeServer, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve(server, paths)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")  # refused: one failure
    keyed_client.process_documents([tmp_path / "in"], on_error="return")
    [record] = summaries(logs)
    assert record.name == "byteit.batch"
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("batch finished: total=4 done=3 failed=1 elapsed=")
    assert record.getMessage().endswith(" doc/s")


@pytest.mark.parametrize("method", ["create_job", "process_document"])
def test_the_list_forms_log_one_summary_each(
    keyed_client: ByteITClient,
    server: FakeServer,
    tmp_path: Path,
    logs: pytest.LogCaptureFixture,
    method: str,
) -> None:
    paths = make_docs(tmp_path / "in", 2)
    serve(server, paths)
    getattr(keyed_client, method)(paths)
    [record] = summaries(logs)
    assert record.getMessage().startswith("batch finished: total=2 done=2 failed=0 ")


def test_the_summary_is_logged_once_and_says_what_was_left_unfinished(
    logs: pytest.LogCaptureFixture,
) -> None:
    reporter = ProgressReporter(5, callback=None, bar=False)
    reporter.report(BatchStats(5, 2, 1, 2, 4.0))
    reporter.close(requests=12)
    reporter.close()
    assert [r.getMessage() for r in summaries(logs)] == [
        "batch stopped: total=5 done=2 failed=1 unfinished=2 elapsed=4.0s requests=12 "
        "rate=0.75 doc/s"
    ]


# --- BYTEIT_LOG ---------------------------------------------------------------------------


@pytest.fixture
def byteit_logger() -> Iterator[logging.Logger]:
    """The `byteit` logger, with its handlers and level put back afterwards."""
    logger = logging.getLogger("byteit")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_byteit_log_debug_attaches_one_stderr_handler_and_leaves_root_alone(
    byteit_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = logging.getLogger()
    root_state = (list(root.handlers), root.level)
    before = list(byteit_logger.handlers)
    monkeypatch.setenv(LOG_ENV, "DEBUG")
    configure_from_env()
    handler = configure_from_env()  # a second call replaces the first handler, never doubles
    assert [h for h in byteit_logger.handlers if h not in before] == [handler]
    assert isinstance(handler, logging.StreamHandler)
    assert handler.level == logging.DEBUG
    assert byteit_logger.level == logging.DEBUG
    assert (list(root.handlers), root.level) == root_state


def test_byteit_log_info_sets_info(
    byteit_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LOG_ENV, "info")
    handler = configure_from_env()
    assert handler is not None
    assert handler.level == logging.INFO
    assert byteit_logger.level == logging.INFO


def test_an_unknown_byteit_log_value_is_warned_about_and_ignored(
    byteit_logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    before = list(byteit_logger.handlers)
    assert configure_from_env({LOG_ENV: "verbose"}) is None
    assert configure_from_env({}) is None
    assert byteit_logger.handlers == before
    [record] = [r for r in caplog.records if r.name == "byteit"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "BYTEIT_LOG='verbose' is not one of debug, info; ignored"


def test_byteit_log_works_from_the_environment_alone_and_redacts_the_key() -> None:
    """A fresh interpreter: importing byteit is all it takes."""
    script = textwrap.dedent(f"""
        import logging, random, httpx, byteit
        from byteit._http._auth import APIKeyAuth
        APIKeyAuth({FAKE_KEY!r})
        state = byteit.RetryPolicy().start(0.0, rng=random.Random(0), replay_safe=True)
        state.after_response(httpx.Response(503, headers={{"Retry-After": "2"}}), 0.0)
        logging.getLogger("byteit").debug("echoed %s", {FAKE_KEY!r})
        print(logging.getLogger().handlers)
    """)
    env = {**os.environ, LOG_ENV: "debug"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert "DEBUG byteit.retry: attempt 1 of 4 failed: 503 with Retry-After 2" in done.stderr
    assert "echoed ***" in done.stderr
    assert FAKE_KEY not in done.stderr
    assert done.stdout.strip() == "[]"  # the root logger got no handler


# --- the key ------------------------------------------------------------------------------


def test_the_key_is_in_no_record_of_a_busy_run(
    keyed_client: ByteITClient, server: FakeServer, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve(server, paths)
    create = next(r for r in server._routes if r[0] == "POST")[2][0]
    server.add("POST", CREATE_PATH, httpx.Response(503, text=FAKE_KEY), create, first=True)
    keyed_client.process_documents(paths, on_error="return")
    server.add("GET", JOB, httpx.ConnectError(f"refused {FAKE_KEY}"), OK)
    keyed_client.get_job("job-1")
    get_logger("retry").debug("the server echoed %s", FAKE_KEY)
    try:
        raise ValueError(f"bad key {FAKE_KEY}")
    except ValueError:
        get_logger().exception("failed")
    assert len(logs.records) > 3
    for record in logs.records:
        shown = logging.Formatter().format(record)
        assert FAKE_KEY not in shown, shown
    assert "the server echoed ***" in logs.messages


def test_a_client_registers_its_key_for_redaction(make_client: Callable[..., ByteITClient]) -> None:
    make_client(api_key="kid_x.registered-by-the-client-0001")
    assert redact("key=kid_x.registered-by-the-client-0001") == "key=***"


def test_a_key_containing_another_is_redacted_whole() -> None:
    secrets = SecretFilter()  # not the shared one: these keys must not outlive the test
    secrets.add("abc.defghij")
    secrets.add("abc.defghij-longer")
    assert secrets.redact("k=abc.defghij-longer; k=abc.defghij") == "k=***; k=***"
