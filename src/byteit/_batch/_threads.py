"""The sync client's batch driver: a `BatchScheduler` run with a pool of threads.

The calling thread owns the scheduler: it hands each piece of work to the pool,
applies each outcome as it arrives and otherwise sleeps until the next poll.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from byteit._batch._driven import Driven
from byteit._batch._progress import ProgressReporter
from byteit._batch._results import ItemResult
from byteit._batch._scheduler import ITEM_ERRORS
from byteit._batch._work import Outcome, Work
from byteit._clock import Clock


def run_batch(
    scheduler: Driven,
    perform: Callable[[Work], Outcome],
    clock: Clock,
    reporter: ProgressReporter,
) -> Generator[ItemResult[Any], None, None]:
    """Yield each document's result as it finishes.

    Stopping early (Ctrl-C, or the caller no longer iterating) lets the requests
    already sent finish and takes in their outcomes, so the state file records
    every job that was created.
    """
    workers = scheduler.settings.max_concurrency + 1  # and one for polling
    running: dict[Future[Outcome], Work] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="byteit-batch") as pool:
        try:
            while True:
                now = clock.monotonic()
                for work in scheduler.next_work(now):
                    running[pool.submit(_outcome, perform, work)] = work
                reporter.report(scheduler.stats(now))
                yield from scheduler.take_finished()
                if scheduler.finished:
                    return
                _wait(scheduler, running, clock, clock.monotonic())  # the caller took its time
        finally:
            _settle(scheduler, running, clock)


def _wait(
    scheduler: Driven, running: dict[Future[Outcome], Work], clock: Clock, now: float
) -> None:
    """Until an outcome arrives or the scheduler's next wake, then apply what arrived."""
    wake = scheduler.next_wake(now)
    if not running:
        if wake is None:
            raise RuntimeError("batch stalled: nothing to send and nothing in flight")
        clock.sleep(wake - now)
        return
    timeout = None if wake is None else max(0.0, wake - now)
    done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
    if not done and wake is not None:
        clock.sleep(wake - clock.monotonic())  # no-op on the real clock; moves a fake one
    for future in done:
        running.pop(future)
        scheduler.apply(future.result(), clock.monotonic())


def _settle(scheduler: Driven, running: dict[Future[Outcome], Work], clock: Clock) -> None:
    for future in running:
        future.cancel()
    for future in running:
        if future.cancelled():
            continue
        try:
            outcome = future.result()
        except Exception:  # noqa: S112  (stopping anyway: keep what can be kept)
            continue
        scheduler.apply(outcome, clock.monotonic())
    running.clear()


def _outcome(perform: Callable[[Work], Outcome], work: Work) -> Outcome:
    try:
        return perform(work)
    except ITEM_ERRORS as exc:
        return work.failed(exc)
