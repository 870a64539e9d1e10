"""Tables written in plain text: tab-separated blocks and Markdown pipe tables.

The extraction writes a table it found into a page's text as lines of
tab-separated cells; a plain-text or Markdown document may hold a GitHub-style
``| a | b |`` table. :func:`text_tables` finds both, as rows of cell strings,
for the extract heuristic. A table is two or more consecutive such lines.
"""

from __future__ import annotations

import re

__all__ = ["text_tables"]

Rows = list[list[str]]

_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def text_tables(text: str) -> list[Rows]:
    """The tables in ``text``, in order, each as rows of cells (first row first).

    Example:
        >>> text_tables("Items\\n| Name | Qty |\\n| --- | --- |\\n| Bolt | 3 |")
        [[['Name', 'Qty'], ['Bolt', '3']]]
    """
    tables: list[Rows] = []
    current: Rows = []
    for line in [*text.splitlines(), ""]:
        cells = _cells(line)
        if cells is not None:
            if not all(_SEPARATOR_CELL.match(cell) for cell in cells):
                current.append(cells)
            continue
        if len(current) >= 2:
            tables.append(current)
        current = []
    return tables


def _cells(line: str) -> list[str] | None:
    """A table row's cells, or None when ``line`` is not a table row."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        parts = _UNESCAPED_PIPE.split(stripped[1:-1])
        return [part.strip().replace("\\|", "|") for part in parts]
    if "\t" in line:
        cells = [cell.strip() for cell in line.split("\t")]
        return cells if sum(1 for cell in cells if cell) >= 2 else None
    return None
