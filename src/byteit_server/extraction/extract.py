"""The entry point: pick the reader for a document type and run it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import ExtractionError, UnsupportedFormatError, failure_detail
from .image import extract_image
from .model import Extraction, ExtractionRequest
from .ocr import ENGINE_CHOICES
from .page_range import parse_page_range
from .pdf import extract_pdf
from .plaintext import extract_text
from .powerpoint import extract_pptx
from .spreadsheet import extract_xls, extract_xlsx
from .webpage import extract_html
from .word import extract_docx

logger = logging.getLogger(__name__)

_Reader = Callable[[Path, ExtractionRequest], Extraction]

# One reader for each of the wire contract's document types (a test checks they
# match); other spellings (``htm``, ``.TIF``) reach them through the contract.
_READERS: dict[str, _Reader] = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "pptx": extract_pptx,
    "xlsx": extract_xlsx,
    "xls": extract_xls,
    "html": extract_html,
    **dict.fromkeys(("txt", "md", "json", "xml"), extract_text),
    **dict.fromkeys(("png", "jpg", "jpeg", "tiff", "bmp"), extract_image),
}

SUPPORTED_TYPES: frozenset[str] = frozenset(_READERS)


def extract_document(
    path: Path,
    document_type: str,
    *,
    page_range: str | None = None,
    languages: Sequence[str] = ("en",),
    ocr_engine: str = "auto",
) -> Extraction:
    """Extract the text, tables and facts of a document.

    Args:
        path: the document on disk.
        document_type: its type as a file extension (``pdf``, ``.PDF``, ``docx``...).
        page_range: ``"1-5"`` or ``"1,3,5-10"``; None or blank means all pages.
            Applies to paged types (PDF pages, PPTX slides, XLSX sheets, image
            frames); one-page types (DOCX, HTML, text) ignore it.
        languages: API language codes (``en``, ``de``) for OCR; the first is
            reported as the document language when the file names none.
        ocr_engine: ``tesserocr``, ``tesseract`` (the system binary) or ``auto``:
            the binary when it is on PATH and has the languages, else tesserocr
            (see :mod:`.ocr`).

    Returns:
        The extraction; ``page_count`` counts all pages, ``pages`` the selected ones.

    Raises:
        UnsupportedFormatError: the document type is not supported (or is XLS).
        ExtractionError: the file is corrupt, encrypted or unreadable, the page
            range is invalid, or OCR is needed and no engine or requested
            language is installed.
        ValueError: ``ocr_engine`` is not one of the engine choices.

    Example:
        >>> extract_document(Path("invoice.pdf"), "pdf", page_range="1").pages[0].text
        'Invoice number: 123 ...'
    """
    if ocr_engine not in ENGINE_CHOICES:
        raise ValueError(
            f"ocr_engine must be one of {', '.join(ENGINE_CHOICES)}, not {ocr_engine!r}"
        )
    kind = _reader_name(document_type)
    reader = _READERS.get(kind)
    if reader is None:
        raise UnsupportedFormatError(
            f"document type {document_type!r} is not supported: use one of "
            + ", ".join(sorted(SUPPORTED_TYPES))
        )
    try:
        parse_page_range(page_range)
    except ValueError as exc:
        raise ExtractionError(str(exc)) from exc
    request = ExtractionRequest(kind, page_range, tuple(languages), ocr_engine)
    try:
        return reader(path, request)
    except ExtractionError:
        raise
    except Exception as exc:
        # Parsers meet hostile input in endless ways; whatever slipped past a
        # reader's own checks still fails the job with a readable message, and
        # the traceback goes to the log for whoever maintains the server.
        logger.exception("unexpected failure reading a %s file", kind)
        raise ExtractionError(
            f"the {kind.upper()} file could not be read ({failure_detail(exc, path)}): check "
            "that it opens in its usual application, save it again and upload it again"
        ) from exc


def _reader_name(document_type: str) -> str:
    kind = document_type.lower().lstrip(".")
    if kind in _READERS:
        return kind
    # Only another spelling (``htm``, ``.TIF``) gets here: the server passes the
    # contract's own names, so its worker processes never load the client package
    # (see byteit_server.engine).
    from byteit._contract import normalize_type  # noqa: PLC0415 (not in workers)

    try:
        return normalize_type(document_type)
    except ValueError:
        return kind
