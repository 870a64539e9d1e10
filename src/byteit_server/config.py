"""How a local ByteIT server is configured, and which API keys it accepts.

A server with no configured keys accepts only the documented development key
:data:`DEV_API_KEY`, and only while it listens on a loopback address: a server
reachable from other machines must be given real keys.

The ``s3_*`` settings stand in for the IAM role a customer registers with
ByteIT: with them the server reads and writes buckets itself (server-side S3).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from byteit._contract import UPLOAD_LIMITS, is_loopback

__all__ = [
    "API_KEYS_ENV",
    "DATA_DIR_ENV",
    "DEV_API_KEY",
    "OCR_ENGINES",
    "S3_ENV",
    "S3Settings",
    "ServerConfig",
    "ServerConfigError",
    "default_data_dir",
    "resolve_api_keys",
    "resolve_s3_settings",
]

DEV_API_KEY = "byteit-dev.local-development-key"
API_KEYS_ENV = "BYTEIT_SERVER_API_KEYS"
DATA_DIR_ENV = "BYTEIT_SERVER_DATA_DIR"
# The choices of byteit_server.extraction.ocr, which a test keeps equal to these.
OCR_ENGINES = ("auto", "tesserocr", "tesseract")
S3_ENV = {
    "endpoint_url": "BYTEIT_SERVER_S3_ENDPOINT_URL",
    "access_key_id": "BYTEIT_SERVER_S3_ACCESS_KEY_ID",
    "secret_access_key": "BYTEIT_SERVER_S3_SECRET_ACCESS_KEY",
    "region": "BYTEIT_SERVER_S3_REGION",
}


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
        page_delay: Seconds each extracted page adds to a parse job, after
            extraction, holding its worker: simulated per-page work, so that a
            machine with few cores can show what splitting a big PDF gains.
        api_keys: Accepted keys, in addition to ``$BYTEIT_SERVER_API_KEYS``.
        rate_limit: Requests per second allowed per key; None turns limiting off.
        rate_limit_burst: Requests a key may make at once before the rate applies.
        fault_503, fault_429, fault_drop, fault_slow: Fractions (0 to 1) of
            ``/v1/`` requests answered 503, answered 429, dropped without an
            answer, or delayed by ``fault_slow_seconds``.
        fault_seed: Seed of the fault dice, for reproducible runs.
        max_files_per_request, max_file_bytes, max_request_bytes: Upload limits
            (``max_file_bytes`` also bounds a document read from S3).
        s3_endpoint_url, s3_access_key_id, s3_secret_access_key, s3_region: What
            the server reaches S3 with for ``input_connector=s3`` and
            ``output_connector=s3``, each also read from ``$BYTEIT_SERVER_S3_*``
            (see :func:`resolve_s3_settings`). The secret is never shown or logged.
        ocr_engine: What reads images: ``tesserocr`` (installed by the ``server``
            extra), ``tesseract`` (the system binary, which may have more
            languages), or ``auto``: the binary when it is on PATH and has the
            requested languages, else tesserocr.

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
    page_delay: float = 0.0
    api_keys: tuple[str, ...] = ()
    rate_limit: float | None = None
    rate_limit_burst: int = 10
    fault_503: float = 0.0
    fault_429: float = 0.0
    fault_drop: float = 0.0
    fault_slow: float = 0.0
    fault_slow_seconds: float = 2.0
    fault_seed: int | None = None
    max_files_per_request: int = UPLOAD_LIMITS.max_files
    max_file_bytes: int = UPLOAD_LIMITS.max_file_bytes
    max_request_bytes: int = UPLOAD_LIMITS.max_request_bytes
    s3_endpoint_url: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = field(default=None, repr=False)
    s3_region: str | None = None
    ocr_engine: str = "auto"

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "api_keys", tuple(self.api_keys))
        _require(0 <= self.port <= 65535, f"port must be 0 to 65535, not {self.port}")
        _require(self.workers >= 1, f"workers must be at least 1, not {self.workers}")
        _require(self.processing_delay >= 0, "processing_delay must not be negative")
        _require(self.page_delay >= 0, "page_delay must not be negative")
        _require(self.fault_slow_seconds >= 0, "fault_slow_seconds must not be negative")
        _require(self.rate_limit is None or self.rate_limit > 0, "rate_limit must be positive")
        _require(self.rate_limit_burst >= 1, "rate_limit_burst must be at least 1")
        for name in ("max_files_per_request", "max_file_bytes", "max_request_bytes"):
            _require(getattr(self, name) >= 1, f"{name} must be at least 1")
        self._check_faults()
        for key in self.api_keys:
            _require(bool(key.strip()), "api_keys must not contain an empty key")
        _check_endpoint_url(self.s3_endpoint_url)
        _require(
            self.ocr_engine in OCR_ENGINES,
            f"ocr_engine must be one of {', '.join(OCR_ENGINES)}, not {self.ocr_engine!r}",
        )

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


@dataclass(frozen=True)
class S3Settings:
    """What the server reaches S3 with (:func:`resolve_s3_settings` makes them).

    Without a key pair boto3's default chain (environment, profile, instance
    role) supplies the credentials.
    """

    endpoint_url: str | None
    access_key_id: str | None
    secret_access_key: str | None = field(repr=False)
    region: str | None


def resolve_s3_settings(
    config: ServerConfig, environ: Mapping[str, str] = os.environ
) -> S3Settings | None:
    """The S3 settings: each configured value, else its ``$BYTEIT_SERVER_S3_*`` variable.

    Server-side S3 is on when an endpoint, a region or an access key id is set;
    a secret alone turns nothing on.

    Returns:
        The settings, or None when server-side S3 is off.

    Raises:
        ServerConfigError: Only one of the access key id and the secret is set,
            or the endpoint is not an http(s) URL.
    """
    values = {
        name: getattr(config, f"s3_{name}") or environ.get(variable) or None
        for name, variable in S3_ENV.items()
    }
    settings = S3Settings(**values)
    _check_endpoint_url(settings.endpoint_url)
    if (settings.access_key_id is None) != (settings.secret_access_key is None):
        raise ServerConfigError(
            "give both the S3 access key id and the secret access key, or neither (to use "
            f"boto3's default credentials); set {S3_ENV['secret_access_key']} for the secret"
        )
    if not any((settings.endpoint_url, settings.region, settings.access_key_id)):
        return None
    return settings


def _check_endpoint_url(url: str | None) -> None:
    _require(
        url is None or url.startswith(("http://", "https://")),
        f"s3_endpoint_url must start with http:// or https://, not {url!r}",
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ServerConfigError(message)
