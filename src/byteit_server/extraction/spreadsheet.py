"""XLSX with openpyxl: one page per sheet, each sheet also reported as a table.

Old binary XLS is refused with advice to convert: reading it needs xlrd,
which the server does not depend on. An .xls that is really XLSX is read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl  # type: ignore[import-untyped]  # openpyxl ships no type hints
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from .errors import ExtractionError, UnsupportedFormatError, failure_detail
from .markdown import escape_markdown_inline
from .model import Extraction, ExtractionRequest, Page, Table
from .page_range import select_pages
from .tables import markdown_table, tab_separated, tidy_rows
from .zipfiles import is_ole_compound_file, protected_or_legacy_office


def extract_xlsx(path: Path, request: ExtractionRequest) -> Extraction:
    """Extract the cell values of the selected sheets of an XLSX workbook.

    Formulas are read as their cached results (what Excel last displayed).

    Raises:
        ExtractionError: the file is not a readable XLSX, or the range selects no sheet.
    """
    # A file object, not the path: openpyxl refuses paths by their extension,
    # and the upload's name may not end in .xlsx.
    with path.open("rb") as file:
        workbook = _open(file, path)
        try:
            sheets = workbook.worksheets
            pages, tables = _read_sheets(sheets, select_pages(request.page_range, len(sheets)))
            title = (workbook.properties.title or "").strip() or None
        finally:
            workbook.close()
    return Extraction(
        pages=pages,
        page_count=len(sheets),
        tables=tables,
        language=request.language,
        title=title,
    )


def extract_xls(path: Path, request: ExtractionRequest) -> Extraction:
    """Read an .xls upload that is really an XLSX; refuse a true Excel 97-2003 file.

    Raises:
        UnsupportedFormatError: the file is in the binary Excel 97-2003 format.
    """
    # Files saved as .xlsx but renamed .xls are common; the content decides.
    if zipfile.is_zipfile(path):
        return extract_xlsx(path, request)
    raise UnsupportedFormatError(
        "XLS (Excel 97-2003) files are not supported: open the file in Excel or "
        "LibreOffice, save it as .xlsx and upload it again"
    )


def _read_sheets(sheets: list[Any], numbers: list[int]) -> tuple[list[Page], list[Table]]:
    pages: list[Page] = []
    tables: list[Table] = []
    for number in numbers:
        rows = tidy_rows(sheets[number - 1].iter_rows(values_only=True))
        pages.append(_sheet_page(number, sheets[number - 1].title, rows))
        if rows:
            tables.append(Table(number, rows))
    return pages, tables


def _open(file: BinaryIO, path: Path) -> Any:
    try:
        # read_only streams rows instead of building every cell object up front.
        return openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
    ) as exc:
        if is_ole_compound_file(path):
            raise ExtractionError(protected_or_legacy_office("xlsx")) from exc
        raise ExtractionError(
            f"the file is not a valid XLSX ({failure_detail(exc, path)}): open it in Excel "
            "or LibreOffice, save it again as .xlsx and upload it again"
        ) from exc


def _sheet_page(number: int, name: str, rows: list[list[str]]) -> Page:
    heading = f"## {escape_markdown_inline(name)}"
    markdown = "\n\n".join(part for part in (heading, markdown_table(rows)) if part)
    text = "\n\n".join(part for part in (name, tab_separated(rows)) if part)
    return Page(number, text, markdown)
