"""The errors a job's fate raises: it failed on the server, or waiting ran out."""

from __future__ import annotations

from byteit.exceptions import JobProcessingError, JobTimeoutError
from byteit.models import CustomJob, ExtractJob, Job


def failed_job_error(job: Job | ExtractJob | CustomJob) -> JobProcessingError:
    reason = job.processing_error or "the server gave no reason"
    return JobProcessingError(
        f"Job {job.id} failed: {reason}",
        job_id=job.id,
        processing_error=job.processing_error,
    )


def timeout_error(job_id: str, waited: float) -> JobTimeoutError:
    return JobTimeoutError(
        f"Job {job_id} was still running after {waited:.0f} s; wait longer with "
        f"wait_for_job({job_id!r}, max_wait_time=...) or check it later with get_job",
        job_id=job_id,
        waited=waited,
    )
