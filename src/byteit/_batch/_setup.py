"""Starting a batch: the call's arguments checked, then its documents read and keyed.

Shared by both clients; the checks run when the method is called, the reading
(files stat'ed and hashed, objects looked up) when the batch starts.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import httpx

from byteit._batch._budget import CreditBudget
from byteit._batch._driven import Driven
from byteit._batch._items import (
    Item,
    PathLike,
    check_outputs,
    prepare_items,
    validate_outputs,
)
from byteit._batch._journal import Journal
from byteit._batch._pipeline import ExtractPipeline
from byteit._batch._results import ItemResult, raise_for_failures
from byteit._batch._scheduler import BatchScheduler, BatchSettings, BatchStats
from byteit._checks import (
    check_flag,
    check_max_credits,
    check_nickname,
    check_timeout,
    check_wait,
    check_workers,
)
from byteit._jobs._create import InputLike
from byteit._jobs._plan import Plan, split_inputs
from byteit.connectors import OutputConnector
from byteit.exceptions import ValidationError
from byteit.models import JobStatus
from byteit.options import ProcessingOptions
from byteit.polling import PollSchedule

OnError = Literal["raise", "return"]
BatchProgressCallback = Callable[[BatchStats], None]


@attrs.frozen
class BatchCall:
    """A batch call whose arguments have been checked; no document read yet."""

    inputs: list[InputLike]
    outputs: list[OutputConnector]
    options: ProcessingOptions
    output_dir: PathLike | None
    nickname: str | None
    queue_for_batch: bool
    state_file: Path | None
    settings: BatchSettings
    on_progress: BatchProgressCallback | None
    progress_bar: bool
    extract: bool = False  # parse, then extract (`_pipeline`), instead of delivering


def check_call(
    inputs: InputLike | Sequence[InputLike],
    output_connector: OutputConnector | Sequence[OutputConnector] | None,
    processing_options: ProcessingOptions | Mapping[str, Any] | None,
    output_dir: PathLike | None,
    *,
    state_file: PathLike | None,
    nickname: str | None,
    queue_for_batch: bool,
    max_concurrency: int,
    poll_interval: float | None,
    max_wait_time: float | None,
    timeout: float | httpx.Timeout | None,
    on_progress: BatchProgressCallback | None,
    progress_bar: bool,
    polls: PollSchedule,
    max_credits: float | None = None,
) -> BatchCall:
    """Every argument of a batch call checked, before any document is read."""
    given, _many = split_inputs(inputs)
    check_wait(poll_interval, max_wait_time)
    check_workers(max_concurrency, "max_concurrency")
    check_nickname(nickname)
    check_flag(queue_for_batch, "queue_for_batch")
    if on_progress is not None and not callable(on_progress):
        raise ValidationError("on_progress must be a callable taking BatchStats")
    options = ProcessingOptions.coerce(processing_options)
    settings = BatchSettings(
        max_concurrency=max_concurrency,
        polls=PollSchedule.fixed(poll_interval) if poll_interval else polls,
        max_wait_time=max_wait_time,
        output_format=options.output_format,
        timeout=check_timeout(timeout),
        max_credits=check_max_credits(max_credits),
    )
    return BatchCall(
        inputs=given,
        outputs=check_outputs(output_connector, output_dir, len(given)),
        options=options,
        output_dir=output_dir,
        nickname=nickname,
        queue_for_batch=queue_for_batch,
        state_file=Path(state_file) if state_file is not None else None,
        settings=settings,
        on_progress=on_progress,
        progress_bar=bool(progress_bar),
    )


def check_on_error(on_error: str) -> OnError:
    if on_error not in ("raise", "return"):
        raise ValidationError(f"on_error must be 'raise' or 'return', not {on_error!r}")
    return on_error  # type: ignore[return-value]


def start(call: BatchCall, now: float) -> tuple[Driven, Journal | None]:
    """Check the outputs, open the state file, read and key every document, and set the
    batch up. The async client runs this in a worker thread: it may touch the disk and S3.

    Raises:
        ValidationError: The state file cannot be used.
        ConnectorError: An output's bucket cannot be reached.
    """
    validate_outputs(call.outputs)
    journal = Journal.open(call.state_file) if call.state_file is not None else None
    try:
        run = journal.run if journal is not None else secrets.token_hex(8)
        items = prepare_items(
            call.inputs,
            call.outputs,
            [None] * len(call.inputs),
            call.options,
            output_dir=call.output_dir,
            nickname=call.nickname,
            queue_for_batch=call.queue_for_batch,
            run=run if journal is not None else None,
            suffix=EXTRACT_SUFFIX if call.extract else None,
        )
        scheduler: Driven
        if call.extract:
            scheduler = _pipeline(items, call.settings, now, journal, run)
        else:
            scheduler = BatchScheduler(items, call.settings, now=now, journal=journal, run=run)
    except BaseException:
        if journal is not None:
            journal.close()
        raise
    return scheduler, journal


# An extraction's file beside its document's parse result: a.pdf.json, a.pdf.extract.json.
EXTRACT_SUFFIX = "extract.json"


def _pipeline(
    items: list[Item], settings: BatchSettings, now: float, journal: Journal | None, run: str
) -> ExtractPipeline:
    budget = CreditBudget(settings.max_credits)
    parsing = attrs.evolve(settings, deliver=False, credit_budget=budget)
    parse = BatchScheduler(items, parsing, now=now, journal=journal, run=run)
    extract_settings = attrs.evolve(parsing, job_kind="extract", deliver=True)
    extract = BatchScheduler([], extract_settings, now=now, journal=journal, run=run)
    return ExtractPipeline(parse, extract, now)


@attrs.frozen
class PlanRun:
    """How the list form of ``create_job`` (`create_only`) or ``process_document`` runs."""

    max_workers: int
    timeout: httpx.Timeout | None = None
    polls: PollSchedule | None = None  # None: the client's schedule
    max_wait_time: float | None = None
    on_status: Callable[[JobStatus], None] | None = None
    create_only: bool = True


def from_plan(plan: Plan, run: PlanRun, *, polls: PollSchedule, now: float) -> BatchScheduler:
    """The batch behind the list forms of ``create_job`` and ``process_document``,
    whose documents were all checked already."""
    items = [
        Item(i, plan.inputs[i], request, plan.output, _path(plan.paths[i]), f"item-{i}",
             size=request.source.size)
        for i, request in enumerate(plan.requests)
    ]  # fmt: skip
    settings = BatchSettings(
        max_concurrency=run.max_workers,
        polls=run.polls or polls,
        max_wait_time=run.max_wait_time,
        output_format=plan.options.output_format,
        timeout=run.timeout,
        create_only=run.create_only,
        on_status=run.on_status,
    )
    return BatchScheduler(items, settings, now=now, journal=None, run=secrets.token_hex(8))


def _path(value: PathLike | None) -> Path | None:
    return Path(value) if value is not None else None


def by_input_order(results: list[ItemResult[Any]], on_error: OnError) -> list[ItemResult[Any]]:
    """Results in input order; with ``on_error="raise"``, a `BatchError` if any failed."""
    ordered = sorted(results, key=lambda result: result.index)
    if on_error == "raise":
        raise_for_failures(ordered, "documents")
    return ordered
