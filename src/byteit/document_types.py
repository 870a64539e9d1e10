"""The document types the service accepts, and how a file's type is decided."""

from __future__ import annotations

__all__ = ["CONTENT_TYPES", "SUPPORTED_TYPES", "normalize_type"]

CONTENT_TYPES: dict[str, str] = {
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
SUPPORTED_TYPES = frozenset(CONTENT_TYPES)
_ALIASES = {"htm": "html", "tif": "tiff", "markdown": "md", "text": "txt"}


def normalize_type(file_type: str) -> str:
    """The service's name for `file_type` (``".PDF"`` → ``"pdf"``, ``"htm"`` → ``"html"``).

    Raises:
        ValueError: The service does not accept this type.
    """
    name = file_type.strip().lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in SUPPORTED_TYPES:
        accepted = ", ".join(sorted(SUPPORTED_TYPES))
        shown = file_type or "(no extension)"
        raise ValueError(f"unsupported document type {shown!r}; ByteIT accepts: {accepted}")
    return name
