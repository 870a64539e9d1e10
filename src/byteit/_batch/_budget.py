"""A batch's credits: what its jobs cost, by kind, and the ``max_credits`` cap.

Once the credits spent, plus those of the jobs in flight, reach the cap, no new
job is created. A job in flight counts at the highest cost seen so far in the
batch; until one cost is known, one job runs at a time (a first job could cost
anything). Documents never started then fail with `BudgetExceededError`; a
rerun with the state file and a higher cap picks up exactly those.
"""

from __future__ import annotations

import math

import attrs

from byteit.exceptions import BudgetExceededError


@attrs.frozen
class Credits:
    """Credits spent, by job kind.

    Attributes:
        parse: Spent on parse jobs.
        extract: Spent on extract jobs.
    """

    parse: float = 0.0
    extract: float = 0.0

    @property
    def total(self) -> float:
        return self.parse + self.extract


class CreditBudget:
    """The credits of one batch run, and how many more jobs the cap leaves room for."""

    def __init__(self, cap: float | None) -> None:
        self.cap = cap
        self.spent = 0.0
        self._by_kind: dict[str, float] = {}
        self.highest: float | None = None
        self.in_flight = 0

    def room(self) -> int | None:
        """How many more jobs may be created now (None: no cap)."""
        if self.cap is None:
            return None
        if self.highest is None:
            return 0 if self.in_flight else 1
        if self.highest == 0:
            return None
        fits = math.ceil((self.cap - self.spent) / self.highest) - self.in_flight
        return max(0, fits)

    @property
    def exhausted(self) -> bool:
        """No job may start, and none in flight could change that."""
        return self.room() == 0 and self.in_flight == 0

    def started(self, count: int = 1) -> None:
        self.in_flight += count

    def released(self, count: int = 1) -> None:
        """Jobs that will cost nothing after all (never created, or gone)."""
        self.in_flight = max(0, self.in_flight - count)

    def settled(self, cost: float | None, kind: str = "parse") -> None:
        """A job of `kind` finished (or failed) at `cost` (None: the server did not say)."""
        self.released()
        if cost is not None:
            self.spent += cost
            self._by_kind[kind] = self._by_kind.get(kind, 0.0) + cost
            self.highest = cost if self.highest is None else max(self.highest, cost)

    def abandoned(self) -> None:
        """A job given up on while it runs: it may still cost its share."""
        self.settled(self.highest)

    def credits(self) -> Credits:
        return Credits(
            parse=self._by_kind.get("parse", 0.0), extract=self._by_kind.get("extract", 0.0)
        )

    def refusal(self) -> BudgetExceededError:
        return BudgetExceededError(
            f"max_credits={self.cap:g} reached ({self.spent:g} spent): this document was not "
            "started. Run the same call again with its state_file and a higher max_credits "
            "to process it",
            max_credits=float(self.cap or 0),
            spent=self.spent,
        )
