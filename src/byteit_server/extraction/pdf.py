"""PDF text, page by page, with pypdfium2 (PDFium: fast, permissive licence, wheels on pip).

PDFium decrypts RC4 and AES itself and tries the empty user password, so a PDF
that only restricts printing or copying opens; only a real password stops us.
A page without a text layer but with images (a scan) is rendered at 300 dpi and
read with the server's OCR (:mod:`.ocr`); a blank page stays empty. Ruled
tables come from :mod:`.pdf_tables`; headings and lists in the Markdown from
:mod:`.pdf_markdown`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import ExtractionError, failure_detail
from .model import Extraction, ExtractionRequest, Page, Table
from .ocr import OcrEngine, find_engine, model_name
from .page_range import select_pages
from .pdf_markdown import page_markdown
from .pdf_tables import find_tables
from .tables import markdown_table

logger = logging.getLogger(__name__)

# Tesseract reads body text best at about 300 dpi; PDF user space is 72 units per inch.
_OCR_SCALE = 300 / 72


def extract_pdf(path: Path, request: ExtractionRequest) -> Extraction:
    """Extract the text of the selected pages of a PDF.

    Raises:
        ExtractionError: the PDF is corrupt, password-protected, or the range selects no page.
    """
    with _open(path) as document:
        try:
            page_count = len(document)
            numbers = select_pages(request.page_range, page_count)
            scans = _ScanReader(request)
            read = [_read_page(document, number, scans) for number in numbers]
            pages = [page for page, _ in read]
            _log_pages_without_text(pages)
            tables = [table for _, page_tables in read for table in page_tables]
            title = _title(document)
        except ExtractionError:
            raise
        except pdfium.PdfiumError as exc:
            raise _corrupt(exc, path) from exc
    return Extraction(
        pages=pages, page_count=page_count, tables=tables, language=request.language, title=title
    )


@contextmanager
def _open(path: Path) -> Iterator[pdfium.PdfDocument]:
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise _encrypted() from exc
        raise _corrupt(exc, path) from exc
    try:
        yield document
    finally:
        document.close()


class _ScanReader:
    """OCR for the pages without a text layer; finds its engine on the first such page."""

    def __init__(self, request: ExtractionRequest) -> None:
        self._request = request
        self._models = "+".join(dict.fromkeys(map(model_name, request.languages))) or "eng"
        self._engine: OcrEngine | None = None

    def read(self, page: pdfium.PdfPage) -> str:
        if self._engine is None:
            self._engine = find_engine(self._request.ocr_engine, self._models.split("+"))
        image = page.render(scale=_OCR_SCALE, grayscale=True).to_pil().convert("L")
        return self._engine.read(image, self._models)


def _read_page(
    document: pdfium.PdfDocument, number: int, scans: _ScanReader
) -> tuple[Page, list[Table]]:
    page = document[number - 1]
    text_page = page.get_textpage()
    try:
        text = str(text_page.get_text_bounded())
        found = find_tables(page, text_page, number)
        tables = [placed.table for placed in found]
        markdown: str | None = page_markdown(
            text_page, [(placed.box, markdown_table(placed.table.rows)) for placed in found]
        )
        if not text.strip() and _has_images(page):
            text, markdown = scans.read(page), None  # the renderer escapes OCR text
    finally:
        text_page.close()
        page.close()
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return Page(number, text, markdown), tables


def _has_images(page: pdfium.PdfPage) -> bool:
    images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
    return next(images, None) is not None


def _log_pages_without_text(pages: list[Page]) -> None:
    # One line per document, however many pages are scans.
    empty = [page.page_number for page in pages if not page.text.strip()]
    if empty:
        logger.info("PDF pages %s have no text, not even by OCR", empty)


def _title(document: pdfium.PdfDocument) -> str | None:
    title = document.get_metadata_value("Title")
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
