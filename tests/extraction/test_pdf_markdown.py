"""PDF pages as Markdown: headings from font size, bulleted and numbered lists, escaped text."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from byteit_server.extraction import extract_document, render_result

BODY = [
    "Quarterly report for the board.",
    "# not a heading",
    "\u2022 First point",
    "\u2022 Second point",
    "1. Step one",
    "2. Step two",
    "Closing words.",
]


def _structured_pdf(path: Path) -> None:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont("Helvetica-Bold", 24)
    canvas.drawString(72, 720, "Annual Summary")
    canvas.setFont("Helvetica", 11)
    for index, line in enumerate(BODY):
        canvas.drawString(72, 680 - 16 * index, line)
    canvas.showPage()
    canvas.save()
    path.write_bytes(out.getvalue())


def _markdown(tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    _structured_pdf(path)
    return render_result(extract_document(path, "pdf"), "md", filename=path.name).decode()


def test_large_text_becomes_a_heading(tmp_path: Path) -> None:
    assert _markdown(tmp_path).startswith("# Annual Summary\n\nQuarterly report for the board.")


def test_bullets_and_numbers_become_lists(tmp_path: Path) -> None:
    markdown = _markdown(tmp_path)

    assert "\n\n- First point\n- Second point\n1. Step one\n2. Step two\n\nClosing words." in (
        markdown
    )


def test_body_text_that_looks_like_markdown_stays_text(tmp_path: Path) -> None:
    assert "\n\\# not a heading\n" in _markdown(tmp_path)


def test_plain_text_keeps_the_words_without_markup(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    _structured_pdf(path)

    text = extract_document(path, "pdf").pages[0].text

    assert text.splitlines()[:4] == ["Annual Summary", *BODY[:3]]
