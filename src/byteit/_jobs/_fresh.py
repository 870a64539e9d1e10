"""A job just created, as ``process_document`` waits for it.

Nothing finishes the moment it is created, so its first poll waits (see
`byteit.polling.fresh_job_timer`), unless the creation's answer showed it done
already: then the result is asked for at once.
"""

from __future__ import annotations

import attrs

from byteit.models import Job, JobStatus
from byteit.polling import PollTimer


@attrs.define
class FreshJob:
    """A job just created, and the timer of its polls."""

    job: Job
    timer: PollTimer
    _asked: bool = False

    def next_delay(self, now: float) -> float | None:
        """Seconds until the next poll, or None once `max_wait_time` has passed."""
        if not self._asked and not self.job.is_processing:
            self._asked = True
            return 0.0
        self._asked = True
        return self.timer.next_delay(now)

    def status(self, processing_status: str | None) -> JobStatus:
        """The job's status as a poll found it (still running when it did not say)."""
        return JobStatus(job_id=self.job.id, processing_status=processing_status or "processing")
