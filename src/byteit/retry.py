"""When and how long to wait before trying a request again.

Pure decisions, no I/O: the sync and async clients both ask a `RetryState` what
to do after each attempt, then do the waiting through their clock. Each decision,
to retry or to give up, is logged at DEBUG on ``byteit.retry`` with its reason.
"""

from __future__ import annotations

import email.utils
import random
import threading
from collections.abc import Callable
from datetime import datetime, timezone

import attrs
import httpx

from byteit._log import get_logger
from byteit.exceptions import ValidationError

__all__ = ["RetryBudget", "RetryPolicy"]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# The server asking for less traffic: a batch slows down rather than only retrying.
THROTTLE_STATUSES = frozenset({429, 503})
ThrottleHook = Callable[[float, "float | None"], None]
# Failures that prove the request never reached the server: always safe to retry.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_logger = get_logger("retry")


@attrs.frozen
class RetryPolicy:
    """How a client retries failed requests: exponential backoff with full jitter.

    Args:
        max_retries: Retries after the first attempt (0 disables retrying).
        base_delay: The first backoff ceiling in seconds; it doubles per retry.
        max_delay: The largest backoff ceiling in seconds.
        max_retry_after: The longest ``Retry-After`` honoured; a server asking for
            longer gets its error raised at once rather than a silent long stall.
        deadline: Seconds one call may take in all, waits included (None: no limit).

    Example:
        >>> ByteITClient(retry_policy=RetryPolicy(max_retries=5, deadline=60))
    """

    max_retries: int = attrs.field(default=3, validator=attrs.validators.ge(0))
    base_delay: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_delay: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    deadline: float | None = 300.0

    def start(
        self,
        now: float,
        *,
        rng: random.Random,
        replay_safe: bool,
        within: float | None = None,
        budget: RetryBudget | None = None,
        on_throttle: ThrottleHook | None = None,
        description: str | None = None,
    ) -> RetryState:
        """Begin retrying one call.

        Args:
            now: The clock's monotonic time.
            rng: Randomness for the jitter.
            replay_safe: Whether the request may be sent twice (GET, or a creation
                carrying an idempotency key with an upload that can restart). Unsafe
                requests are retried only when they provably never reached the server.
            within: A tighter deadline for this call, in seconds from `now` (a poll
                must not outlast the wait it belongs to).
            budget: A retry budget shared with other calls (a batch's).
            on_throttle: Called with (now, Retry-After) when the server answers 429 or 503.
            description: What the call is (``GET job abc``), for the retry log.
        """
        deadline = self.deadline
        if within is not None:
            deadline = within if deadline is None else min(deadline, within)
        if budget is not None:
            budget.record_attempt()
        return RetryState(
            self,
            started=now,
            rng=rng,
            replay_safe=replay_safe,
            deadline=deadline,
            budget=budget,
            on_throttle=on_throttle,
            description=description,
        )


