"""Table helpers shared by the readers and the renderers."""

from __future__ import annotations

from collections.abc import Iterable

from .markdown import escape_markdown_inline


def tidy_rows(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    """Turn raw cell values into strings, dropping empty trailing cells and empty rows.

    ``None`` becomes ``""``; whitespace inside a cell is collapsed to single spaces.
    """
    tidy: list[list[str]] = []
    for row in rows:
        cells = [_cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            tidy.append(cells)
    return tidy


def markdown_table(rows: list[list[str]]) -> str:
    """Render rows as a GitHub-flavoured Markdown table, the first row as header.

    Rows are padded to the widest row, and pipes, line breaks, backticks and
    HTML tags in cells are escaped so a cell can never break the table.
    """
    width = max((len(row) for row in rows), default=0)
    if width == 0:
        return ""
    padded = [[_markdown_cell(c) for c in row] + [""] * (width - len(row)) for row in rows]
    lines = [_markdown_row(padded[0]), _markdown_row(["---"] * width)]
    lines.extend(_markdown_row(row) for row in padded[1:])
    return "\n".join(lines)


def tab_separated(rows: list[list[str]]) -> str:
    """Render rows as plain text, one line per row, cells separated by tabs."""
    return "\n".join("\t".join(row) for row in rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _markdown_cell(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return escape_markdown_inline(text)


def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
