"""What request handlers share: configuration, storage, runner, S3 bridge, idempotency guard."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from starlette.requests import Request

from byteit._contract import UploadLimits

from .config import ServerConfig
from .errors import ApiError
from .records import IdempotencyRecord
from .runner import JobRunner
from .s3_bridge import S3Bridge
from .storage import Storage

__all__ = ["IdempotencyGuard", "ServerState", "idempotency_key", "owner_of", "server_state"]

_MAX_KEY_LENGTH = 255


class IdempotencyGuard:
    """Serialises requests of one owner carrying the same ``Idempotency-Key``.

    Inside :meth:`hold`, the caller sees the record of an earlier request with
    the key (and replays its answer) or None (and creates, saving the record
    in the same transaction as the jobs). A second request with the key waits
    for the first to finish, so two concurrent requests create one job.
    """

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    @asynccontextmanager
    async def hold(self, owner: str, key: str | None) -> AsyncIterator[IdempotencyRecord | None]:
        """Hold the key's lock; yield the earlier request's record, if any."""
        if key is None:
            yield None
            return
        lock = self._locks.get((owner, key))
        if lock is None:
            lock = self._locks[(owner, key)] = asyncio.Lock()
        async with lock:
            yield self._storage.get_idempotency(owner, key)


@dataclass
class ServerState:
    """Everything the handlers of one app share."""

    config: ServerConfig
    storage: Storage
    runner: JobRunner
    s3: S3Bridge
    idempotency: IdempotencyGuard = field(init=False)

    def __post_init__(self) -> None:
        self.idempotency = IdempotencyGuard(self.storage)

    @property
    def upload_limits(self) -> UploadLimits:
        """The configured limits of a multipart upload."""
        config = self.config
        return UploadLimits(
            config.max_files_per_request, config.max_file_bytes, config.max_request_bytes
        )


def server_state(request: Request) -> ServerState:
    """The state of the app serving ``request``."""
    state = request.app.state.byteit
    assert isinstance(state, ServerState)
    return state


def owner_of(request: Request) -> str:
    """The owner id the auth middleware found for ``request``."""
    owner = request.scope.get("state", {}).get("owner")
    assert isinstance(owner, str), "AuthMiddleware must run before the handlers"
    return owner


def idempotency_key(request: Request) -> str | None:
    """The request's ``Idempotency-Key``, checked: 1 to 255 characters."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not 1 <= len(key) <= _MAX_KEY_LENGTH:
        raise ApiError(400, f"Idempotency-Key must be 1 to {_MAX_KEY_LENGTH} characters long")
    return key


def check_replay(record: IdempotencyRecord, operation: str) -> None:
    """Refuse a key first used for a different operation."""
    if record.operation != operation:
        raise ApiError(400, "this Idempotency-Key was already used for a different request")
