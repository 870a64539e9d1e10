"""What each job costs on the local server, in credits (its ``credits_cost``).

ByteIT publishes no price list, so the local server charges by a fixed,
documented rule that a client's budget can be tested against:

- a **parse job**: 1 credit per page read (pages outside a ``page_range`` are
  free), at least 1 per document: a 3-page PDF costs 3, a .txt costs 1;
- an **extract job**: 1 credit per extraction, whatever the schema; the parse
  job it reads was charged when it ran;
- a **custom job**: 1 credit per page of each of its documents (at least 1 per
  document), with or without a schema or a prompt: two 3-page PDFs cost 6.

A job that fails costs nothing (``credits_cost`` stays null), and the cost is
known only once the job completed, as with the service.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["custom_job_credits", "extract_job_credits", "parse_job_credits"]


def parse_job_credits(pages_read: int) -> float:
    """1 credit a page read, at least 1.

    Example:
        >>> parse_job_credits(3), parse_job_credits(0)
        (3.0, 1.0)
    """
    return float(max(1, pages_read))


def extract_job_credits() -> float:
    """1 credit an extraction."""
    return 1.0


def custom_job_credits(pages_per_document: Iterable[int]) -> float:
    """1 credit a page of each document, at least 1 a document.

    Example:
        >>> custom_job_credits([3, 0])
        4.0
    """
    return sum(parse_job_credits(pages) for pages in pages_per_document)
