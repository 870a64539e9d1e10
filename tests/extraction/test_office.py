"""PPTX (read from the zip's XML) and XLSX (openpyxl); XLS is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from byteit_server.extraction import (
    ExtractionError,
    Table,
    UnsupportedFormatError,
    extract_document,
)

from .documents import write_pptx


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "deck.pptx"
    write_pptx(
        path,
        [["Welcome", "Agenda for today"], ["Results"], ["Numbers"]],
        table=[["Region", "Sales"], ["North", "12"]],
    )
    return path


def test_pptx_gives_one_page_per_slide_in_presentation_order(deck: Path) -> None:
    extraction = extract_document(deck, "pptx")

    assert extraction.page_count == 3
    assert [page.text.splitlines()[0] for page in extraction.pages] == [
        "Welcome",
        "Results",
        "Numbers",
    ]
    assert extraction.pages[0].text == "Welcome\nAgenda for today"
    assert extraction.title == "Deck title"


def test_pptx_tables_are_reported_once(deck: Path) -> None:
    extraction = extract_document(deck, "pptx")

    assert extraction.tables == [Table(3, [["Region", "Sales"], ["North", "12"]])]
    assert extraction.pages[2].text == "Numbers\n\nRegion\tSales\nNorth\t12"


def test_pptx_page_range(deck: Path) -> None:
    extraction = extract_document(deck, "pptx", page_range="2")

    assert [page.text for page in extraction.pages] == ["Results"]


def test_corrupt_pptx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pptx"
    path.write_bytes(b"PK\x03\x04 but not really")

    with pytest.raises(ExtractionError, match="not a valid PPTX"):
        extract_document(path, "pptx")


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Prices"
    sheet.append(["Item", "Price"])
    sheet.append(["Widget", 10.5])
    sheet.append(["Total", "=SUM(B2:B2)"])
    empty = book.create_sheet("Empty")
    assert empty.max_row == 1
    other = book.create_sheet("Notes")
    other["A1"] = "remember"
    book.properties.title = "Price book"
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def test_xlsx_gives_one_page_and_one_table_per_sheet(workbook: Path) -> None:
    extraction = extract_document(workbook, "xlsx")

    assert extraction.page_count == 3
    assert extraction.pages[0].text.startswith("Prices\n\nItem\tPrice\nWidget\t10.5")
    assert extraction.pages[1].text == "Empty"
    assert [(t.page_number, t.rows[0]) for t in extraction.tables] == [
        (1, ["Item", "Price"]),
        (3, ["remember"]),
    ]
    assert extraction.title == "Price book"


def test_xlsx_markdown_has_sheet_heading_and_table(workbook: Path) -> None:
    markdown = extract_document(workbook, "xlsx", page_range="1").pages[0].markdown

    assert markdown is not None
    assert markdown.startswith("## Prices\n\n| Item | Price |\n| --- | --- |\n| Widget | 10.5 |")


def test_corrupt_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"nope")

    with pytest.raises(ExtractionError, match="not a valid XLSX"):
        extract_document(path, "xlsx")


def test_xls_is_refused_with_advice_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")

    with pytest.raises(UnsupportedFormatError, match=r"save it as \.xlsx"):
        extract_document(path, "xls")


def test_xlsx_saved_with_an_xls_name_is_read(tmp_path: Path, workbook: Path) -> None:
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(workbook.read_bytes())

    assert extract_document(renamed, "xls").page_count == 3


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_password_protected_office_file_gets_specific_advice(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"locked.{kind}"
    # Encrypted OOXML is wrapped in an OLE compound file, recognisable by its signature.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)

    with pytest.raises(ExtractionError, match=f"password-protected .* save it as \\.{kind}"):
        extract_document(path, kind)


def test_pptx_slide_targets_may_start_at_the_package_root(tmp_path: Path) -> None:
    path = tmp_path / "absolute.pptx"
    write_pptx(path, [["Only slide"]])
    _make_slide_targets_absolute(path)

    assert extract_document(path, "pptx").pages[0].text == "Only slide"


def _make_slide_targets_absolute(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    rels = "ppt/_rels/presentation.xml.rels"
    parts[rels] = parts[rels].replace(b'Target="slides/', b'Target="/ppt/slides/')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
