"""Text extraction for the local ByteIT-compatible server.

``extract_document`` turns a file into an :class:`Extraction` (pages of text,
tables, document facts); ``render_result`` turns that into a download in one
of the API's output formats. Both raise :class:`ExtractionError` (or its
subclass :class:`UnsupportedFormatError`) with a message meant for the user.

Example:
    >>> extraction = extract_document(Path("report.pdf"), "pdf", page_range="1-2")
    >>> render_result(extraction, "md", filename="report.pdf")
"""

from .errors import ExtractionError, UnsupportedFormatError
from .extract import SUPPORTED_TYPES, extract_document
from .model import Extraction, Page, Table
from .page_range import parse_page_range
from .render import render_result

__all__ = [
    "SUPPORTED_TYPES",
    "Extraction",
    "ExtractionError",
    "Page",
    "Table",
    "UnsupportedFormatError",
    "extract_document",
    "parse_page_range",
    "render_result",
]
