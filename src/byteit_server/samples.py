"""Realistic sample documents for trying the server and for tests.

``make_samples(directory)`` writes a 3-page invoice PDF (labelled fields, then
a ruled table of line items), a DOCX report with a
heading and a table, an HTML page with a table, a PNG of clear printed text,
a .txt and a .md file. Output is byte-for-byte reproducible.

Run ``python -m byteit_server.samples OUT_DIR`` to write them from a shell.
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

import docx
from docx.document import Document
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]  # no type hints
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]  # no type hints

from byteit_server.extraction.zipfiles import rezip

INVOICE_LINES = (
    ("Invoice number", "INV-2024-0042"),
    ("Invoice date", "2024-03-15"),
    ("Vendor", "Northwind Supplies GmbH"),
    ("Vendor address", "Hauptstrasse 5, 10115 Berlin"),
    ("Customer", "Acme Widgets Ltd"),
    ("Total amount", "1,234.50 EUR"),
)
# The invoice's line items: a header row, then items whose amounts add up to the total.
INVOICE_ITEMS = (
    ("Description", "Quantity", "Unit price", "Amount"),
    ("Widget", "30", "25.00", "750.00"),
    ("Gadget", "10", "45.50", "455.00"),
    ("Shipping", "1", "29.50", "29.50"),
)
IMAGE_TEXT = ("Invoice number: 12345", "Total due: 99.00 EUR")
TABLE_ROWS = (
    ("Item", "Quantity", "Price"),
    ("Widget", "3", "10.00"),
    ("Gadget", "1", "25.50"),
)
_FIXED_DATE = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
# Fonts that render crisply enough for tesseract; Pillow's own font is the fallback.
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def make_samples(directory: Path) -> list[Path]:
    """Write the sample documents into ``directory`` (created if missing).

    Returns:
        The paths written, in a fixed order: pdf, docx, html, png, txt, md.

    Example:
        >>> [p.name for p in make_samples(Path("samples"))][0]
        'invoice.pdf'
    """
    directory.mkdir(parents=True, exist_ok=True)
    contents = {
        "invoice.pdf": invoice_pdf(),
        "report.docx": report_docx(),
        "prices.html": prices_html().encode("utf-8"),
        "scan.png": scan_png(),
        "notes.txt": notes_txt().encode("utf-8"),
        "readme.md": readme_md().encode("utf-8"),
    }
    paths = []
    for name, data in contents.items():
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def invoice_pdf() -> bytes:
    """A 3-page invoice: page 1 has ``label: value`` lines, page 2 a ruled table of
    line items (:data:`INVOICE_ITEMS`), page 3 the terms."""
    out = io.BytesIO()
    # invariant=1 pins the creation date and document id, making output reproducible.
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle("Invoice INV-2024-0042")
    _draw_lines(canvas, ["INVOICE", *(f"{label}: {value}" for label, value in INVOICE_LINES)])
    canvas.showPage()
    _draw_table(canvas, _draw_lines(canvas, ["Items"]), INVOICE_ITEMS)
    canvas.showPage()
    _draw_lines(canvas, ["Terms", "Payment due within 30 days.", "Thank you for your business."])
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_lines(canvas: Canvas, lines: list[str]) -> float:
    """Draw ``lines`` from the top of the page; return the height below the last one."""
    canvas.setFont("Helvetica", 14)
    y: float = A4[1] - 72
    for line in lines:
        canvas.drawString(72, y, line)
        y -= 24
    return y


def _draw_table(canvas: Canvas, top: float, rows: tuple[tuple[str, ...], ...]) -> None:
    """Draw ``rows`` in a grid of ruled cells, the first row as the header."""
    widths, height, left = (180.0, 90.0, 100.0, 100.0), 24.0, 72.0
    edges = [left + sum(widths[:i]) for i in range(len(widths) + 1)]
    canvas.setFont("Helvetica", 12)
    canvas.setLineWidth(0.8)
    for index, row in enumerate(rows):
        y = top - index * height
        for x, cell in zip(edges, row, strict=False):
            canvas.drawString(x + 6, y - height + 8, cell)
    bottom = top - len(rows) * height
    for index in range(len(rows) + 1):
        canvas.line(edges[0], top - index * height, edges[-1], top - index * height)
    for x in edges:
        canvas.line(x, top, x, bottom)


def report_docx() -> bytes:
    """A DOCX with a title heading, paragraphs, a sub-heading and a 3x3 table."""
    document = docx.Document()
    document.add_heading("Quarterly Report", level=1)
    document.add_paragraph("Sales grew in every region this quarter.")
    document.add_heading("Orders", level=2)
    table = document.add_table(rows=0, cols=3)
    for row in TABLE_ROWS:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph("Figures are unaudited.")
    return _save_docx(document)


def _save_docx(document: Document) -> bytes:
    properties = document.core_properties
    properties.title = "Quarterly Report"
    properties.created = properties.modified = properties.last_printed = _FIXED_DATE
    out = io.BytesIO()
    document.save(out)
    return rezip(out.getvalue())  # python-docx stamps zip members with the current time


def prices_html() -> str:
    """A small HTML page with a title, a heading, a paragraph and a price table."""
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in TABLE_ROWS[1:]
    )
    header = "".join(f"<th>{cell}</th>" for cell in TABLE_ROWS[0])
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>Price list</title><style>td { padding: 4px }</style></head>\n<body>\n"
        "<h1>Price list</h1>\n<p>Prices in <b>EUR</b>, valid from 2024-01-01.</p>\n"
        f"<table>\n<tr>{header}</tr>\n{rows}\n</table>\n"
        "<script>console.log('not text')</script>\n</body>\n</html>\n"
    )


def scan_png() -> bytes:
    """A white PNG with large black printed text that tesseract reads reliably."""
    font = printing_font(48)
    image = Image.new("L", (1000, 100 + 80 * len(IMAGE_TEXT)), color=255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(IMAGE_TEXT):
        draw.text((50, 50 + 80 * index), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def printing_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A plain sans-serif font at ``size`` pixels: DejaVu Sans or Arial, else Pillow's own."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def notes_txt() -> str:
    """Plain-text meeting notes with ``label: value`` lines and a non-ASCII name."""
    return "Meeting notes\n\nDate: 2024-02-01\nAttendees: Zoë, Björn, Amélie\nNext step: ship it\n"


def readme_md() -> str:
    """A Markdown file with headings, a list and a table."""
    table = "\n".join("| " + " | ".join(row) + " |" for row in TABLE_ROWS)
    table = table.replace("\n", "\n| --- | --- | --- |\n", 1)
    return f"# Product Guide\n\n## Setup\n\n- Unpack the box\n- Plug it in\n\n{table}\n"


def main(argv: list[str] | None = None) -> int:
    """Write the samples into the folder named on the command line; return an exit code."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m byteit_server.samples OUT_DIR", file=sys.stderr)
        return 2
    for path in make_samples(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
