"""The bridge to the extraction engine in :mod:`byteit_server.extraction`.

:func:`extract_to_file` runs in a worker process: it extracts a document and
writes the :class:`Extraction` as JSON next to the job's results, so any
output format can be rendered later, at download time, by :func:`render_to_file`.
The engine is imported inside the functions, so this module imports without it.
So is the wire contract (``byteit._contract``): importing it loads the whole
client package, which a worker process does not need and takes about twice as
long to start with.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "EXTRACTION_FILE",
    "ExtractionSummary",
    "ExtractionTask",
    "StoredText",
    "extract_to_file",
    "media_type",
    "read_stored_text",
    "render_to_file",
    "result_file",
]

EXTRACTION_FILE = "extraction.json"


@dataclass(frozen=True)
class ExtractionTask:
    """What a worker process extracts, how, and where the result goes.

    ``languages`` are API codes (``en``); ``ocr_engine`` is the server's
    ``--ocr-engine`` choice.
    """

    path: str
    document_type: str
    result_dir: str
    page_range: str | None = None
    languages: tuple[str, ...] = ("en",)
    ocr_engine: str = "auto"


@dataclass(frozen=True)
class ExtractionSummary:
    """What the job record keeps of an extraction."""

    page_count: int
    pages_extracted: int
    language: str | None
    encoding: str | None


def extract_to_file(task: ExtractionTask) -> ExtractionSummary:
    """Extract ``task.path`` and store the result as ``task.result_dir/extraction.json``.

    Raises:
        ExtractionError: The document cannot be read; the message is for the user.
    """
    from byteit_server.extraction import extract_document  # noqa: PLC0415 (heavy; loaded on use)

    extraction = extract_document(
        Path(task.path),
        task.document_type,
        page_range=task.page_range,
        languages=task.languages,
        ocr_engine=task.ocr_engine,
    )
    target = Path(task.result_dir) / EXTRACTION_FILE
    _write_atomically(target, json.dumps(extraction.to_dict()).encode())
    return ExtractionSummary(
        page_count=extraction.page_count,
        pages_extracted=len(extraction.pages),
        language=extraction.language,
        encoding=extraction.encoding,
    )


def result_file(result_dir: Path, output_format: str) -> Path:
    """Where a rendered result in ``output_format`` is cached."""
    return result_dir / f"result.{output_format}"


def render_to_file(result_dir: Path, output_format: str, filename: str) -> Path:
    """Render the stored extraction in ``output_format`` once, and return the file.

    Raises:
        UnsupportedFormatError: The format cannot be made for this document.
    """
    target = result_file(result_dir, output_format)
    if not target.exists():
        from byteit_server.extraction import render_result  # noqa: PLC0415 (heavy; loaded on use)

        rendered = render_result(_load(result_dir), output_format, filename=filename)
        _write_atomically(target, rendered)
    return target


def media_type(output_format: str) -> str:
    """The content type of a result in ``output_format``; text is rendered as UTF-8."""
    from byteit._contract import RESULT_CONTENT_TYPES  # noqa: PLC0415 (not in workers)

    content_type = RESULT_CONTENT_TYPES[output_format]
    return f"{content_type}; charset=utf-8" if content_type.startswith("text/") else content_type


@dataclass(frozen=True)
class StoredText:
    """What structured extraction reads of a stored extraction: text and tables."""

    text: str
    tables: list[list[list[str]]]


def read_stored_text(result_dir: Path) -> StoredText:
    """The plain text of every extracted page, and the tables found, in page order."""
    data: dict[str, Any] = json.loads((result_dir / EXTRACTION_FILE).read_text("utf-8"))
    text = "\n".join(str(page["text"]) for page in data["pages"])
    tables = [
        [[str(cell) for cell in row] for row in table["rows"]] for table in data.get("tables", [])
    ]
    return StoredText(text, tables)


def _load(result_dir: Path) -> Any:
    from byteit_server.extraction import Extraction  # noqa: PLC0415 (heavy; loaded on use)

    data = json.loads((result_dir / EXTRACTION_FILE).read_text("utf-8"))
    return Extraction.from_dict(data)


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
