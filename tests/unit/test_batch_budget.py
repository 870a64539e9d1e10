"""A batch's credits and its max_credits cap."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from byteit import BatchStats, BudgetExceededError, ByteITClient, ValidationError
from byteit._batch._budget import CreditBudget, Credits

from .conftest import CREATE_PATH, FakeServer, job_json, json_reply, serve_documents, uploaded_files
from .test_batch import make_docs, results_for


def charge(server: FakeServer, cost: float) -> None:
    """Every finished parse job reads as costing `cost` credits."""

    def get(request: httpx.Request) -> httpx.Response:
        job_id = request.url.path.split("/")[-2]
        metadata = {"original_filename": job_id.removeprefix("job-")}
        job = job_json(job_id, "completed", credits_cost=cost, metadata=metadata)
        return json_reply({"parse_job": job})

    server.add("GET", r"/v1/jobs/parse-jobs/[^/]+/", get, first=True)


def test_until_a_cost_is_known_one_job_runs_at_a_time() -> None:
    budget = CreditBudget(10.0)
    assert budget.room() == 1
    budget.started()
    assert budget.room() == 0
    assert not budget.exhausted  # one in flight: its cost will tell


def test_jobs_in_flight_count_at_the_highest_cost_seen() -> None:
    budget = CreditBudget(10.0)
    budget.started()
    budget.settled(2.0)
    assert budget.room() == 4  # 2 spent + 4 in flight at 2 = 10: the fifth would not fit
    budget.started(2)
    budget.settled(3.0)
    assert (budget.spent, budget.highest, budget.in_flight) == (5.0, 3.0, 1)
    assert budget.room() == 1  # 5 + 1 x 3 = 8 < 10: one more


def test_the_cap_reached_with_nothing_in_flight_is_exhausted() -> None:
    budget = CreditBudget(4.0)
    budget.started()
    budget.settled(4.0)
    assert budget.room() == 0
    assert budget.exhausted
    assert "max_credits=4 reached (4 spent)" in str(budget.refusal())


def test_no_cap_has_no_limit_and_credits_go_under_their_kind() -> None:
    budget = CreditBudget(None)
    budget.started()
    budget.settled(1.5, "extract")
    assert budget.room() is None
    assert budget.credits() == Credits(extract=1.5)
    assert budget.credits().total == 1.5


def test_a_batch_stops_creating_at_the_cap_and_turns_the_rest_away(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 5)
    serve_documents(server, results_for(paths))
    charge(server, 2.0)
    seen: list[BatchStats] = []
    results = client.process_documents(
        paths, max_credits=5, on_error="return", on_progress=seen.append
    )
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert all(isinstance(r.error, BudgetExceededError) for r in results[3:])
    creations = server.sent("POST", CREATE_PATH)
    assert len(uploaded_files(creations[0])) == 1  # the first alone: its cost was unknown
    assert sum(len(uploaded_files(request)) for request in creations) == 3
    assert seen[-1].credits == Credits(parse=6.0)


def test_a_rerun_with_a_higher_cap_processes_only_the_documents_turned_away(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 5)
    serve_documents(server, results_for(paths))
    charge(server, 2.0)
    state = tmp_path / "batch.state"
    first = client.process_documents(paths, max_credits=5, state_file=state, on_error="return")
    assert sum(r.ok for r in first) == 3
    sent_before = len(server.sent("POST", CREATE_PATH))
    second = client.process_documents(paths, max_credits=100, state_file=state)
    assert all(r.ok for r in second)
    names = [
        part.filename
        for request in server.sent("POST", CREATE_PATH)[sent_before:]
        for part in uploaded_files(request)
    ]
    assert sorted(names) == sorted(p.name for p in paths[3:])


def test_credits_are_counted_without_a_cap(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    charge(server, 1.0)
    seen: list[BatchStats] = []
    client.process_documents(paths, on_progress=seen.append)
    assert seen[-1].credits.parse == 3.0


@pytest.mark.parametrize("cap", [0, -1, float("nan"), True, "5"])
def test_a_cap_that_is_not_a_positive_number_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path, cap: object
) -> None:
    paths = make_docs(tmp_path / "in", 1)
    with pytest.raises(ValidationError, match="max_credits must be a positive number"):
        client.process_documents(paths, max_credits=cap)  # type: ignore[arg-type]
    assert server.requests == []


def test_turning_documents_away_is_logged_with_the_cap_and_the_spend(
    client: ByteITClient, server: FakeServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    charge(server, 2.0)
    with caplog.at_level(logging.DEBUG, logger="byteit"):
        client.process_documents(paths, max_credits=2, on_error="return")
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("byteit")]
    assert "max_credits=2 reached (2 spent): the documents not started are turned away" in messages
