"""How a local ByteIT server is configured, and which API keys it accepts.

A server with no configured keys accepts only the documented development key
:data:`DEV_API_KEY`, and only while it listens on a loopback address: a server
reachable from other machines must be given real keys.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from byteit._settings import is_loopback

__all__ = [
    "API_KEYS_ENV",
    "DATA_DIR_ENV",
    "DEV_API_KEY",
    "MEGABYTE",
    "ServerConfig",
    "ServerConfigError",
    "default_data_dir",
    "resolve_api_keys",
]

DEV_API_KEY = "byteit-dev.local-development-key"
API_KEYS_ENV = "BYTEIT_SERVER_API_KEYS"
DATA_DIR_ENV = "BYTEIT_SERVER_DATA_DIR"
MEGABYTE = 1024 * 1024


class ServerConfigError(ValueError):
    """The configuration cannot be used; the message says which setting to change."""


def default_data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$BYTEIT_SERVER_DATA_DIR``, or ``.byteit-data`` in the current directory."""
    return Path(environ.get(DATA_DIR_ENV) or ".byteit-data")


@dataclass(frozen=True)
class ServerConfig:
    """Settings of a local ByteIT server.

    Args:
        host: Address to bind; keys are required unless it is a loopback address.
        port: Port to bind; 0 picks a free one (see ``EmbeddedServer``).
        data_dir: Where the database, uploads and results live; survives restarts.
        workers: Jobs processed at the same time.
        processing_delay: Extra seconds each job waits before extraction,
            to make jobs observable while in progress.
        api_keys: Accepted keys, in addition to ``$BYTEIT_SERVER_API_KEYS``.
        rate_limit: Requests per second allowed per key; None turns limiting off.
        rate_limit_burst: Requests a key may make at once before the rate applies.
        fault_503, fault_429, fault_drop, fault_slow: Fractions (0 to 1) of
            ``/v1/`` requests answered 503, answered 429, dropped without an
            answer, or delayed by ``fault_slow_seconds``.
        fault_seed: Seed of the fault dice, for reproducible runs.
        max_files_per_request, max_file_bytes, max_request_bytes: Upload limits.

    Raises:
        ServerConfigError: A value is out of range.

    Example:
        >>> ServerConfig(port=0, processing_delay=0.5).workers
        4
    """

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = field(default_factory=default_data_dir)
    workers: int = 4
    processing_delay: float = 0.0
    api_keys: tuple[str, ...] = ()
    rate_limit: float | None = None
    rate_limit_burst: int = 10
    fault_503: float = 0.0
    fault_429: float = 0.0
    fault_drop: float = 0.0
    fault_slow: float = 0.0
    fault_slow_seconds: float = 2.0
    fault_seed: int | None = None
    max_files_per_request: int = 25
    max_file_bytes: int = 200 * MEGABYTE
    max_request_bytes: int = 250 * MEGABYTE

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "api_keys", tuple(self.api_keys))
        _require(0 <= self.port <= 65535, f"port must be 0 to 65535, not {self.port}")
        _require(self.workers >= 1, f"workers must be at least 1, not {self.workers}")
        _require(self.processing_delay >= 0, "processing_delay must not be negative")
        _require(self.fault_slow_seconds >= 0, "fault_slow_seconds must not be negative")
        _require(self.rate_limit is None or self.rate_limit > 0, "rate_limit must be positive")
        _require(self.rate_limit_burst >= 1, "rate_limit_burst must be at least 1")
        for name in ("max_files_per_request", "max_file_bytes", "max_request_bytes"):
            _require(getattr(self, name) >= 1, f"{name} must be at least 1")
        self._check_faults()
        for key in self.api_keys:
            _require(bool(key.strip()), "api_keys must not contain an empty key")

    def _check_faults(self) -> None:
        fractions = {
            "fault_503": self.fault_503,
            "fault_429": self.fault_429,
            "fault_drop": self.fault_drop,
            "fault_slow": self.fault_slow,
        }
        for name, value in fractions.items():
            _require(0.0 <= value <= 1.0, f"{name} must be a fraction from 0 to 1, not {value}")
        _require(sum(fractions.values()) <= 1.0, "the fault fractions must add up to at most 1")

    @property
    def faults_enabled(self) -> bool:
        """Whether any fault is injected."""
        return any((self.fault_503, self.fault_429, self.fault_drop, self.fault_slow))


def resolve_api_keys(
    config: ServerConfig, environ: Mapping[str, str] = os.environ
) -> tuple[str, ...]:
    """The keys the server accepts: configured ones, then ``$BYTEIT_SERVER_API_KEYS``.

    Returns:
        The keys, or ``(DEV_API_KEY,)`` when none is configured and the host is loopback.

    Raises:
        ServerConfigError: No key is configured and the host is not loopback.
    """
    from_env = tuple(key.strip() for key in environ.get(API_KEYS_ENV, "").split(","))
    keys = tuple(dict.fromkeys(config.api_keys + tuple(key for key in from_env if key)))
    if keys:
        return keys
    if is_loopback(config.host):
        return (DEV_API_KEY,)
    raise ServerConfigError(
        f"refusing to listen on {config.host!r} without API keys: the development key only "
        f"works on a loopback address. Pass --api-key or set {API_KEYS_ENV}."
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ServerConfigError(message)
