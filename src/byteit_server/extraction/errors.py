"""The two exceptions the extraction engine raises.

::

    ExtractionError             the document cannot be read: corrupt, encrypted,
    │                           unsupported content, or a missing system tool
    └── UnsupportedFormatError  the document type or output format is not offered

Both carry a user-facing message (it becomes a job's ``processing_error``) and
survive pickling, because extraction runs in a process pool.
"""

from __future__ import annotations

from pathlib import Path


class ExtractionError(Exception):
    """A document could not be turned into text; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[type[ExtractionError], tuple[str]]:
        # Spelled out so subclasses with extra attributes cannot silently break pickling.
        return (type(self), (self.message,))

    def __str__(self) -> str:
        return self.message


class UnsupportedFormatError(ExtractionError):
    """The document type, or the requested output format, is not available for this document."""


def failure_detail(exc: BaseException, path: Path) -> str:
    """Describe a library exception for a user, naming the file but not where it is stored.

    Libraries quote the full path in their messages; the server's storage
    layout is nobody's business, so the path is cut down to the file name.
    """
    return f"{type(exc).__name__}: {str(exc).replace(str(path), path.name)}"
