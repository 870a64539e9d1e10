"""What every worker of a distributed run is told: picklable, and never a secret.

A task is shipped to its worker pickled (and logged, retried, shown in a
dashboard), so nothing in it may hold a key. Each worker reads ``BYTEIT_API_KEY``
and its AWS credentials from its own environment (Ray's ``runtime_env``, a Dask
worker's environment, a Spark executor's).
"""

from __future__ import annotations

from typing import Any

import attrs

from byteit._checks import (
    check_flag,
    check_nickname,
    check_retry_policy,
    check_seconds,
    check_wait,
    check_workers,
)
from byteit.exceptions import ValidationError

# Fields a secret would be given as, and the environment variable that holds it instead.
_SECRET_FIELDS = {
    "api_key": "BYTEIT_API_KEY",
    "aws_access_key_id": "AWS_ACCESS_KEY_ID",
    "aws_secret_access_key": "AWS_SECRET_ACCESS_KEY",
}


def _refuse_secret(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        variable = _SECRET_FIELDS[attribute.name]
        raise ValidationError(
            f"WorkerSettings never holds {attribute.name}: it travels pickled to every "
            f"worker. Set {variable} in each worker's environment instead (Ray: "
            f"runtime_env={{'env_vars': ...}}; Dask: the worker's environment)"
        )


def _secret_field() -> Any:
    return attrs.field(default=None, validator=_refuse_secret, repr=False, kw_only=True)


def _check(settings: WorkerSettings) -> None:
    check_workers(settings.max_concurrency, "max_concurrency")
    check_wait(settings.poll_interval, settings.max_wait_time)
    check_nickname(settings.nickname)
    check_flag(settings.queue_for_batch, "queue_for_batch")
    check_flag(settings.s3_server_side, "s3_server_side")
    check_flag(settings.job_list, "job_list")
    check_retry_policy(settings.max_retries, None)
    check_seconds(settings.timeout, "timeout")


@attrs.frozen(kw_only=True)
class WorkerSettings:
    """How each worker connects and runs its partitions; the same for every task.

    Attributes:
        base_url: The service; None: ``BYTEIT_BASE_URL`` where the worker runs, else
            https://byteit.ai.
        timeout: Seconds for each request.
        max_retries: Retries of a failed request.
        max_concurrency: Documents in flight per partition (per worker process).
        poll_interval: Fixed seconds between polls, instead of the backoff.
        max_wait_time: Seconds to wait for each document's job at most.
        nickname: A label for the jobs.
        queue_for_batch: Use the service's cheaper, slower batch queue.
        input_root: Results written to a folder or prefix mirror the documents' paths
            below this folder (or ``s3://`` prefix); without it, below their own folder.
        s3_server_side: ``s3://`` documents and outputs are read and written by the
            service with its registered IAM role: no bytes pass through the workers.
        s3_region: The buckets' region (client-side S3).
        s3_endpoint_url: An S3-compatible endpoint (client-side S3).
        job_list: Poll the jobs of a partition with one job list. The list holds every
            job of the account, so it pays only while the account holds few (a few
            thousand); by default each job's status is polled instead.

    Raises:
        ValidationError: A bad value, or a secret (``api_key=``, AWS keys) given: it
            names the environment variable to set on the workers instead.

    Example:
        >>> WorkerSettings(base_url="https://byteit.ai", s3_server_side=True)
    """

    base_url: str | None = None
    timeout: float = 60.0
    max_retries: int = 3
    max_concurrency: int = 16
    poll_interval: float | None = None
    max_wait_time: float | None = 600
    nickname: str | None = None
    queue_for_batch: bool = False
    input_root: str | None = None
    s3_server_side: bool = False
    s3_region: str | None = None
    s3_endpoint_url: str | None = None
    job_list: bool = False
    api_key: None = _secret_field()
    aws_access_key_id: None = _secret_field()
    aws_secret_access_key: None = _secret_field()

    def __attrs_post_init__(self) -> None:
        _check(self)
