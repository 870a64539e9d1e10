"""DOCX text and Markdown with python-docx, paragraphs and tables in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from .errors import ExtractionError, failure_detail
from .markdown import escape_markdown
from .model import Extraction, ExtractionRequest, Page, Table
from .tables import markdown_table, tab_separated, tidy_rows
from .zipfiles import is_ole_compound_file, protected_or_legacy_office


def extract_docx(path: Path, request: ExtractionRequest) -> Extraction:
    """Extract a DOCX as one page: text, Markdown (headings, lists, tables) and tables.

    Raises:
        ExtractionError: the file is not a readable DOCX.
    """
    document = _open(path)
    page, tables = _read_body(document)
    title = (document.core_properties.title or "").strip() or None
    doc_language = (document.core_properties.language or "").strip() or request.language
    return Extraction(pages=[page], page_count=1, tables=tables, language=doc_language, title=title)


def _read_body(document: Document) -> tuple[Page, list[Table]]:
    text_blocks: list[str] = []
    markdown_blocks: list[str] = []
    tables: list[Table] = []
    # Body order interleaves paragraphs and tables, as the reader sees them.
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                text_blocks.append(block.text)
                markdown_blocks.append(_paragraph_markdown(block))
        elif rows := _table_rows(block):
            tables.append(Table(1, rows))
            text_blocks.append(tab_separated(rows))
            markdown_blocks.append(markdown_table(rows))
    return Page(1, "\n\n".join(text_blocks), "\n\n".join(markdown_blocks)), tables


def _open(path: Path) -> Document:
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        if is_ole_compound_file(path):
            raise ExtractionError(protected_or_legacy_office("docx")) from exc
        raise ExtractionError(
            "the file is not a valid DOCX (zip container unreadable): check that it opens "
            "in Word or LibreOffice, save it again as .docx and upload it again"
        ) from exc
    except (KeyError, ValueError, OSError) as exc:
        raise ExtractionError(
            f"the DOCX is damaged ({failure_detail(exc, path)}): open it in Word or "
            "LibreOffice, save it again as .docx and upload it again"
        ) from exc


def _paragraph_markdown(paragraph: Paragraph) -> str:
    style = (paragraph.style.name if paragraph.style is not None else None) or ""
    text = escape_markdown(paragraph.text.strip())
    if style == "Title":
        return f"# {text}"
    if style.startswith("Heading "):
        level = style.removeprefix("Heading ").strip()
        if level.isdigit():
            return "#" * min(int(level), 6) + " " + text
    if style.startswith("List Number"):
        return f"1. {text}"
    if style.startswith("List"):
        return f"- {text}"
    return text


def _table_rows(table: DocxTable) -> list[list[str]]:
    # Merged cells are reported once per grid position, so a merged header
    # repeats its text across the columns it spans: that keeps rows rectangular.
    return tidy_rows([cell.text for cell in row.cells] for row in table.rows)
