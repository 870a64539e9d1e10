"""Extracting many documents: a batch of two stages, parse then extract.

The parse stage is a `BatchScheduler` that does not deliver: a finished parse
job is its document's value. The pipeline hands each such document on to the
extract stage, a second scheduler whose items (`ExtractItem`) are keyed
``<key>:extract`` in the same state file. Each stage therefore resumes on its
own after a kill: a parse job recorded is polled again (never created again),
an extract job announced is sent again under its idempotency key, one recorded
is picked up by its id, and a result written is not fetched again. Both stages
share the concurrency limit, the retry budget and the credit cap; the driver
sees one batch (`_driven.Driven`).
"""

from __future__ import annotations

import collections
from typing import Any

import attrs

from byteit._batch._items import Item
from byteit._batch._pressure import BatchPressure
from byteit._batch._results import ItemResult
from byteit._batch._scheduler import BatchScheduler, BatchStats
from byteit._batch._work import CreateWork, DeliverWork, ListPollWork, Outcome, StatusPollWork, Work


@attrs.define(eq=False)
class ExtractItem(Item):
    """A document in the extract stage: its parse job is done."""

    parse_job_id: str = ""


def is_extract(work: Work) -> bool:
    """Whether `work` belongs to the extract stage."""
    match work:
        case CreateWork():
            return isinstance(work.items[0], ExtractItem)
        case DeliverWork():
            return isinstance(work.item, ExtractItem)
        case ListPollWork() | StatusPollWork():
            return work.kind == "extract"


class ExtractPipeline:
    """The two stages of one ``extract_documents`` run; see the module docstring."""

    def __init__(self, parse: BatchScheduler, extract: BatchScheduler, now: float) -> None:
        self.parse, self.extract = parse, extract
        extract.pressure = parse.pressure  # one limit and one retry budget for both stages
        self.items = parse.items
        # The sync driver sizes its thread pool by this: room for both stages.
        self.settings = attrs.evolve(
            parse.settings, max_concurrency=2 * parse.settings.max_concurrency
        )
        self._failed: collections.deque[ItemResult[Any]] = collections.deque()
        self._now = now
        self._hand_on(now)

    @property
    def pressure(self) -> BatchPressure:
        return self.parse.pressure

    @property
    def finished(self) -> bool:
        return self.parse.finished and self.extract.finished and not self._failed

    def stats(self, now: float) -> BatchStats:
        parsing, extracting = self.parse.stats(now), self.extract.stats(now)
        return BatchStats(
            total=len(self.items),
            done=extracting.done,
            failed=parsing.failed + extracting.failed,
            in_flight=parsing.in_flight + extracting.in_flight,
            elapsed=parsing.elapsed,
            credits=self.parse.credits.credits(),  # the stages share one budget
        )

    def take_finished(self) -> list[ItemResult[Any]]:
        self._hand_on(self._now)  # creating may have turned documents away (a credit cap)
        taken = [*self._failed, *self.extract.take_finished()]
        self._failed.clear()
        return taken

    def next_work(self, now: float) -> list[Work]:
        self._hand_on(now)
        # The extract stage first: under a credit cap, documents already parsed get
        # their extraction before new documents start.
        work = [*self.extract.next_work(now), *self.parse.next_work(now)]
        self._now = now
        return work

    def next_wake(self, now: float) -> float | None:
        wakes = [w for w in (self.parse.next_wake(now), self.extract.next_wake(now)) if w]
        return min(wakes) if wakes else None

    def apply(self, outcome: Outcome, now: float) -> None:
        stage = self.extract if is_extract(outcome.work) else self.parse
        stage.apply(outcome, now)
        self._now = now
        self._hand_on(now)

    def _hand_on(self, now: float) -> None:
        """Parsed documents on to the extract stage; failed ones straight to the caller."""
        parsed: list[Item] = []
        for result in self.parse.take_finished():
            if result.error is not None:
                self._failed.append(result)
                continue
            item, job = self.items[result.index], result.value
            assert job is not None
            parsed.append(
                ExtractItem(
                    item.index, item.given, None, item.output, item.path,
                    f"{item.key}:extract", parse_job_id=job.id,
                )
            )  # fmt: skip
        if parsed:
            self.extract.add(parsed, now)
