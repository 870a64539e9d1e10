"""Literal text stays literal in md output, and html output escapes it, for every input type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from byteit_server.extraction import Extraction, Page, Table, extract_document, render_result
from byteit_server.extraction.markdown import escape_markdown

from .documents import pdf_with_pages

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("# x", "\\# x"),
        ("  - item", "  \\- item"),
        ("* item", "\\* item"),
        ("+ item", "\\+ item"),
        ("12. item", "12\\. item"),
        ("3) item", "3\\) item"),
        ("> quote", "\\> quote"),
        ("| a | b |", "\\| a | b |"),
        ("---", "\\---"),
        ("a `code` b", "a \\`code\\` b"),
        (HOSTILE, "&lt;img src=x onerror=alert(1)>"),
        ("&amp; stays &amp;", "&amp;amp; stays &amp;amp;"),
    ],
)
def test_structure_characters_are_escaped(line: str, escaped: str) -> None:
    assert escape_markdown(line) == escaped


@pytest.mark.parametrize("line", ["plain text", "a < b & c", "in 1. the middle", "2024 was"])
def test_ordinary_text_is_left_alone(line: str) -> None:
    assert escape_markdown(line) == line


def _document(path: Path, kind: str, lines: list[str]) -> None:
    if kind == "docx":
        document = Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(path))
    elif kind == "pdf":
        path.write_bytes(pdf_with_pages(*lines))
    elif kind == "html":
        import html  # noqa: PLC0415

        path.write_text("".join(f"<p>{html.escape(line)}</p>" for line in lines))
    else:
        path.write_text("\n".join(lines))


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx", "html"])
def test_literal_text_never_becomes_markdown_structure_or_html(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"doc.{kind}"
    _document(path, kind, ["# not a heading", HOSTILE])

    markdown = render_result(extract_document(path, kind), "md", filename=path.name).decode()

    assert re.search(r"(?<!\\)<img", markdown) is None  # a backslash-escaped < is literal
    assert not any(line.startswith("#") for line in markdown.splitlines())


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx", "html"])
def test_html_output_escapes_literal_text(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"doc.{kind}"
    _document(path, kind, [HOSTILE])

    page = render_result(extract_document(path, kind), "html", filename=path.name).decode()

    assert "<img" not in page
    assert "&lt;img" in page


def test_table_cells_cannot_open_code_spans_or_tags() -> None:
    extraction = Extraction(pages=[Page(1, "")], page_count=1, tables=[Table(1, [["`a", HOSTILE]])])

    markdown = render_result(extraction, "md", filename="a.pdf").decode()

    assert "| \\`a | &lt;img src=x onerror=alert(1)> |" in markdown
