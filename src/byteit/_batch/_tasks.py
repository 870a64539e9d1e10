"""The async client's batch driver: a `BatchScheduler` run with asyncio tasks.

The driving task owns the scheduler: it starts a task per piece of work,
applies each outcome as it arrives and otherwise sleeps until the next poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from byteit._batch._driven import Driven
from byteit._batch._progress import ProgressReporter
from byteit._batch._results import ItemResult
from byteit._batch._scheduler import ITEM_ERRORS
from byteit._batch._work import CreateWork, Outcome, Work
from byteit._clock import Clock


async def run_batch(
    scheduler: Driven,
    perform: Callable[[Work], Awaitable[Outcome]],
    clock: Clock,
    reporter: ProgressReporter,
) -> AsyncGenerator[ItemResult[Any], None]:
    """Yield each document's result as it finishes.

    Cancelled, it cancels its requests and takes in those that had finished, so
    the state file records every job whose creation was answered.
    """
    running: dict[asyncio.Future[Outcome], Work] = {}
    try:
        while True:
            now = clock.monotonic()
            for work in scheduler.next_work(now):
                running[asyncio.ensure_future(_outcome(perform, work))] = work
            reporter.report(scheduler.stats(now))
            for result in scheduler.take_finished():
                yield result
            if scheduler.finished:
                return
            await _wait(scheduler, running, clock, clock.monotonic())  # the caller took its time
    finally:
        await _settle(scheduler, running, clock)


async def _wait(
    scheduler: Driven,
    running: dict[asyncio.Future[Outcome], Work],
    clock: Clock,
    now: float,
) -> None:
    wake = scheduler.next_wake(now)
    if wake is None and not running:
        raise RuntimeError("batch stalled: nothing to send and nothing in flight")
    waiters: set[asyncio.Future[Any]] = set(running)
    sleeper = asyncio.ensure_future(clock.asleep(wake - now)) if wake is not None else None
    if sleeper is not None:
        waiters.add(sleeper)
    try:
        done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if sleeper is not None and not sleeper.done():
            sleeper.cancel()
    for task in done:
        if task is not sleeper:
            running.pop(task)
            scheduler.apply(task.result(), clock.monotonic())


async def _settle(
    scheduler: Driven, running: dict[asyncio.Future[Outcome], Work], clock: Clock
) -> None:
    """Stop polls and downloads; let creations finish, so their jobs are recorded."""
    for task, work in running.items():
        if not isinstance(work, CreateWork):
            task.cancel()
    if running:
        await asyncio.wait(running)  # unlike gather, a second cancel leaves creations be
    for task in running:
        if not task.cancelled() and task.exception() is None:
            scheduler.apply(task.result(), clock.monotonic())
    running.clear()


async def _outcome(perform: Callable[[Work], Awaitable[Outcome]], work: Work) -> Outcome:
    try:
        return await perform(work)
    except ITEM_ERRORS as exc:
        return work.failed(exc)
