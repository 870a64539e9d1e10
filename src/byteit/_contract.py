"""The wire contract: the facts the client and the local server must agree on.

This module is the single source of them. The client (``byteit``) and the
server (``byteit_server``) both import these names rather than keeping copies,
so the two cannot drift apart; it is the only private ``byteit`` module the
server imports, and ``tests/unit/test_contract.py`` checks it against
``openapi/byteit.yaml`` and enforces that boundary.

- Document types: the ones the service accepts, the content type each is
  uploaded as, and the extension aliases that name them (`normalize_type`);
  how an uploaded part's type is read from its Content-Type or its file name
  (`upload_type`).
- Output formats: every format a result downloads in, its content type, and
  the subset a job can be created with.
- Upload limits of one creation request (`UPLOAD_LIMITS`).
- The name a result gets in a folder or under an S3 prefix (`result_name`).
- Which hosts are loopback (`is_loopback`): plain http, and the server's
  development key, are allowed only there.

It imports nothing but the standard library. Importing it still runs
``byteit/__init__``, which loads the whole client, so the server's worker
processes import it only inside the functions that need it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Final, Literal, get_args

__all__ = [
    "CREATION_FORMATS",
    "DOCUMENT_TYPES",
    "MEGABYTE",
    "OUTPUT_FORMATS",
    "RESULT_CONTENT_TYPES",
    "TYPE_ALIASES",
    "UPLOAD_LIMITS",
    "OutputFormat",
    "UploadLimits",
    "is_loopback",
    "normalize_type",
    "result_name",
    "upload_type",
]

# The accepted types, in the order the server's messages list them, each with
# the content type its upload is sent as.
DOCUMENT_TYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls": "application/vnd.ms-excel",
        "txt": "text/plain",
        "md": "text/markdown",
        "html": "text/html",
        "json": "application/json",
        "xml": "application/xml",
        "jpeg": "image/jpeg",
        "jpg": "image/jpeg",
        "png": "image/png",
        "tiff": "image/tiff",
        "bmp": "image/bmp",
    }
)

# Other spellings of a type's extension. One table for both sides: whatever the
# client lets through before an upload, the server must not refuse after it.
TYPE_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {"htm": "html", "tif": "tiff", "markdown": "md", "text": "txt"}
)

OutputFormat = Literal["txt", "md", "json", "html", "zip"]
"""A result format; ``zip`` holds one xlsx workbook per table found."""

OUTPUT_FORMATS: Final[tuple[OutputFormat, ...]] = get_args(OutputFormat)

# The format named at creation (older servers read it there; newer ones take it
# at download) is never zip: zip is asked for at download only.
CREATION_FORMATS: Final[tuple[OutputFormat, ...]] = tuple(f for f in OUTPUT_FORMATS if f != "zip")

# What a result is served (and written to S3) as.
RESULT_CONTENT_TYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "txt": "text/plain",
        "md": "text/markdown",
        "json": "application/json",
        "html": "text/html",
        "zip": "application/zip",
    }
)

MEGABYTE: Final = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """How much one creation request may upload: files (as repeated ``files``
    parts), bytes a file, and bytes in all. The defaults are the service's."""

    max_files: int = 25
    max_file_bytes: int = 200 * MEGABYTE
    max_request_bytes: int = 250 * MEGABYTE


UPLOAD_LIMITS: Final = UploadLimits()


def normalize_type(file_type: str) -> str:
    """The service's name for a type or extension (``".PDF"`` → ``"pdf"``, ``"htm"`` → ``"html"``).

    Raises:
        ValueError: The service does not accept this type; the message names it
            and lists the accepted ones.
    """
    name = file_type.strip().lower().lstrip(".")
    name = TYPE_ALIASES.get(name, name)
    if name not in DOCUMENT_TYPES:
        accepted = ", ".join(sorted(DOCUMENT_TYPES))
        shown = file_type or "(no extension)"
        raise ValueError(f"unsupported document type {shown!r}; ByteIT accepts: {accepted}")
    return name


def upload_type(filename: str, content_type: str | None) -> str | None:
    """The document type of an uploaded part, or None when nothing names an accepted one.

    The part's ``Content-Type`` decides when it is one a document type is uploaded
    as (`DOCUMENT_TYPES`), so that a type given by the user travels with a file
    whose name does not say it (``document.xyz`` sent as ``application/pdf``); else
    the filename's extension does. When both name types uploaded as the same
    content type, the extension's spelling is kept (``a.jpg`` sent as
    ``image/jpeg`` is ``jpg``). Content-Type parameters and case are ignored.

    Example:
        >>> upload_type("document.xyz", "application/pdf")
        'pdf'
    """
    by_name = _type_of_name(filename)
    media = (content_type or "").partition(";")[0].strip().lower()
    by_content = next((kind for kind, sent_as in DOCUMENT_TYPES.items() if sent_as == media), None)
    if by_content is None or (by_name and DOCUMENT_TYPES[by_name] == media):
        return by_name
    return by_content


def _type_of_name(filename: str) -> str | None:
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix
    try:
        return normalize_type(suffix) if suffix else None
    except ValueError:
        return None


def result_name(original_filename: str | None, job_id: str, output_format: str) -> str:
    """``<original name>.<format>`` (``report.pdf.md``: keeping the original extension
    means ``report.pdf`` and ``report.docx`` never overwrite each other), made safe
    for a file system or an S3 key; ``<job id>.<format>`` when there is no name."""
    name = PurePosixPath(original_filename or "").name
    safe = "".join(c if c.isalnum() or c in "-_. " else "_" for c in name).strip(" .")
    return f"{safe or job_id}.{output_format}"


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
