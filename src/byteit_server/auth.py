"""API-key authentication of ``/v1/`` requests.

A caller is known by its owner id, a hash of its key: the key itself is never
stored or logged, and every job, schema and idempotency record belongs to the
owner id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import json_error

__all__ = ["API_PREFIX", "AuthMiddleware", "KeyRing", "owner_id"]

API_PREFIX = "/v1/"


def owner_id(api_key: str) -> str:
    """The id a key's jobs are stored under: a SHA-256 hash, never the key."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:32]


class KeyRing:
    """The accepted keys; :meth:`owner_of` checks a presented key in constant time."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = tuple(key.encode() for key in keys)

    def owner_of(self, presented: str | None) -> str | None:
        """The owner id of ``presented``, or None when it is missing or not accepted."""
        if not presented:
            return None
        candidate = presented.encode()
        matched = False
        for key in self._keys:  # no early exit: the time taken says nothing of which key
            matched |= hmac.compare_digest(candidate, key)
        return owner_id(presented) if matched else None


class AuthMiddleware:
    """Answers 401 to a ``/v1/`` request without an accepted ``X-API-Key``.

    The owner id of an accepted key goes to ``scope["state"]["owner"]``.
    """

    def __init__(self, app: ASGIApp, keyring: KeyRing) -> None:
        self.app = app
        self.keyring = keyring

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        presented = _header(scope, b"x-api-key")
        owner = self.keyring.owner_of(presented)
        if owner is None:
            detail = (
                "missing X-API-Key header: send your API key in it"
                if not presented
                else "invalid API key: check the X-API-Key header"
            )
            await json_error(401, detail)(scope, receive, send)
            return
        scope.setdefault("state", {})["owner"] = owner
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None
