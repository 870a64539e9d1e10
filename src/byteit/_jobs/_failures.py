"""The errors a job's fate raises: it failed on the server, or waiting ran out."""

from __future__ import annotations

from byteit._log import redact
from byteit.exceptions import JobProcessingError, JobTimeoutError
from byteit.models import CustomJob, ExtractJob, Job


def failed_job_error(job: Job | ExtractJob | CustomJob) -> JobProcessingError:
    # The server's reason is its own text, which may quote the key it was sent.
    reason = redact(job.processing_error) if job.processing_error else None
    return JobProcessingError(
        f"Job {job.id} failed: {reason or 'the server gave no reason'}",
        job_id=job.id,
        processing_error=reason,
    )


def timeout_error(job_id: str, waited: float) -> JobTimeoutError:
    return JobTimeoutError(
        f"Job {job_id} was still running after {waited:.0f} s; wait longer with "
        f"wait_for_job({job_id!r}, max_wait_time=...) or check it later with get_job",
        job_id=job_id,
        waited=waited,
    )
