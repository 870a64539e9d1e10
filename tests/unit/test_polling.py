"""PollSchedule and PollTimer: how far apart polls are, and when waiting stops."""

from __future__ import annotations

import pytest

from byteit import PollSchedule
from byteit.polling import FIRST_POLL, FRESH_JOB_POLLS, PollTimer, fresh_job_timer


def test_default_schedule_starts_at_half_a_second_and_grows_by_half() -> None:
    schedule = PollSchedule()
    assert [schedule.delay(n) for n in range(4)] == [0.5, 0.75, 1.125, 1.6875]


def test_default_schedule_is_capped_at_ten_seconds() -> None:
    schedule = PollSchedule()
    delays = [schedule.delay(n) for n in range(30)]
    assert max(delays) == 10.0
    assert delays[-1] == 10.0
    assert delays == sorted(delays)


def test_fixed_schedule_polls_at_one_interval() -> None:
    schedule = PollSchedule.fixed(2.0)
    assert [schedule.delay(n) for n in range(5)] == [2.0] * 5


def test_retry_after_lengthens_a_poll_delay() -> None:
    assert PollSchedule().delay(0, retry_after=4.0) == 4.0


def test_retry_after_never_shortens_a_poll_delay() -> None:
    assert PollSchedule.fixed(3.0).delay(0, retry_after=1.0) == 3.0


@pytest.mark.parametrize(
    "kwargs", [{"initial": 0}, {"initial": -1}, {"factor": 0.5}, {"maximum": 0}]
)
def test_schedule_refuses_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        PollSchedule(**kwargs)


def test_timer_never_plans_past_max_wait_time() -> None:
    timer = PollTimer(PollSchedule.fixed(4.0), started=100.0, max_wait_time=10.0)
    assert timer.next_delay(100.0) == 4.0
    assert timer.next_delay(104.0) == 4.0
    assert timer.next_delay(108.0) == 2.0
    assert timer.next_delay(110.0) is None


def test_timer_without_limit_never_stops() -> None:
    timer = PollTimer(PollSchedule(), started=0.0, max_wait_time=None)
    assert timer.next_delay(1e9) == 0.5


def test_timer_counts_polls_for_the_backoff() -> None:
    timer = PollTimer(PollSchedule(), started=0.0, max_wait_time=None)
    assert [timer.next_delay(0.0) for _ in range(3)] == [0.5, 0.75, 1.125]


def test_delay_stays_capped_after_thousands_of_polls() -> None:
    """A job polled for hours (max_wait_time=None) keeps getting the capped delay."""
    assert PollSchedule().delay(5000) == 10.0


def test_timer_keeps_going_after_thousands_of_polls() -> None:
    timer = PollTimer(PollSchedule(), started=0.0, max_wait_time=None)
    delays = [timer.next_delay(0.0) for _ in range(3000)]
    assert delays[-1] == 10.0


def test_a_fresh_job_is_first_polled_after_a_short_wait_not_at_once() -> None:
    timer = fresh_job_timer(None, started=0.0, max_wait_time=None)
    assert timer.next_delay(0.0) == FIRST_POLL > 0


def test_a_fresh_jobs_later_polls_come_at_about_a_tenth_of_the_time_waited() -> None:
    timer = fresh_job_timer(None, started=0.0, max_wait_time=None)
    now, gaps = 0.0, []
    for _ in range(60):
        delay = timer.next_delay(now)
        assert delay is not None
        gaps.append((now, delay))
        now += delay
    assert all(delay <= max(0.08, 0.2 * waited) for waited, delay in gaps[1:])
    assert all(delay >= 0.1 * waited for waited, delay in gaps[1:] if delay < 10)
    assert gaps[-1][1] == 10.0  # capped, as every schedule is


def test_a_fresh_job_with_a_given_schedule_waits_its_first_delay_first() -> None:
    timer = fresh_job_timer(PollSchedule.fixed(4.0), started=0.0, max_wait_time=10.0)
    assert [timer.next_delay(t) for t in (0.0, 4.0, 8.0)] == [4.0, 4.0, 2.0]


def test_a_fresh_jobs_first_wait_honours_retry_after_and_max_wait_time() -> None:
    timer = PollTimer(FRESH_JOB_POLLS, started=0.0, max_wait_time=0.05, first=FIRST_POLL)
    assert timer.next_delay(0.0) == 0.05
    timer = PollTimer(FRESH_JOB_POLLS, started=0.0, max_wait_time=None, first=FIRST_POLL)
    assert timer.next_delay(0.0, retry_after=2.0) == 2.0
