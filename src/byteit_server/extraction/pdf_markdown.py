"""Markdown for a PDF page: headings from font size, bulleted and numbered lists.

PDFium gives each character's font size; a line set well above the page's body
size (the size of most of its text) is a heading, its level by how much larger.
A line that opens with a bullet or a number and a period is a list item. All
other text is escaped (:mod:`.markdown`), so it never turns into structure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .markdown import escape_markdown, escape_markdown_inline
from .pdf_tables import Box

# A heading is at least this much larger than the body text; "#" from the second.
_HEADING_RATIO = 1.2
_LEVELS = ((2.0, "#"), (1.5, "##"), (_HEADING_RATIO, "###"))
_MAX_HEADING_CHARS = 120
_BULLET = re.compile(r"^[•◦▪▫●○■□‣⁃∙·*\-–]\s+(?=\S)")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(?=\S)")


def page_markdown(text_page: pdfium.PdfTextPage, tables: Sequence[tuple[Box, str]] = ()) -> str:
    """The page's text as Markdown: headings, list items, escaped paragraphs, and tables.

    Args:
        text_page: the page's PDFium text.
        tables: each table's box on the page (left, bottom, right, top) and its
            Markdown; it replaces the lines of text inside its box.
    """
    lines = _sized_lines(text_page)
    body = _body_size([(text, size) for text, size, _ in lines])
    out: list[str] = []
    previous = "blank"
    placed: set[int] = set()
    for text, size, first in lines:
        table = _table_at(text_page, first, tables) if text else None
        if table in placed:
            continue  # a later line of a table already written
        if table is not None:
            placed.add(table)
            kind, markdown = "table", tables[table][1]
        else:
            kind, markdown = _line_markdown(text, size, body)
        # Headings, lists and paragraphs need a blank line between them, or a
        # paragraph line continues the list item above it.
        if kind != previous and "blank" not in (kind, previous):
            out.append("")
        out.append(markdown)
        previous = kind
    out.extend(f"\n{md}" for index, (_, md) in enumerate(tables) if index not in placed)
    return "\n".join(out).strip("\n")


def _table_at(
    text_page: pdfium.PdfTextPage, first: int, tables: Sequence[tuple[Box, str]]
) -> int | None:
    """The index of the table whose box holds the middle of character ``first``."""
    if first < 0 or not tables:
        return None
    left, bottom, right, top = text_page.get_charbox(first)
    x, y = (left + right) / 2, (bottom + top) / 2
    for index, ((x0, y0, x1, y1), _) in enumerate(tables):
        if x0 <= x <= x1 and y0 <= y <= y1:
            return index
    return None


def _sized_lines(text_page: pdfium.PdfTextPage) -> list[tuple[str, float, int]]:
    """Each line's text, its font size and the index of its first character (-1: none)."""
    # get_text_range's characters line up with PDFium's character indices.
    text = str(text_page.get_text_range())
    count = text_page.count_chars()
    lines, start = [], 0
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        first = start + len(line) - len(line.lstrip())
        if not line.strip() or first >= count:
            first = -1
        size = pdfium_c.FPDFText_GetFontSize(text_page, first) if first >= 0 else 0.0
        lines.append((line.strip(), float(size), first))
        start += len(raw) + 1
    return lines


def _body_size(lines: list[tuple[str, float]]) -> float:
    sizes: Counter[float] = Counter()
    for text, size in lines:
        sizes[round(size, 1)] += len(text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _line_markdown(text: str, size: float, body: float) -> tuple[str, str]:
    if not text:
        return "blank", ""
    if body > 0 and size >= body * _HEADING_RATIO and len(text) <= _MAX_HEADING_CHARS:
        marker = next(mark for ratio, mark in _LEVELS if size >= body * ratio)
        return "heading", f"{marker} {escape_markdown_inline(text)}"
    item = _list_item(text)
    return ("text", escape_markdown(text)) if item is None else ("item", item)


def _list_item(text: str) -> str | None:
    bullet = _BULLET.match(text)
    if bullet:
        return "- " + escape_markdown(text[bullet.end() :])
    number = _NUMBERED.match(text)
    if number:
        return f"{number.group(1)}. " + escape_markdown(text[number.end() :])
    return None
