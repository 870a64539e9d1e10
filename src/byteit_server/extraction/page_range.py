"""Page-range specs such as ``"1-5"`` or ``"1,3,5-10"``, as the API accepts them."""

from __future__ import annotations

from .errors import ExtractionError

# A spec is expanded into a list, so an absurd upper bound must be refused up front.
MAX_PAGE_NUMBER = 100_000


def parse_page_range(spec: str | None, page_count: int | None = None) -> list[int] | None:
    """Parse a page-range spec into sorted, distinct 1-based page numbers.

    Args:
        spec: ``"1-5"``, ``"1,3,5-10"``; None or blank means every page.
        page_count: when given, pages beyond it are dropped.

    Returns:
        The selected page numbers, or None for "every page". The list may be
        empty when ``page_count`` is given and the range lies beyond it.

    Raises:
        ValueError: bad syntax, a page below 1 or above 100000, or a reversed range.

    Example:
        >>> parse_page_range("1,3,5-6")
        [1, 3, 5, 6]
    """
    if spec is None or not spec.strip():
        return None
    pages: set[int] = set()
    for part in spec.split(","):
        first, last = _parse_part(part.strip(), spec)
        if page_count is not None:
            last = min(last, page_count)
        pages.update(range(first, last + 1))
    return sorted(pages)


def select_pages(spec: str | None, page_count: int) -> list[int]:
    """Return the pages of a ``page_count``-page document that ``spec`` selects.

    Raises:
        ExtractionError: the spec is invalid or selects no existing page.
    """
    try:
        pages = parse_page_range(spec, page_count)
    except ValueError as exc:
        raise ExtractionError(str(exc)) from exc
    if pages is None:
        return list(range(1, page_count + 1))
    if not pages:
        raise ExtractionError(
            f"page_range {spec!r} selects no page of this {page_count}-page document: "
            f"choose pages between 1 and {page_count}"
        )
    return pages


def _parse_part(part: str, spec: str) -> tuple[int, int]:
    first_text, dash, last_text = part.partition("-")
    first = _parse_page(first_text, spec)
    last = _parse_page(last_text, spec) if dash else first
    if last < first:
        raise ValueError(
            f"invalid page_range {spec!r}: {part!r} runs backwards; write it as {last}-{first}"
        )
    return first, last


def _parse_page(text: str, spec: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(
            f"invalid page_range {spec!r}: expected page numbers like '1-5' or '1,3,5-10'"
        )
    page = int(text)
    if not 1 <= page <= MAX_PAGE_NUMBER:
        raise ValueError(
            f"invalid page_range {spec!r}: page numbers run from 1 to {MAX_PAGE_NUMBER}"
        )
    return page
