"""DOCX extraction with python-docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from byteit_server.extraction import ExtractionError, Table, extract_document


def test_paragraphs_and_tables_keep_document_order(samples: dict[str, Path]) -> None:
    text = extract_document(samples["report.docx"], "docx").pages[0].text

    positions = [text.index(s) for s in ("Quarterly Report", "Orders", "Widget\t3", "unaudited")]
    assert positions == sorted(positions)


def test_tables_are_reported_on_page_one(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["report.docx"], "docx")

    assert extraction.tables == [
        Table(
            1, [["Item", "Quantity", "Price"], ["Widget", "3", "10.00"], ["Gadget", "1", "25.50"]]
        )
    ]


def test_markdown_keeps_heading_levels_and_tables(samples: dict[str, Path]) -> None:
    markdown = extract_document(samples["report.docx"], "docx").pages[0].markdown

    assert markdown is not None
    assert markdown.startswith("# Quarterly Report\n")
    assert "\n## Orders\n" in markdown
    assert "| Item | Quantity | Price |\n| --- | --- | --- |\n| Widget | 3 | 10.00 |" in markdown


def test_docx_is_one_page_with_title_from_properties(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["report.docx"], "docx", page_range="1")

    assert (extraction.page_count, extraction.title) == (1, "Quarterly Report")


def test_lists_become_markdown_bullets(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("first", style="List Bullet")
    document.add_paragraph("second", style="List Number")
    path = tmp_path / "list.docx"
    document.save(str(path))

    assert extract_document(path, "docx").pages[0].markdown == "- first\n\n1. second"


def test_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a word document")

    with pytest.raises(ExtractionError, match=r"not a valid DOCX \(zip container unreadable\)"):
        extract_document(path, "docx")


def test_zip_without_word_parts_is_a_clear_error(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "empty.docx"
    path.write_bytes(buffer.getvalue())

    with pytest.raises(ExtractionError, match="DOCX"):
        extract_document(path, "docx")
