"""The `byteit` logger: where the client says what it decided, and why.

Retries, waits, fallbacks and concurrency changes are logged at DEBUG on
children of `byteit` (``byteit.retry``, ``byteit.batch``); a batch's summary
at INFO. Nothing is shown unless asked for: ``BYTEIT_LOG=debug`` (or ``info``),
read once when byteit is imported, gives `byteit` a stderr handler at that
level, as ``OPENAI_LOG`` does for openai-python. Any other value is ignored with
one WARNING on `byteit`. The root logger is never touched.

Every logger made by `get_logger` redacts the API keys the client was given.
The filter sits on each byteit logger, not only on `byteit`: logging runs a
logger's filters only for records logged on that very logger, never for those
propagating up from its children.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Mapping

LOG_ENV = "BYTEIT_LOG"
ROOT_NAME = "byteit"
REDACTED = "***"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_NAME = "byteit-log-env"  # marks the handler BYTEIT_LOG added, to replace it


class SecretFilter(logging.Filter):
    """Replaces every registered secret in a record's message and traceback with ``***``."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        if not secret:
            return
        with self._lock:  # a new tuple each time: readers never see one half-built
            # Longest first, so that a key containing another is redacted whole.
            self._secrets = tuple(sorted({*self._secrets, secret}, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None  # formatted once, here, so args cannot leak
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


_SECRETS = SecretFilter()


def register_secret(secret: str) -> None:
    """Never log `secret` (an API key): it shows as ``***`` in every byteit record."""
    _SECRETS.add(secret)


def redact(text: str) -> str:
    """`text` with every registered secret replaced by ``***``."""
    return _SECRETS.redact(text)


def get_logger(name: str = "") -> logging.Logger:
    """The `byteit` logger, or its child `name` (``"retry"`` is ``byteit.retry``), redacting."""
    logger = logging.getLogger(f"{ROOT_NAME}.{name}" if name else ROOT_NAME)
    logger.addFilter(_SECRETS)  # a no-op when it is there already
    return logger


def configure_from_env(environ: Mapping[str, str] | None = None) -> logging.Handler | None:
    """Apply ``BYTEIT_LOG``: the stderr handler it asks for, or None when it asks for none."""
    raw = (os.environ if environ is None else environ).get(LOG_ENV, "")
    if not raw.strip():
        return None
    level = _LEVELS.get(raw.strip().lower())
    if level is None:
        get_logger().warning("%s=%r is not one of %s; ignored", LOG_ENV, raw, ", ".join(_LEVELS))
        return None
    return log_to_stderr(level)


def log_to_stderr(level: int) -> logging.Handler:
    """Show byteit's records at `level` and above on stderr (one handler, however often called)."""
    logger = get_logger()
    for handler in logger.handlers:
        if handler.name == _HANDLER_NAME:
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.name = _HANDLER_NAME
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(_SECRETS)  # also covers byteit.* loggers made without get_logger
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler
