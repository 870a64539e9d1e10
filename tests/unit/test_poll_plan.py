"""When a batch polls: each job when it is due, learnt from the jobs seen to finish."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from byteit import ByteITClient
from byteit._batch._poll_plan import EARLY, LIST_GAP, LIST_READ_COST, PollPlan
from byteit.models import Job
from byteit.polling import FIRST_POLL, FRESH_JOB_POLLS, PollSchedule

from .conftest import FakeClock, FakeServer, job_json, json_reply, serve_documents
from .test_batch import make_docs, results_for

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def finished_job(job_id: str, took: float) -> Job:
    return Job(
        id=job_id,
        processing_status="completed",
        created_at=T0,
        finished_processing_at=T0 + timedelta(seconds=took),
    )


def test_a_job_is_first_due_one_interval_after_creation_until_durations_are_known() -> None:
    plan = PollPlan(PollSchedule.fixed(1.0))
    plan.add("a", now=10.0)
    assert plan.next_poll() == 11.0


def test_at_the_default_pace_a_new_job_is_due_early_in_the_expected_duration() -> None:
    plan = PollPlan(PollSchedule())
    for index, took in enumerate([4.0, 3.0, 5.0, 6.0]):
        plan.add(f"j{index}", now=0.0)
        plan.finished(finished_job(f"j{index}", took))
    plan.add("new", now=100.0)
    assert plan.next_poll() == 100.0 + 4.0 * EARLY


def test_once_jobs_have_finished_a_new_one_is_due_when_the_quicker_quarter_finished() -> None:
    plan = PollPlan(PollSchedule.fixed(1.0))
    for index, took in enumerate([4.0, 3.0, 5.0, 6.0]):
        plan.add(f"j{index}", now=0.0)
        plan.finished(finished_job(f"j{index}", took))
    plan.add("new", now=100.0)
    assert plan.expected() == 4.0
    assert plan.next_poll() == 104.0


def test_a_job_found_running_when_due_is_due_again_after_the_schedule() -> None:
    plan = PollPlan(PollSchedule(initial=1.0, factor=2.0, maximum=10.0))
    plan.add("a", now=0.0)
    plan.add("b", now=0.5)
    plan.polling(1.0)
    plan.still_running("a", polled_at=1.0)  # due at 1.0: a miss, next after 1 s
    plan.still_running("b", polled_at=1.0)  # not due until 1.5: keeps its time
    assert plan.due(1.5) == ["b"]
    plan.polling(1.5)
    plan.still_running("b", polled_at=1.5)
    plan.still_running("a", polled_at=2.0)
    plan.polling(2.0)
    assert plan.next_poll() == pytest.approx(2.5)  # b: 1.5 + 1
    plan.remove("b")
    assert plan.next_poll() == pytest.approx(4.0)  # a missed twice: 2.0 + 2


def test_polls_never_come_closer_than_half_the_first_interval() -> None:
    plan = PollPlan(PollSchedule.fixed(1.0))
    plan.add("a", now=0.0, at=5.0)
    plan.add("b", now=0.0, at=5.1)
    plan.polling(5.0)
    plan.still_running("a", polled_at=5.0)
    assert plan.next_poll() == 5.5  # b was due at 5.1


def test_a_batch_polls_later_jobs_when_jobs_like_them_finish(
    client: ByteITClient, server: FakeServer, tmp_path: Path, clock: FakeClock
) -> None:
    """Jobs take 3 s: after the first, the batch stops polling every half second."""
    paths = make_docs(tmp_path / "in", 4)
    serve_documents(server, results_for(paths))
    for path in paths:
        job = job_json(
            f"job-{path.name}",
            "completed",
            metadata={"original_filename": path.name},
            created_at="2026-11-23T12:00:00Z",
            finished_processing_at="2026-11-23T12:00:03Z",
        )
        running = json_reply({"parse_job": {**job, "processing_status": "processing"}})
        route = rf"/v1/jobs/parse-jobs/job-{path.name}/"
        server.add("GET", route, *[running] * 5, json_reply({"parse_job": job}), first=True)
    client.process_documents(paths, max_concurrency=1)
    sleeps = [s for s in clock.sleeps if s > 0]
    assert sleeps[:1] == [pytest.approx(FIRST_POLL)]  # the first job: nothing known yet
    # later ones: first asked about at EARLY of the time such a job takes
    assert pytest.approx(3.0 * EARLY) in sleeps


def test_at_the_default_pace_a_new_job_is_first_due_after_the_first_poll_wait() -> None:
    plan = PollPlan(PollSchedule())
    plan.add("a", now=10.0)
    assert plan.next_poll() == pytest.approx(10.0 + FIRST_POLL)


def test_at_the_default_pace_a_miss_is_polled_again_at_the_fresh_job_pace() -> None:
    plan = PollPlan(PollSchedule())
    plan.add("a", now=0.0, at=1.0)
    plan.polling(1.0)
    plan.still_running("a", polled_at=1.0)
    assert plan.due(1.0 + FRESH_JOB_POLLS.delay(0)) == ["a"]


def test_at_the_default_pace_polls_come_a_list_gap_apart() -> None:
    plan = PollPlan(PollSchedule())
    plan.add("a", now=0.0, at=5.0)
    plan.add("b", now=0.0, at=5.001)
    plan.polling(5.0)
    plan.still_running("a", polled_at=5.0)
    assert plan.next_poll() == pytest.approx(5.0 + LIST_GAP)


def test_a_long_job_list_is_read_less_often() -> None:
    plan = PollPlan(PollSchedule())
    plan.add("a", now=0.0, at=5.0)
    plan.add("b", now=0.0, at=5.001)
    plan.polling(5.0)
    plan.listed(10_000)
    plan.still_running("a", polled_at=5.0)
    assert plan.next_poll() == pytest.approx(5.0 + 10_000 * LIST_READ_COST)
    plan.listed(10)
    assert plan.next_poll() == pytest.approx(5.0 + LIST_GAP)


def test_a_chosen_schedule_keeps_half_its_interval_whatever_the_list() -> None:
    plan = PollPlan(PollSchedule.fixed(1.0))
    plan.add("a", now=0.0, at=5.0)
    plan.add("b", now=0.0, at=5.1)
    plan.polling(5.0)
    plan.listed(10_000)
    plan.still_running("a", polled_at=5.0)
    assert plan.next_poll() == 5.5
