"""The zip output format: one reproducible .xlsx workbook per table."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped]  # openpyxl ships no type hints
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from .model import Table
from .zipfiles import ReproducibleZipFile, rezip

# Fixed workbook dates, so the same table always gives the same bytes.
_FIXED_TIMESTAMP = datetime.datetime(2000, 1, 1)
# Excel refuses longer cell text.
_MAX_CELL_CHARS = 32_767


def table_workbook_name(index: int, table: Table) -> str:
    """Name of the workbook for the ``index``-th table (1-based) in the zip."""
    return f"table_{index}_page_{table.page_number}.xlsx"


def tables_zip(tables: Sequence[Table], out: IO[bytes]) -> None:
    """Write a zip holding one single-sheet .xlsx per table to ``out``."""
    with ReproducibleZipFile(out, "w") as archive:
        for index, table in enumerate(tables, start=1):
            archive.writestr(table_workbook_name(index, table), table_xlsx(table))


def table_xlsx(table: Table) -> bytes:
    """Return the bytes of an .xlsx workbook holding ``table`` on one sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Page {table.page_number}"
    for row_number, row in enumerate(table.rows, start=1):
        for column_number, value in enumerate(row, start=1):
            _write_text(sheet.cell(row=row_number, column=column_number), value)
    return _save(workbook)


def _write_text(cell: Any, value: str) -> None:
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_CELL_CHARS]
    # openpyxl treats text starting with "=" as a formula; extracted text must
    # stay text, or a document could plant formulas in the user's spreadsheet.
    cell.data_type = "s"


def _save(workbook: Any) -> bytes:
    # save_workbook() stamps the current time into the workbook; ExcelWriter
    # does not, and rezip() then pins the zip member timestamps.
    workbook.properties.created = _FIXED_TIMESTAMP
    workbook.properties.modified = _FIXED_TIMESTAMP
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return rezip(buffer.getvalue())
