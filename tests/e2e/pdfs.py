"""PDFs the end-to-end tests send: pages with structure for every output format to keep."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

PAGES = 9


def write_pdf(path: Path, pages: int = PAGES) -> Path:
    """Pages with a heading, a paragraph and a list, so that md has structure to keep."""
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setTitle("Split test")
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 20)
        canvas.drawString(72, 740, f"Chapter {number}")
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 700, f"Body text of page {number}, with café and 50% off.")
        canvas.drawString(72, 680, f"- first point of page {number}")
        canvas.drawString(72, 665, f"- second point of page {number}")
        canvas.showPage()
    canvas.save()
    path.write_bytes(out.getvalue())
    return path
