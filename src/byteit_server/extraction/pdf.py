"""PDF text, page by page, with pypdf (pure Python, no system libraries).

Pages without a text layer (scans) come back with empty text: pypdf cannot
render a page to an image, so there is nothing to hand to OCR.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from .errors import ExtractionError, failure_detail
from .model import Extraction, ExtractionRequest, Page
from .page_range import select_pages

logger = logging.getLogger(__name__)


def extract_pdf(path: Path, request: ExtractionRequest) -> Extraction:
    """Extract the text of the selected pages of a PDF.

    Raises:
        ExtractionError: the PDF is corrupt, password-protected, or the range selects no page.
    """
    reader = _open(path)
    try:
        page_count = len(reader.pages)
        pages = [
            Page(number, _page_text(reader, number))
            for number in select_pages(request.page_range, page_count)
        ]
        title = _title(reader)
    except ExtractionError:
        raise
    except Exception as exc:
        # pypdf signals malformed input with many exception types (KeyError,
        # ValueError, struct errors...); all mean the same thing to the user.
        raise _corrupt(exc, path) from exc
    return Extraction(pages=pages, page_count=page_count, language=request.language, title=title)


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise _corrupt(exc, path) from exc
    if reader.is_encrypted:
        _decrypt(reader)
    return reader


def _decrypt(reader: PdfReader) -> None:
    # Many "encrypted" PDFs only restrict printing or copying and open with an
    # empty user password; only a real password stops us.
    try:
        result = reader.decrypt("")
    except (FileNotDecryptedError, NotImplementedError, PdfReadError) as exc:
        raise _encrypted() from exc
    except ImportError as exc:  # AES needs the optional cryptography package
        raise ExtractionError(
            "the PDF uses AES encryption, which needs the 'cryptography' package on the "
            "server: install it, or remove the encryption and upload the file again"
        ) from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise _encrypted()


def _page_text(reader: PdfReader, number: int) -> str:
    text = reader.pages[number - 1].extract_text() or ""
    if not text.strip():
        logger.info("PDF page %d has no text layer; it is probably a scan", number)
    return text.strip("\n")


def _title(reader: PdfReader) -> str | None:
    metadata = reader.metadata
    title = metadata.title if metadata is not None else None
    return str(title).strip() or None if title else None


def _encrypted() -> ExtractionError:
    return ExtractionError(
        "the PDF is encrypted with a password: remove the password and upload it again"
    )


def _corrupt(exc: Exception, path: Path) -> ExtractionError:
    return ExtractionError(
        f"the file is not a readable PDF ({failure_detail(exc, path)}): "
        "check that it opens in a PDF viewer, or export it again, and upload it again"
    )