@attrs.define
class RetryState:
    """The retry bookkeeping of one call."""

    policy: RetryPolicy
    started: float
    rng: random.Random
    replay_safe: bool
    deadline: float | None
    budget: RetryBudget | None = None
    on_throttle: ThrottleHook | None = None
    description: str | None = None
    retries: int = 0

    def after_response(self, response: httpx.Response, now: float) -> float | None:
        """Seconds to wait before retrying, or None to hand the response back."""
        status = response.status_code
        if status not in RETRYABLE_STATUSES:
            return None
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=None)
        if status in THROTTLE_STATUSES and self.on_throttle is not None:
            # A server asking for a day's pause must not stop a whole batch for a day.
            capped = None if retry_after is None else min(retry_after, self.policy.max_retry_after)
            self.on_throttle(now, capped)
        asked = "" if retry_after is None else f" with Retry-After {retry_after:g}"
        reason = f"{status}{asked}"
        if not self.replay_safe:
            # The body was consumed: sending it again would send it truncated.
            self._give_up(reason, "the request's body cannot be sent again")
            return None
        # A 429 is the server saying when to come back, not an outage: it spends no budget.
        return self._next_delay(now, retry_after, spend=status != 429, reason=reason)

    def after_error(self, error: httpx.TransportError, now: float) -> float | None:
        """Seconds to wait before retrying, or None to give up with this error."""
        reason = type(error).__name__  # not its text: an httpx error may quote a header
        if not self.replay_safe and not isinstance(error, _NOT_SENT):
            self._give_up(reason, "it may have reached the server and is not safe to send twice")
            return None
        return self._next_delay(now, None, spend=True, reason=reason)

    def _next_delay(
        self, now: float, retry_after: float | None, *, spend: bool, reason: str
    ) -> float | None:
        decision = self._decide(now, retry_after, spend=spend)
        if isinstance(decision, str):
            self._give_up(reason, decision)
            return None
        _logger.debug("%s; retrying in %.2fs", self._failed(reason), decision)
        self.retries += 1
        return decision

    def _decide(self, now: float, retry_after: float | None, *, spend: bool) -> float | str:
        """The delay before the next attempt, or why there is none (the budget is spent last,
        so a refused retry costs the batch nothing)."""
        policy = self.policy
        if self.retries >= policy.max_retries:
            return f"no retries left (max_retries={policy.max_retries})"
        if retry_after is not None and retry_after > policy.max_retry_after:
            return f"Retry-After is longer than max_retry_after={policy.max_retry_after:g}s"
        delay = retry_after if retry_after is not None else self._backoff()
        if self.deadline is not None and now + delay - self.started > self.deadline:
            return f"waiting {delay:.2f}s would pass the {self.deadline:g}s deadline"
        if spend and self.budget is not None and not self.budget.spend():
            return "the batch's retry budget is spent"
        return delay

    def _backoff(self) -> float:
        """Full jitter: anywhere up to a ceiling that doubles with each retry."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2**self.retries)
        return self.rng.uniform(0, ceiling)

    def _failed(self, reason: str) -> str:
        """``attempt 2 of 4 failed on GET job abc: 503``, the head of each retry record."""
        attempts = self.policy.max_retries + 1
        on = f" on {self.description}" if self.description else ""
        return f"attempt {self.retries + 1} of {attempts} failed{on}: {reason}"

    def _give_up(self, reason: str, why: str) -> None:
        _logger.debug("%s; giving up: %s", self._failed(reason), why)


class RetryBudget:
    """Retries shared by the calls of a batch: a reserve, topped up by a share of attempts.

    Every call deposits `ratio` of a retry; each retry after a server error or a
    network failure withdraws one. While the server is healthy the reserve stays
    full; during an outage retries soon run out, so a batch of thousands sends
    about ``(1 + ratio)`` requests per document instead of ``1 + max_retries``.

    Args:
        ratio: Retries earned per call made.
        reserve: The most retries that can be saved up (and the starting balance).

    Example:
        >>> RetryBudget(ratio=0.1, reserve=20)
    """

    def __init__(self, ratio: float = 0.2, reserve: float = 20.0) -> None:
        if ratio < 0 or reserve < 0:
            raise ValidationError(
                f"RetryBudget ratio and reserve must not be negative, not {ratio!r}, {reserve!r}"
            )
        self.ratio = ratio
        self.reserve = reserve
        self._balance = reserve
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RetryBudget(ratio={self.ratio}, reserve={self.reserve})"

    @property
    def balance(self) -> float:
        return self._balance

    def record_attempt(self) -> None:
        with self._lock:
            self._balance = min(self.reserve, self._balance + self.ratio)

    def spend(self) -> bool:
        """Take one retry; False when none is left."""
        with self._lock:
            if self._balance < 1:
                return False
            self._balance -= 1
            return True


def parse_retry_after(value: str | None, *, now: datetime | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent
    or unreadable. A date in the past means zero."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())
