"""Ruled tables on PDF pages: rules from PDFium's path objects, grid by pdfplumber, cells by PDFium.

The rules of a table are the page's thin path objects (and the sides of its
rectangles), read with pypdfium2; pdfplumber's table algorithm (snap, join,
intersect, group into cells) turns them into tables without pdfplumber parsing
the page, which would cost 30 to 400 ms. Each cell is read with PDFium's text
inside the cell's box, which keeps tracked characters together (pdfplumber's
own cell text gives ``0 3 / 2 5 / 2 0 16`` for ``03/25/2016``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .model import Table
from .tables import tidy_rows

logger = logging.getLogger(__name__)

# A table of 2 x 2 cells has three horizontal and three vertical rules; a drawn
# rectangle (a cell or a frame) counts as two of each.
MIN_RULES = 3
_THIN = 3.0  # points: at most this thick, a path is a rule
_LONG = 10.0  # points: a path this wide and this high is a rectangle, whose four sides are rules
_MIN_LENGTH = 3.0  # points: pdfplumber's edge_min_length, applied after joining
_TOLERANCE = 3.0  # points: pdfplumber's default snap, join and intersection tolerance

_Box = tuple[float, float, float, float]
Box = tuple[float, float, float, float]
_Edge = dict[str, Any]


@dataclass(frozen=True)
class PlacedTable:
    """A table and where it sits on its page: (left, bottom, right, top) in PDF points."""

    table: Table
    box: Box


def find_tables(
    page: pdfium.PdfPage, text_page: pdfium.PdfTextPage, number: int
) -> list[PlacedTable]:
    """The ruled tables, of at least 2 rows and 2 columns, on one page."""
    edges = list(_edges(page))
    if not _enough_rules(edges):
        return []
    # Imported here: pdfplumber (with pdfminer) takes 120 ms to import, and only
    # pages with rules need it.
    from pdfplumber import table as grid  # noqa: PLC0415

    # Joined before the length filter: a rule may be drawn as short segments (a
    # table's side drawn cell by cell, some segments 6 points long).
    edges = grid.merge_edges(edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE)
    edges = [edge for edge in edges if max(edge["width"], edge["height"]) >= _MIN_LENGTH]
    cells = grid.intersections_to_cells(grid.edges_to_intersections(edges, _TOLERANCE, _TOLERANCE))
    found = []
    for table_cells in grid.cells_to_tables(cells):
        rows = _rows(text_page, grid.Table(None, table_cells).rows)  # type: ignore[arg-type]
        if len(rows) >= 2 and max(map(len, rows)) >= 2:
            found.append(PlacedTable(Table(number, rows), _box(table_cells)))
    return found


def _box(cells: list[_Box]) -> Box:
    # Cells are (x0, top, x1, bottom) with top measured downwards (negated PDF y).
    return (
        min(c[0] for c in cells),
        -max(c[3] for c in cells),
        max(c[2] for c in cells),
        -min(c[1] for c in cells),
    )


def _enough_rules(edges: list[_Edge]) -> bool:
    horizontal = sum(edge["orientation"] == "h" for edge in edges)
    return bool(horizontal >= MIN_RULES and len(edges) - horizontal >= MIN_RULES)


def _edges(page: pdfium.PdfPage) -> Iterator[_Edge]:
    # pdfplumber measures "top" downwards; negated PDF y does the same.
    for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = (float(v) for v in path.get_bounds())
        width, height = right - left, top - bottom
        if width >= _LONG and height >= _LONG:
            yield from (_horizontal(left, right, -top), _horizontal(left, right, -bottom))
            yield from (_vertical(left, -top, -bottom), _vertical(right, -top, -bottom))
        elif height <= _THIN < width:
            yield _horizontal(left, right, -(top + bottom) / 2)
        elif width <= _THIN < height:
            yield _vertical((left + right) / 2, -top, -bottom)


def _horizontal(x0: float, x1: float, y: float) -> _Edge:
    return {
        "x0": x0,
        "x1": x1,
        "top": y,
        "bottom": y,
        "width": x1 - x0,
        "height": 0.0,
        "orientation": "h",
    }


def _vertical(x: float, top: float, bottom: float) -> _Edge:
    return {
        "x0": x,
        "x1": x,
        "top": top,
        "bottom": bottom,
        "width": 0.0,
        "height": bottom - top,
        "orientation": "v",
    }


def _rows(text_page: pdfium.PdfTextPage, rows: list[Any]) -> list[list[str]]:
    return _without_empty_columns(
        tidy_rows([_cell_text(text_page, cell) for cell in row.cells] for row in rows)
    )


def _cell_text(text_page: pdfium.PdfTextPage, cell: _Box | None) -> str:
    if cell is None:  # a position covered by a merged cell
        return ""
    x0, top, x1, bottom = cell
    return str(text_page.get_text_bounded(left=x0, bottom=-bottom, right=x1, top=-top))


def _without_empty_columns(rows: list[list[str]]) -> list[list[str]]:
    # A merged cell spans grid columns that hold no text of their own.
    width = max(map(len, rows), default=0)
    kept = [i for i in range(width) if any(i < len(row) and row[i] for row in rows)]
    return [[row[i] if i < len(row) else "" for i in kept] for row in rows]
