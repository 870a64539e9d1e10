"""Documents on Dask: `process_bag` for bags, `process_dataframe` for dask DataFrames
(the ``dask`` extra).

Each partition is one call of `byteit.distributed.process_partition`, with its
guarantees: rows in order, per-row errors, and one job per document when the
scheduler runs a task again (a worker that died, or a rerun of the whole job).

Example:
    >>> import dask.bag as db
    >>> bag = db.from_sequence(paths, npartitions=8)
    >>> rows = process_bag(bag, settings=WorkerSettings(), output="/shared/out/",
    ...                    run_name="inbox").compute()
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from byteit._distributed._documents import Output
from byteit._distributed._partition import PartitionRun, process_rows
from byteit._distributed._rows import read_rows, write_rows
from byteit._distributed._settings import WorkerSettings
from byteit._extras import require_dask
from byteit.distributed import plan_run
from byteit.options import ProcessingOptions

__all__ = ["process_bag", "process_dataframe"]


def process_bag(
    bag: Any,
    *,
    settings: WorkerSettings,
    run_name: str,
    processing_options: ProcessingOptions | Mapping[str, Any] | None = None,
    output: Output = None,
) -> Any:
    """A bag of documents (paths, ``s3://`` URIs, or dicts with ``input`` and
    ``name``) mapped to a bag of result dicts, one per document, in order.

    Args:
        bag: A ``dask.bag.Bag``.
        settings: `WorkerSettings`; the key comes from each worker's ``BYTEIT_API_KEY``.
        run_name: Names the run; the same name on a rerun makes no second job.
        processing_options: For every document.
        output: None (the text in ``output``), a folder or an ``s3://`` prefix.

    Returns:
        A lazy ``dask.bag.Bag`` of dicts with the keys of `byteit.distributed.COLUMNS`.

    Raises:
        ImportError: Dask is missing (``pip install "byteit[dask]"``).
        ValidationError: A bad option, output, run name or settings (before any task).
    """
    require_dask()
    run = plan_run(settings, processing_options, output, run_name)
    return bag.map_partitions(_bag_partition, run)


def process_dataframe(
    frame: Any,
    *,
    settings: WorkerSettings,
    run_name: str,
    processing_options: ProcessingOptions | Mapping[str, Any] | None = None,
    output: Output = None,
) -> Any:
    """A dask DataFrame with an ``input`` column (and ``name`` for bytes) mapped with
    ``map_partitions`` to one of results, index kept; see `process_bag`.

    Returns:
        A lazy dask DataFrame with the columns of `byteit.distributed.COLUMNS`.
    """
    require_dask()
    run = plan_run(settings, processing_options, output, run_name)
    meta = write_rows(read_rows(frame._meta), [])
    return frame.map_partitions(_frame_partition, run, meta=meta)


def _bag_partition(documents: Any, run: PartitionRun) -> list[dict[str, Any]]:
    rows = [doc if isinstance(doc, Mapping) else {"input": doc} for doc in documents]
    return process_rows(rows, run)  # type: ignore[no-any-return]


def _frame_partition(frame: Any, run: PartitionRun) -> Any:
    return process_rows(frame, run)
