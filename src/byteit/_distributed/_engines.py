"""Running a list of documents on an engine, for ``byteit extract --engine``.

Dask: a local cluster of ``workers`` processes (one thread each), or the
scheduler named by ``DASK_SCHEDULER_ADDRESS``. Ray: the cluster named by
``RAY_ADDRESS``, else a local instance of ``workers`` CPUs, with ``workers``
actors. Either way the rows come back in input order.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from byteit._batch._budget import Credits
from byteit._batch._results import ItemResult
from byteit._distributed._partition import PartitionRun
from byteit._extras import require, require_dask, require_ray
from byteit.exceptions import ByteITError

Engine = Literal["dask", "ray"]
ENGINES = ("local", "dask", "ray")
_PARTITIONS_PER_WORKER = 4  # small enough to even out, large enough to keep 16 in flight


def run_on_engine(
    engine: Engine, rows: list[dict[str, Any]], run: PartitionRun, workers: int
) -> list[dict[str, Any]]:
    """`rows` processed on `engine`; one result row per row, in order."""
    if not rows:
        return []
    if engine == "dask":
        return _run_dask(rows, run, workers)
    return _run_ray(rows, run, workers)


def _arguments(run: PartitionRun) -> dict[str, Any]:
    return {
        "settings": run.settings,
        "run_name": run.run_name,
        "processing_options": run.options,
        "output": run.output,
    }


def _run_dask(rows: list[dict[str, Any]], run: PartitionRun, workers: int) -> list[dict[str, Any]]:
    distributed = require_dask()
    bag = require("dask.bag", "dask", "byteit.dask")
    from byteit.dask import process_bag  # noqa: PLC0415  (the dask extra, loaded only here)

    partitions = max(1, min(len(rows), workers * _PARTITIONS_PER_WORKER))
    results = process_bag(bag.from_sequence(rows, npartitions=partitions), **_arguments(run))
    address = os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        with distributed.Client(address) as client:
            return list(client.compute(results).result())
    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        return list(client.compute(results).result())


def _run_ray(rows: list[dict[str, Any]], run: PartitionRun, workers: int) -> list[dict[str, Any]]:
    ray, ray_data = require_ray()
    from byteit.ray import process_dataset  # noqa: PLC0415  (the ray extra, loaded only here)

    started = not ray.is_initialized()
    quiet: dict[str, Any] = {"logging_level": "ERROR", "log_to_driver": False}
    if started and os.environ.get("RAY_ADDRESS"):
        ray.init(**quiet)
    elif started:
        ray.init(num_cpus=workers, include_dashboard=False, **quiet)
    try:
        context = ray_data.DataContext.get_current()
        context.execution_options.preserve_order = True
        dataset = ray_data.from_items(rows)
        results = process_dataset(dataset, concurrency=workers, **_arguments(run))
        return [dict(row) for row in results.take_all()]
    finally:
        if started:
            ray.shutdown()


def extract_on_engine(
    engine: Engine,
    documents: list[Path],
    output: Path | None,
    run: PartitionRun,
    workers: int,
) -> tuple[list[ItemResult[bytes | str]], Credits]:
    """``byteit extract --engine``: each document's result as the local run gives it (the
    text as bytes when printed, else the path written), in input order, and the credits
    the parse jobs cost."""
    rows = run_on_engine(engine, [{"input": str(path)} for path in documents], run, workers)
    results: list[ItemResult[bytes | str]] = []
    for index, (path, row) in enumerate(zip(documents, rows, strict=True)):
        if not row["ok"]:
            error = ByteITError(row["error"])
            results.append(ItemResult(index, path, error=error))
        else:
            value = row["output"].encode() if output is None else row["output"]
            results.append(ItemResult(index, path, value=value))
    spent = sum(float(row["credits"]) for row in rows if row.get("credits") is not None)
    return results, Credits(parse=spent)


def input_root(roots: list[Path]) -> str:
    """The folder results mirror the documents below: the one folder given, else the
    folder all given paths share."""
    if len(roots) == 1 and roots[0].is_dir():
        return str(roots[0].absolute())
    folders = [path.absolute() if path.is_dir() else path.absolute().parent for path in roots]
    return os.path.commonpath(folders)
