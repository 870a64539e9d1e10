"""Checks of call arguments, shared by every method: bad input is refused before any request."""

from __future__ import annotations

from byteit._contract import OUTPUT_FORMATS
from byteit.exceptions import ValidationError


def check_job_id(job_id: str) -> str:
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValidationError(f"job_id must be a non-empty string, not {job_id!r}")
    return job_id


def check_wait(poll_interval: float | None, max_wait_time: float | None) -> None:
    if poll_interval is not None and not poll_interval > 0:
        raise ValidationError(
            f"poll_interval must be a positive number of seconds, not {poll_interval!r}"
        )
    if max_wait_time is not None and not max_wait_time > 0:
        raise ValidationError(
            f"max_wait_time must be a positive number of seconds, not {max_wait_time!r}"
        )


def check_workers(value: int, name: str = "max_workers") -> int:
    """A count of things at once (`name` says which argument): a positive integer."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(f"{name} must be a positive integer, not {value!r}")
    return value


def check_nickname(nickname: str | None) -> str | None:
    if nickname is not None and not isinstance(nickname, str):
        raise ValidationError(f"nickname must be a string, not {type(nickname).__name__}")
    return nickname


def check_result_format(output_format: str | None) -> str | None:
    if output_format is None:
        return None
    if output_format not in OUTPUT_FORMATS:
        allowed = ", ".join(OUTPUT_FORMATS)
        raise ValidationError(f"output_format {output_format!r} is not one of {allowed}")
    return output_format
