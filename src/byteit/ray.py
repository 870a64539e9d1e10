"""Documents on Ray Data: `ByteITProcessor` for ``Dataset.map_batches``, and
`process_dataset`, which sets sensible defaults (the ``ray`` extra).

Each actor keeps one client for every batch it is handed; each batch is one
partition of `byteit.distributed.process_partition`, with its guarantees: rows
in order, per-row errors, one job per document across retried tasks.

Example:
    >>> import ray
    >>> from byteit.distributed import WorkerSettings
    >>> ray.init(runtime_env={"env_vars": {"BYTEIT_API_KEY": key}})
    >>> ds = ray.data.from_items([{"input": "s3://docs/inbox/a.pdf"}])
    >>> results = process_dataset(ds, settings=WorkerSettings(s3_server_side=True),
    ...                           output="s3://docs/results/", run_name="inbox")
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from byteit._distributed._documents import Output
from byteit._distributed._partition import open_client, process_rows
from byteit._distributed._settings import WorkerSettings
from byteit._extras import require_ray
from byteit.distributed import plan_run
from byteit.options import ProcessingOptions

__all__ = ["ByteITProcessor", "process_dataset"]

DEFAULT_BATCH_SIZE = 128  # documents per call: enough to keep 16 in flight most of the time


class ByteITProcessor:
    """A callable class for ``Dataset.map_batches``: one client per actor.

    Args:
        settings: `WorkerSettings` (picklable, no secret: the key comes from the
            actor's ``BYTEIT_API_KEY``, e.g. set through ``runtime_env``).
        run_name: Names the run; the same name on a rerun makes no second job.
        processing_options: For every document.
        output: None (the text in the ``output`` column), a folder or an ``s3://`` prefix.

    Example:
        >>> ds.map_batches(ByteITProcessor, fn_constructor_kwargs={
        ...     "settings": settings, "run_name": "inbox"}, concurrency=4, batch_size=128)
    """

    def __init__(
        self,
        *,
        settings: WorkerSettings,
        run_name: str,
        processing_options: ProcessingOptions | Mapping[str, Any] | None = None,
        output: Output = None,
    ) -> None:
        self._run = plan_run(settings, processing_options, output, run_name)
        self._client = open_client(self._run.settings)

    def __call__(self, batch: Any) -> Any:
        """One batch (pandas, pyarrow or a dict of columns) in, its results out, in order."""
        return process_rows(batch, self._run, self._client)

    def close(self) -> None:
        self._client.close()


def process_dataset(
    dataset: Any,
    *,
    settings: WorkerSettings,
    run_name: str,
    processing_options: ProcessingOptions | Mapping[str, Any] | None = None,
    output: Output = None,
    concurrency: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    calls_per_actor: int = 2,
) -> Any:
    """`dataset` (with an ``input`` column) mapped through `ByteITProcessor`: lazily, as
    Ray Data does; nothing runs until the result is consumed or written.

    Args:
        dataset: A ``ray.data.Dataset``.
        settings, run_name, processing_options, output: As for `ByteITProcessor`.
        concurrency: Actors; by default one per CPU of the cluster.
        batch_size: Documents per call of an actor.
        calls_per_actor: Batches an actor runs at once, in threads sharing its client,
            so that one batch's last documents overlap the next one's first.

    Returns:
        A ``ray.data.Dataset`` with the columns of `byteit.distributed.COLUMNS`.

    Raises:
        ImportError: Ray Data is missing (``pip install "byteit[ray]"``).
        ValidationError: A bad option, output, run name or settings (before any task).
    """
    ray, ray_data = require_ray()
    plan_run(settings, processing_options, output, run_name)  # refuse bad input here, once
    actors = concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
    kwargs = {
        "settings": settings,
        "run_name": run_name,
        "processing_options": processing_options,
        "output": output,
    }
    compute, remote_args = _actor_pool(ray_data, actors, calls_per_actor)
    return dataset.map_batches(
        ByteITProcessor,
        fn_constructor_kwargs=kwargs,
        compute=compute,
        batch_size=batch_size,
        batch_format="pandas",
        **remote_args,
    )


def _actor_pool(ray_data: Any, actors: int, calls: int) -> tuple[Any, dict[str, Any]]:
    """`actors` actors each running `calls` batches at once. Ray Data since 2.5x says so
    in its strategy (and runs the calls one at a time unless told they may overlap);
    earlier, a threaded actor (``max_concurrency``) ran them at once."""
    strategy = ray_data.ActorPoolStrategy
    if "enable_true_multi_threading" in inspect.signature(strategy).parameters:
        overlapping = strategy(
            size=actors, max_concurrent_calls_per_actor=calls, enable_true_multi_threading=True
        )
        return overlapping, {}
    return strategy(size=actors), {"max_concurrency": calls}
