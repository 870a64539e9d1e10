"""render_result: the txt, md, html, json and zip downloads."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl  # type: ignore[import-untyped]
import pytest

from byteit._contract import OUTPUT_FORMATS
from byteit_server.extraction import (
    Extraction,
    Page,
    Table,
    UnsupportedFormatError,
    extract_document,
    render_result,
)

TWO_PAGES = Extraction(
    pages=[Page(1, "First <page> & co\n\nSecond para"), Page(2, "Page two\nline two")],
    tables=[Table(2, [["Name", "Qty|pipe"], ["=1+1", "3"]])],
    page_count=2,
    language="en",
    title="Tests & more",
)


def test_txt_joins_pages_with_a_blank_line_and_ends_with_newline() -> None:
    assert render_result(TWO_PAGES, "txt", filename="a.pdf") == (
        b"First <page> & co\n\nSecond para\n\nPage two\nline two\n"
    )


def test_md_marks_pages_and_renders_tables_of_pages_without_markdown() -> None:
    markdown = render_result(TWO_PAGES, "md", filename="a.pdf").decode()

    assert markdown.startswith("<!-- page 1 -->\n\nFirst &lt;page> & co")
    assert (
        "<!-- page 2 -->\n\nPage two\nline two\n\n| Name | Qty\\|pipe |\n| --- | --- |" in markdown
    )


def test_md_prefers_the_readers_markdown(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["report.docx"], "docx")

    markdown = render_result(extraction, "md", filename="report.docx").decode()

    assert markdown == f"{extraction.pages[0].markdown}\n"
    assert markdown.count("| Widget | 3 | 10.00 |") == 1


def test_html_is_well_formed_and_escapes_text() -> None:
    document = render_result(TWO_PAGES, "html", filename="a.pdf").decode()

    root = ElementTree.fromstring(document.removeprefix("<!DOCTYPE html>\n"))
    sections = root.findall("body/section")
    assert [s.get("data-page") for s in sections] == ["1", "2"]
    assert sections[0].findtext("p") == "First <page> & co"
    assert root.findtext("head/title") == "Tests & more"
    assert [td.text for td in sections[1].iter("td")] == ["Name", "Qty|pipe", "=1+1", "3"]


def test_html_puts_tables_where_the_reader_found_them(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["report.docx"], "docx")

    document = render_result(extraction, "html", filename="report.docx").decode()

    root = ElementTree.fromstring(document.removeprefix("<!DOCTYPE html>\n"))
    section = root.find("body/section")
    assert section is not None
    assert [child.tag for child in section] == ["p", "p", "p", "table", "p"]
    assert "Widget\t3" not in document


def test_json_has_document_facts_pages_and_tables() -> None:
    payload = json.loads(render_result(TWO_PAGES, "json", filename="ä.pdf"))

    assert payload["document"] == {
        "filename": "ä.pdf",
        "page_count": 2,
        "language": "en",
        "encoding": None,
        "title": "Tests & more",
    }
    assert payload["pages"][1] == {"page_number": 2, "text": "Page two\nline two"}
    assert payload["tables"] == [{"page_number": 2, "rows": [["Name", "Qty|pipe"], ["=1+1", "3"]]}]


def test_zip_holds_one_openable_xlsx_per_table_with_text_cells() -> None:
    extraction = Extraction(
        pages=[Page(1, "a"), Page(3, "b")],
        tables=[Table(1, [["a", "b"]]), Table(3, [["x\x01y"], ["=SUM(A1)"]])],
        page_count=3,
    )

    archive = zipfile.ZipFile(io.BytesIO(render_result(extraction, "zip", filename="a.pdf")))

    assert archive.namelist() == ["table_1_page_1.xlsx", "table_2_page_3.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("table_2_page_3.xlsx"))).active
    assert list(sheet.iter_rows(values_only=True)) == [("xy",), ("=SUM(A1)",)]
    assert sheet["A2"].data_type == "s"


def test_zip_is_reproducible() -> None:
    first = render_result(TWO_PAGES, "zip", filename="a.pdf")

    assert render_result(TWO_PAGES, "zip", filename="a.pdf") == first


def test_zip_without_tables_is_unsupported() -> None:
    extraction = Extraction(pages=[Page(1, "no tables")], page_count=1)

    with pytest.raises(UnsupportedFormatError, match="no table was found in this document"):
        render_result(extraction, "zip", filename="a.txt")


@pytest.mark.parametrize("output_format", OUTPUT_FORMATS)
def test_every_output_format_of_the_contract_renders(output_format: str) -> None:
    assert render_result(TWO_PAGES, output_format, filename="a.pdf")


def test_unknown_output_format_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError, match="choose one of txt, md, html, json, zip"):
        render_result(TWO_PAGES, "docx", filename="a.pdf")
