"""Checks of call arguments, shared by every method: bad input is refused before any request."""

from __future__ import annotations

import math

import httpx

from byteit._contract import OUTPUT_FORMATS
from byteit.exceptions import ValidationError
from byteit.polling import PollSchedule
from byteit.retry import RetryPolicy


def check_job_id(job_id: str) -> str:
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValidationError(f"job_id must be a non-empty string, not {job_id!r}")
    return job_id


def _is_positive(value: object) -> bool:
    """A positive, finite number (not a bool)."""
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and math.isfinite(value)
        and value > 0
    )


def check_seconds(value: object, name: str) -> float:
    """A positive, finite number of seconds (`name` says which argument)."""
    if not _is_positive(value):
        raise ValidationError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)  # type: ignore[arg-type]


def check_wait(poll_interval: float | None, max_wait_time: float | None) -> None:
    if poll_interval is not None:
        check_seconds(poll_interval, "poll_interval")
    if max_wait_time is not None:
        check_seconds(max_wait_time, "max_wait_time")


def check_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout | None:
    """A request timeout: seconds, or an `httpx.Timeout` (``httpx.Timeout(None)``: none);
    None means the client's default."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        if isinstance(timeout, httpx.Timeout):
            parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
            for part in parts:
                if part is not None:
                    check_seconds(part, "timeout")
        return timeout
    return httpx.Timeout(check_seconds(timeout, "timeout"))


def check_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be True or False, not {value!r}")
    return value


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


def check_default_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    checked = check_timeout(timeout)
    if checked is None:
        raise ValidationError("timeout must be seconds or an httpx.Timeout, not None")
    return checked


def check_retry_policy(max_retries: int, retry_policy: RetryPolicy | None) -> RetryPolicy:
    if retry_policy is not None:
        if not isinstance(retry_policy, RetryPolicy):
            raise ValidationError(f"retry_policy must be a RetryPolicy, not {retry_policy!r}")
        return retry_policy
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise ValidationError(f"max_retries must be a whole number >= 0, not {max_retries!r}")
    return RetryPolicy(max_retries=max_retries)


def check_poll_schedule(schedule: PollSchedule | None) -> PollSchedule | None:
    if schedule is not None and not isinstance(schedule, PollSchedule):
        raise ValidationError(f"poll_schedule must be a PollSchedule, not {schedule!r}")
    return schedule


# The spec's ExtractionComplexity (a test keeps the two equal).
EXTRACTION_COMPLEXITIES = ("low", "medium", "high")


def check_complexity(complexity: str) -> str:
    if complexity not in EXTRACTION_COMPLEXITIES:
        allowed = ", ".join(EXTRACTION_COMPLEXITIES)
        raise ValidationError(f"complexity {complexity!r} is not one of {allowed}")
    return complexity


def check_schema_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"a schema name must be a non-empty string, not {name!r}")
    return name


def check_max_credits(max_credits: float | None) -> float | None:
    """A credit cap: None (no cap) or a positive, finite number."""
    if max_credits is None:
        return None
    if not _is_positive(max_credits):
        raise ValidationError(f"max_credits must be a positive number, not {max_credits!r}")
    return float(max_credits)
