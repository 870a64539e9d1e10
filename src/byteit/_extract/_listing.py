"""Reading every page of the custom-job list, and the checks of a custom job's text fields.

The service pages custom jobs with a ``before`` cursor (jobs created before a
time). Each next page is asked for before the oldest job seen; the reading stops
at an empty page, or at one holding only jobs already seen (a server that
ignores the cursor), so it always ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from byteit.exceptions import ValidationError
from byteit.models import CustomJob


class CursorPages:
    """The jobs of the pages read so far, and the cursor of the next page."""

    def __init__(self, before: datetime | None) -> None:
        self.cursor = before
        self.jobs: list[CustomJob] = []
        self._seen: set[str] = set()

    def add(self, page: Sequence[CustomJob]) -> bool:
        """Take in one page; whether another should be read."""
        fresh = [job for job in page if job.id not in self._seen]
        self._seen.update(job.id for job in fresh)
        self.jobs.extend(fresh)
        times = [job.created_at for job in fresh if job.created_at is not None]
        if not times:
            return False
        self.cursor = min(times)
        return True


def check_before(before: datetime | None) -> datetime | None:
    if before is not None and not isinstance(before, datetime):
        raise ValidationError(f"before must be a datetime, not {before!r}")
    return before


def check_prompt(user_prompt: str | None) -> str | None:
    if user_prompt is not None and not isinstance(user_prompt, str):
        raise ValidationError(f"user_prompt must be a string, not {type(user_prompt).__name__}")
    return user_prompt
