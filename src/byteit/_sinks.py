"""Destinations a download streams into."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from byteit.exceptions import ConnectorError


class MemorySink:
    """Collects a download in memory, keeping only a complete one."""

    def __init__(self) -> None:
        self.value = b""

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self.value = buffer.getvalue()


@contextlib.contextmanager
def guard_sink(
    sink: contextlib.AbstractContextManager[BinaryIO], location: Path | str
) -> Iterator[BinaryIO]:
    """Report a failing destination as a `ConnectorError` that names it."""
    try:
        with sink as handle:
            yield handle
    except OSError as exc:
        raise ConnectorError(f"Could not write the result to {location}: {exc}") from exc
