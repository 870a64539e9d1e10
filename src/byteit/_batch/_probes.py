"""Polling a job by asking for its result, once the job list is too long to read.

A batch that gives up the job list because it holds too many jobs polls job by
job. Each job due would cost a status call and then a download. Asked for directly, the
result answers both: a "not ready" answer is the poll, a result is the
download, so a job that is done when it is due costs one request, not two.

Only a job the batch created itself (its creation answer names its document)
with one document whose result the client downloads is probed; a job picked
up from a state file, or whose result the service writes itself (server-side
S3), is polled on its status, as is every job of a server whose list is missing
or leaves jobs out (an older server, whose result endpoint may not say "not
ready" as the contract does). A probe the server refuses (a failed job's result)
sends its job back to status polls, which read why it failed.
"""

from __future__ import annotations

from collections.abc import Sequence

from byteit._batch._items import Item
from byteit._batch._work import DeliverWork
from byteit.models import Job


class ResultProbes:
    """The jobs in flight whose result may stand in for their status poll."""

    def __init__(self, output_format: str) -> None:
        self._format = output_format
        self._jobs: dict[str, Job] = {}

    def created(self, job: Job, items: Sequence[Item]) -> None:
        """A job the batch created for `items`."""
        if len(items) == 1 and items[0].output.delivered_by_service(job, self._format) is None:
            self._jobs[job.id] = job

    def forget(self, job_id: str) -> None:
        """The job is done, given up, or must be polled on its status from now on."""
        self._jobs.pop(job_id, None)

    def work(self, job_id: str, items: Sequence[Item]) -> DeliverWork | None:
        """The probe of a job due, or None to poll its status."""
        job = self._jobs.get(job_id)
        if job is None or len(items) != 1:
            return None
        return DeliverWork(items[0], job, probe=True)
