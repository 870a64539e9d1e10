"""Markdown for a PDF page: headings from font size, bulleted and numbered lists.

PDFium gives each character's font size; a line set well above the page's body
size (the size of most of its text) is a heading, its level by how much larger.
A line that opens with a bullet or a number and a period is a list item. All
other text is escaped (:mod:`.markdown`), so it never turns into structure.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .markdown import escape_markdown, escape_markdown_inline

# A heading is at least this much larger than the body text; "#" from the second.
_HEADING_RATIO = 1.2
_LEVELS = ((2.0, "#"), (1.5, "##"), (_HEADING_RATIO, "###"))
_MAX_HEADING_CHARS = 120
_BULLET = re.compile(r"^[•◦▪▫●○■□‣⁃∙·*\-–]\s+(?=\S)")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(?=\S)")


def page_markdown(text_page: pdfium.PdfTextPage) -> str:
    """The page's text as Markdown: headings, list items, and escaped paragraphs."""
    lines = _sized_lines(text_page)
    body = _body_size(lines)
    out: list[str] = []
    previous = "blank"
    for text, size in lines:
        kind, markdown = _line_markdown(text, size, body)
        # Headings, lists and paragraphs need a blank line between them, or a
        # paragraph line continues the list item above it.
        if kind != previous and "blank" not in (kind, previous):
            out.append("")
        out.append(markdown)
        previous = kind
    return "\n".join(out).strip("\n")


def _sized_lines(text_page: pdfium.PdfTextPage) -> list[tuple[str, float]]:
    # get_text_range's characters line up with PDFium's character indices.
    text = str(text_page.get_text_range())
    count = text_page.count_chars()
    lines, start = [], 0
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        first = start + len(line) - len(line.lstrip())
        size = (
            pdfium_c.FPDFText_GetFontSize(text_page, first)
            if line.strip() and first < count
            else 0.0
        )
        lines.append((line.strip(), float(size)))
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
