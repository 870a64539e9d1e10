"""How long each job's simulated processing takes: one constant, or a seeded spread.

A client tuned to one constant job duration looks better against a server
whose jobs all take that long than it would against real documents. With
``processing_delay_max`` each job's delay is drawn uniformly between
``processing_delay`` and it, from a seeded die, so a benchmark sees the same
spread of durations on every run.
"""

from __future__ import annotations

import random

__all__ = ["ProcessingDelays"]


class ProcessingDelays:
    """Each job's processing delay, drawn in the order jobs start."""

    def __init__(
        self, minimum: float, maximum: float | None = None, seed: int | None = None
    ) -> None:
        self.minimum = minimum
        self.maximum = minimum if maximum is None else maximum
        self._random = random.Random(seed)  # noqa: S311 (a spread of durations, not secrets)

    def __repr__(self) -> str:
        return f"ProcessingDelays({self.minimum:g} to {self.maximum:g} s)"

    def draw(self) -> float:
        """The next job's delay in seconds."""
        if self.maximum <= self.minimum:
            return self.minimum
        return self._random.uniform(self.minimum, self.maximum)
