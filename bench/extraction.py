"""PDF extraction against the reference libraries, on real PDFs nobody on this project wrote.

For each PDF of the shared corpus (``../shared/corpus`` next to the repo, or
``$BYTEIT_CORPUS``; its README gives each file's provenance), and overall:
word-Jaccard and word-order similarity (difflib ratio on the word lists) of our
text against pypdfium2's plain text, word-Jaccard against pdfplumber's text,
ms per page for us and for pypdfium2, tables found (beside the ruled tables of
2 x 2 cells or more that pdfplumber's own finder sees), the share of table-cell
words that are words of pypdfium2's or pdfplumber's text (a fused number such
as ``02,2481,135`` is in neither; each reference fuses a few cells of its own,
so either one vouches for a word), and headings in the md output.
Targets: Jaccard >= 0.99 and order >= 0.98 on every PDF; every PDF with ruled
tables gives at least as many tables, with all cell words intact; median
ms/page at most 2.5 times pypdfium2's. The corpus is never copied into the repo: without it the
benchmark says so and skips.
"""

from __future__ import annotations

import difflib
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from byteit_server.extraction import extract_document, render_result
from byteit_server.extraction.model import Table

CORPUS = Path(os.environ.get("BYTEIT_CORPUS", Path(__file__).parents[2] / "shared" / "corpus"))
ROUNDS = 5
MIN_JACCARD = 0.99
MIN_ORDER = 0.98
MAX_SPEED_RATIO = 2.5


@dataclass(frozen=True)
class Scores:
    name: str
    pages: int
    jaccard: float
    order: float
    plumber_jaccard: float | None
    ms_ours: float
    ms_pdfium: float
    tables: int
    ruled_tables: int | None
    cells_intact: float
    headings: int


def _pdfium_text(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()


def _plumber_text(path: Path) -> str | None:
    try:
        import pdfplumber  # noqa: PLC0415 (optional for the bench)
    except ImportError:
        return None
    with pdfplumber.open(path) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def _plumber_tables(path: Path) -> int | None:
    try:
        import pdfplumber  # noqa: PLC0415 (optional for the bench)
    except ImportError:
        return None
    with pdfplumber.open(path) as document:
        return sum(
            len(table.rows) >= 2 and len(table.columns) >= 2  # our finder's threshold
            for page in document.pages
            for table in page.find_tables()
        )


def _cells_intact(tables: list[Table], references: list[str]) -> float:
    known = set(" ".join(references).split())
    words = [
        word for table in tables for row in table.rows for cell in row for word in cell.split()
    ]
    return sum(word in known for word in words) / len(words) if words else 1.0


def _ours(path: Path) -> str:
    return "\n".join(page.text for page in extract_document(path, "pdf").pages)


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def _order(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _ms(read: Callable[[Path], object], path: Path, pages: int) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        read(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000 / max(pages, 1)


def _score(path: Path) -> Scores:
    reference = _pdfium_text(path)
    pages = len(reference)
    ref_words = " ".join(reference).split()
    extraction = extract_document(path, "pdf")
    words = " ".join(page.text for page in extraction.pages).split()
    plumber = _plumber_text(path)
    markdown = render_result(extraction, "md", filename=path.name).decode()
    return Scores(
        name=path.name,
        pages=pages,
        jaccard=_jaccard(words, ref_words),
        order=_order(words, ref_words),
        plumber_jaccard=None if plumber is None else _jaccard(words, plumber.split()),
        ms_ours=_ms(_ours, path, pages),
        ms_pdfium=_ms(_pdfium_text, path, pages),
        tables=len(extraction.tables),
        ruled_tables=_plumber_tables(path),
        cells_intact=_cells_intact(extraction.tables, [*reference, plumber or ""]),
        headings=sum(line.startswith("#") for line in markdown.splitlines()),
    )


def _row(s: Scores) -> str:
    plumber = "  n/a" if s.plumber_jaccard is None else f"{s.plumber_jaccard:5.2f}"
    ruled = "n/a" if s.ruled_tables is None else f"{s.ruled_tables:3}"
    return (
        f"{s.name[:38]:38} {s.pages:3} {s.jaccard:5.2f} {s.order:5.2f} {plumber} "
        f"{s.ms_ours:7.1f} {s.ms_pdfium:7.1f} {s.tables:3} {ruled} {s.cells_intact:5.2f} "
        f"{s.headings:4}"
    )


def _tables_met(s: Scores) -> bool:
    return (s.ruled_tables is None or s.tables >= s.ruled_tables) and s.cells_intact == 1.0


def main() -> None:
    paths = sorted(CORPUS.glob("*.pdf"))
    if not paths:
        print(f"extraction: skipped, no PDFs in {CORPUS} (set BYTEIT_CORPUS to the corpus)")
        return
    scores = [_score(path) for path in paths]
    print(f"extraction: {len(scores)} PDFs from {CORPUS}; word scores against pypdfium2")
    print(
        f"{'document':38} {'pp':>3} {'jacc':>5} {'order':>5} {'plumb':>5} "
        f"{'ms/pg':>7} {'pdfium':>7} {'tbl':>3} {'ref':>3} {'cells':>5} {'head':>4}"
    )
    for s in scores:
        print(_row(s))
    text_pdfs = [s for s in scores if s.ms_pdfium > 0]
    ours = statistics.median(s.ms_ours for s in text_pdfs)
    pdfium_ms = statistics.median(s.ms_pdfium for s in text_pdfs)
    worst_jaccard = min(s.jaccard for s in scores)
    worst_order = min(s.order for s in scores)
    print(
        f"extraction: worst Jaccard {worst_jaccard:.3f} (target >= {MIN_JACCARD}), "
        f"worst order {worst_order:.3f} (target >= {MIN_ORDER})"
    )
    print(
        f"extraction: median {ours:.1f} ms/page vs pypdfium2 {pdfium_ms:.1f}, ratio "
        f"{ours / pdfium_ms:.2f} (target <= {MAX_SPEED_RATIO}); "
        f"{sum(s.tables for s in scores)} tables, {sum(s.headings for s in scores)} headings"
    )
    missed = [s.name for s in scores if not _tables_met(s)]
    print(
        "extraction: tables found and intact in every PDF with ruled tables"
        if not missed
        else f"extraction: tables missed or not intact in {', '.join(missed)}"
    )
    met = worst_jaccard >= MIN_JACCARD and worst_order >= MIN_ORDER and not missed
    met = met and ours / pdfium_ms <= MAX_SPEED_RATIO
    print(f"extraction: targets {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
