"""Per-key rate limiting with token buckets.

Each owner has a bucket holding up to ``burst`` tokens, refilled at ``rate``
tokens a second; a request takes one token, and a request finding the bucket
empty is answered 429 with ``Retry-After`` (whole seconds, at least 1).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from .auth import API_PREFIX
from .errors import json_error

__all__ = ["RateLimitMiddleware", "RateLimiter"]


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by owner id.

    Example:
        >>> limiter = RateLimiter(rate=1.0, burst=1, clock=lambda: 0.0)
        >>> limiter.acquire("me"), limiter.acquire("me")
        (0.0, 1.0)
    """

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, owner: str) -> float:
        """Take a token for ``owner``: 0.0 when granted, else the seconds until one is free."""
        now = self._clock()
        bucket = self._buckets.setdefault(owner, _Bucket(float(self.burst), now))
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate


class RateLimitMiddleware:
    """Answers 429 to ``/v1/`` requests of an owner over its rate; runs after auth."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        owner = scope.get("state", {}).get("owner")
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX) or owner is None:
            await self.app(scope, receive, send)
            return
        wait = self.limiter.acquire(owner)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            rate = f"{self.limiter.rate:g} requests a second"
            detail = f"rate limit of {rate} exceeded; retry in {retry_after} s"
            await json_error(429, detail, {"Retry-After": str(retry_after)})(scope, receive, send)
            return
        await self.app(scope, receive, send)
