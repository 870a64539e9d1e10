"""Ruled tables in PDFs: found with their cells intact, as Markdown, JSON rows and xlsx."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import letter  # type: ignore[import-untyped]
from reportlab.lib.styles import getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph, SimpleDocTemplate  # type: ignore[import-untyped]
from reportlab.platypus import Table as PdfTable  # type: ignore[import-untyped]

from byteit_server.extraction import extract_document, render_result

ROWS = [
    ["Notice Date", "Company", "Employees"],
    ["06/22/2015", "Maxim", "0"],
    ["07/01/2015", "Acme & Co", "2,248"],
]


def _table_pdf(path: Path, *, ruled: bool = True) -> None:
    out = io.BytesIO()
    style = [("GRID", (0, 0), (-1, -1), 0.5, "black")] if ruled else []
    story = [
        Paragraph("Layoff notices", getSampleStyleSheet()["Normal"]),
        PdfTable(ROWS, style=style),
    ]
    SimpleDocTemplate(out, pagesize=letter, invariant=1).build(story)
    path.write_bytes(out.getvalue())


def test_ruled_table_is_found_with_its_cells_intact(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    _table_pdf(path)

    extraction = extract_document(path, "pdf")

    assert [table.rows for table in extraction.tables] == [ROWS]
    assert extraction.tables[0].page_number == 1


def test_table_is_a_markdown_table_and_json_rows(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    _table_pdf(path)
    extraction = extract_document(path, "pdf")

    markdown = render_result(extraction, "md", filename=path.name).decode()
    payload = json.loads(render_result(extraction, "json", filename=path.name))

    assert "| Notice Date | Company | Employees |\n| --- | --- | --- |" in markdown
    assert payload["tables"] == [{"page_number": 1, "rows": ROWS}]


def test_zip_output_holds_one_workbook_per_table(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    _table_pdf(path)

    archive = zipfile.ZipFile(
        io.BytesIO(render_result(extract_document(path, "pdf"), "zip", filename=path.name))
    )

    names = archive.namelist()
    assert len(names) == 1
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(names[0]))).active
    assert [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)] == ROWS


def test_unruled_table_is_left_as_text(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    _table_pdf(path, ruled=False)

    extraction = extract_document(path, "pdf")

    assert extraction.tables == []
    assert "2,248" in extraction.pages[0].text


def test_md_puts_the_table_in_place_of_its_text_lines(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    _table_pdf(path)

    markdown = render_result(extract_document(path, "pdf"), "md", filename=path.name).decode()

    assert markdown.startswith("Layoff notices\n\n| Notice Date | Company | Employees |")
    assert markdown.count("06/22/2015") == 1


def _segmented_grid_pdf(path: Path) -> None:
    # Drawn as the Federal Register draws its tables: each column rule in short
    # pieces, one per text line, the last only 6 points long.
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]  # noqa: PLC0415

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=letter, invariant=1)
    page.setLineWidth(0.5)
    left, right, columns = 100.0, 400.0, [100.0, 250.0, 400.0]
    top, middle, bottom = 700.0, 676.0, 630.0
    for y in (top, middle, bottom):
        page.line(left, y, right, y)
    for x in columns:
        for y0, y1 in ((676, 700), (655, 676), (636, 655), (630, 636)):
            page.line(x, y0, x, y1)
    page.drawString(105, 684, "Labor cost")
    page.drawString(255, 684, "Parts cost")
    page.drawString(105, 660, "Up to $6,715")
    page.drawString(255, 660, "$3,790")
    page.save()
    path.write_bytes(out.getvalue())


def test_rules_drawn_in_short_pieces_are_joined_into_a_table(tmp_path: Path) -> None:
    path = tmp_path / "segments.pdf"
    _segmented_grid_pdf(path)

    extraction = extract_document(path, "pdf")

    assert [table.rows for table in extraction.tables] == [
        [["Labor cost", "Parts cost"], ["Up to $6,715", "$3,790"]]
    ]
