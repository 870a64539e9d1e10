"""The time constants a client under test is given: its defaults, scaled down.

A client's real waits (seconds of backoff, minutes of polling) would make a
suite of scenarios run for hours. The runner hands every client the same
constants, its reference defaults multiplied by ``scale``, and a scenario may
override any of them; a client maps them onto its own knobs. Only
`request_timeout` is not scaled: a loaded machine must not turn a prompt answer
into a timeout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_SCALE = 0.01

# The Python client's defaults (RetryPolicy, PollSchedule, wait_for_job's max_wait_time).
SCALED_DEFAULTS: dict[str, float] = {
    "backoff_base": 0.5,
    "backoff_max": 8.0,
    "retry_after_cap": 60.0,
    "deadline": 300.0,
    "poll_initial": 0.5,
    "poll_max": 10.0,
    "max_wait_time": 600.0,
}
FIXED_DEFAULTS: dict[str, float] = {
    "max_retries": 3,
    "poll_factor": 1.5,
    "request_timeout": 5.0,
}


def timing_for(
    overrides: Mapping[str, float] | None, scale: float = DEFAULT_SCALE
) -> dict[str, Any]:
    """The timing object of the adapter protocol: defaults scaled, then `overrides`."""
    timing: dict[str, Any] = {"scale": scale}
    timing.update({name: value * scale for name, value in SCALED_DEFAULTS.items()})
    timing.update(FIXED_DEFAULTS)
    timing["max_retries"] = int(timing["max_retries"])
    timing.update(overrides or {})
    return timing


def seconds(bound: float | str | Mapping[str, Any], timing: Mapping[str, Any]) -> float:
    """A spacing bound in seconds: a number, a timing name (``"poll_initial"``), or
    ``{timing: name, times: k}``."""
    if isinstance(bound, (int, float)):
        return float(bound)
    if isinstance(bound, str):
        return float(timing[bound])
    return float(timing[bound["timing"]]) * float(bound.get("times", 1))
