"""Documents processed past one machine: the unit of work any engine can run.

`process_partition` takes one partition of rows (a list of dicts, a pandas
DataFrame or a pyarrow Table) whose ``input`` column names the documents, runs
them through the batch engine with one client, and gives back one row per input,
in order. `byteit.ray` and `byteit.dask` wrap it for Ray Data and Dask; Spark's
``mapInPandas`` can call it as it is (see the README's "Past one machine").

Example:
    >>> settings = WorkerSettings(base_url="https://byteit.ai")
    >>> process_partition([{"input": "/shared/inbox/a.pdf"}], settings=settings,
    ...                   output="/shared/out/", run_name="inbox-2026-12")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

from byteit._distributed._documents import Output, check_output
from byteit._distributed._partition import PartitionRun, check_run_name, open_client, process_rows
from byteit._distributed._rows import COLUMNS
from byteit._distributed._settings import WorkerSettings
from byteit.exceptions import ValidationError
from byteit.options import ProcessingOptions

__all__ = [
    "COLUMNS",
    "SPARK_SCHEMA",
    "WorkerSettings",
    "plan_run",
    "process_partition",
    "process_partitions",
]

# The result rows' schema in Spark's DDL, for ``mapInPandas(..., schema=SPARK_SCHEMA)``
# when the inputs are paths or URIs (bytes inputs: ``input binary``).
SPARK_SCHEMA = (
    "input string, ok boolean, output string, error_type string, error string, "
    "job_id string, credits double"
)

R = TypeVar("R")


def plan_run(
    settings: WorkerSettings,
    processing_options: ProcessingOptions | Mapping[str, Any] | None,
    output: Output,
    run_name: str,
) -> PartitionRun:
    """Everything a run's partitions share, checked once where the run is planned.

    Raises:
        ValidationError: A bad option, output, run name or settings object.
    """
    if not isinstance(settings, WorkerSettings):
        raise ValidationError(f"settings must be a WorkerSettings, not {type(settings).__name__}")
    options = ProcessingOptions.coerce(processing_options)
    return PartitionRun(
        settings, options, check_output(output, options.output_format), check_run_name(run_name)
    )


def process_partition(
    rows: R,
    *,
    settings: WorkerSettings,
    processing_options: ProcessingOptions | Mapping[str, Any] | None = None,
    output: Output = None,
    run_name: str,
) -> R:
    """Process one partition's documents; one result row per input row, in order.

    Each document is created under an ``Idempotency-Key`` made of `run_name`, its
    content hash (its address, for S3), the options and the destination, so a task
    the engine runs again (a dead worker, speculation, a rerun of the whole job)
    makes no second job on a service that honours the key, and only reads a
    finished result again. Results are written whole or not at all.

    Args:
        rows: A list of dicts, a pandas DataFrame or a pyarrow Table with an
            ``input`` column: local paths (on a filesystem the workers share),
            ``s3://bucket/key`` URIs, or bytes (with a ``name`` column: ``scan.png``).
        settings: `WorkerSettings`: picklable and secret-free. The key comes from
            the worker's ``BYTEIT_API_KEY``.
        processing_options: `ProcessingOptions` or a dict of them, for every row.
        output: None: the text comes back in the ``output`` column; a folder, or an
            ``s3://bucket/prefix/``: results are written there, mirroring the
            documents' paths (below ``settings.input_root`` when given).
        run_name: Names the run: the same name on a rerun finds the jobs made before.

    Returns:
        The same kind of table with the columns `COLUMNS`: ``input``, ``ok``,
        ``output`` (the text, or the path or S3 location written), ``error_type``,
        ``error``, ``job_id`` and ``credits``.

    Raises:
        APIKeyError: No key in the worker's environment, or the key is not allowed.
        AuthenticationError: The service rejected the key.
        ValidationError: A bad option, output, run name or `rows` table.
        ImportError: An extra the documents need (``s3``) is missing.
        ConnectorError: The output bucket cannot be reached.
    """
    run = plan_run(settings, processing_options, output, run_name)
    results: R = process_rows(rows, run)
    return results


def process_partitions(
    frames: Iterable[R],
    *,
    settings: WorkerSettings,
    processing_options: ProcessingOptions | Mapping[str, Any] | None = None,
    output: Output = None,
    run_name: str,
) -> Iterator[R]:
    """`process_partition` for each of `frames` with one client: the shape of Spark's
    ``mapInPandas`` and ``mapInArrow`` (an iterator of frames in, one out per frame).

    Example:
        >>> df.mapInPandas(lambda frames: process_partitions(frames, settings=s,
        ...     run_name="inbox"), schema=RESULT_SCHEMA)
    """
    run = plan_run(settings, processing_options, output, run_name)
    with open_client(run.settings) as client:
        for frame in frames:
            yield process_rows(frame, run, client)
