"""The steps an extraction flow asks its client to take, one at a time.

A flow is a generator written once (`_flow`): it yields a step, and the client
(async or sync) performs it and sends back the answer, or throws in the
`ByteITError` it raised. httpx's ``Auth.auth_flow`` works the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, Generic, TypeVar

import attrs

from byteit._http._operations import Operation

T = TypeVar("T")


@attrs.frozen
class Call(Generic[T]):
    """Send one request; the answer is the operation's value."""

    operation: Operation[T]


@attrs.frozen
class Wait:
    """Wait for a job to finish (any kind: `read` reads it); the answer is the finished
    job, or the job's failure or a timeout is raised."""

    job_id: str
    read: Callable[[str], Operation[Any]]
    poll_interval: float | None
    max_wait_time: float | None


@attrs.frozen
class Download:
    """Download a result whole into memory; the answer is its bytes."""

    operation: Operation[None]
    job_id: str


Step = Call[Any] | Wait | Download
Flow = Generator[Step, Any, T]
