"""Fault injection, to rehearse a client against a misbehaving service.

For each ``/v1/`` request one roll of a seeded die picks at most one fault:
a 503 with ``Retry-After: 1``, a 429 with ``Retry-After: 1``, a dropped
connection, or a slow answer. Faults strike before the request is handled, so
a faulted request never creates anything.

A dropped connection is made the only way ASGI allows: the status line and
headers of a 503 announcing a body are sent, then the connection is closed
without the body. The client sees a connection error (httpx raises
``RemoteProtocolError``), never a complete answer.
"""

from __future__ import annotations

import asyncio
import logging
import random
from enum import Enum

from starlette.types import ASGIApp, Receive, Scope, Send

from .auth import API_PREFIX
from .config import ServerConfig
from .errors import json_error

__all__ = ["Fault", "FaultDice", "FaultInjectionMiddleware"]

logger = logging.getLogger("byteit_server.faults")


class Fault(Enum):
    """What happens to a request."""

    NONE = "none"
    UNAVAILABLE = "503"
    RATE_LIMITED = "429"
    DROP = "drop"
    SLOW = "slow"


class FaultDice:
    """Picks a fault per request with the configured fractions, reproducibly for a seed."""

    def __init__(self, config: ServerConfig) -> None:
        self._random = random.Random(config.fault_seed)  # noqa: S311 (dice, not secrets)
        self._thresholds: list[tuple[float, Fault]] = []
        total = 0.0
        for fraction, fault in (
            (config.fault_503, Fault.UNAVAILABLE),
            (config.fault_429, Fault.RATE_LIMITED),
            (config.fault_drop, Fault.DROP),
            (config.fault_slow, Fault.SLOW),
        ):
            total += fraction
            self._thresholds.append((total, fault))

    def roll(self) -> Fault:
        """The fault for the next request."""
        value = self._random.random()
        for threshold, fault in self._thresholds:
            if value < threshold:
                return fault
        return Fault.NONE


class FaultInjectionMiddleware:
    """Applies :class:`FaultDice` to ``/v1/`` requests."""

    def __init__(self, app: ASGIApp, dice: FaultDice, slow_seconds: float) -> None:
        self.app = app
        self.dice = dice
        self.slow_seconds = slow_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        fault = self.dice.roll()
        if fault is Fault.UNAVAILABLE:
            detail = "injected fault: service unavailable, retry shortly"
            await json_error(503, detail, {"Retry-After": "1"})(scope, receive, send)
        elif fault is Fault.RATE_LIMITED:
            detail = "injected fault: rate limited, retry after 1 s"
            await json_error(429, detail, {"Retry-After": "1"})(scope, receive, send)
        elif fault is Fault.DROP:
            await _drop(send)
        else:
            if fault is Fault.SLOW:
                await asyncio.sleep(self.slow_seconds)
            await self.app(scope, receive, send)


async def _drop(send: Send) -> None:
    logger.info("injected fault: dropping the connection")
    headers = [(b"content-type", b"application/json"), (b"content-length", b"1024")]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    # Returning without the announced body makes the server close the connection.
