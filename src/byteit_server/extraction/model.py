"""The result of an extraction: pages of text, the tables found, and document facts.

Everything here is plain data so it pickles across a process pool and round-trips
through JSON (the server stores results as JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExtractionRequest:
    """What the caller asked for, as every reader receives it.

    ``page_range`` only matters to paged types, ``languages`` and ``ocr_engine``
    only to OCR; the first language is the document language when the file
    names none.
    """

    document_type: str
    page_range: str | None = None
    languages: tuple[str, ...] = ("en",)
    ocr_engine: str = "auto"

    @property
    def language(self) -> str | None:
        """The first requested language, or None when none was requested."""
        return self.languages[0] if self.languages else None


@dataclass(frozen=True)
class Page:
    """The text of one page (a PDF page, a slide, a sheet, an image frame).

    ``markdown`` is set when the reader knows the structure (headings, tables);
    renderers fall back to ``text`` when it is None. Readers write each table
    into ``text`` as a block of its own (blank lines around it, one line per
    row, cells separated by tabs), which lets the HTML renderer put a real
    ``<table>`` in its place.
    """

    page_number: int
    text: str
    markdown: str | None = None


@dataclass(frozen=True)
class Table:
    """A table found on a page, as rows of cell strings (rows may differ in length)."""

    page_number: int
    rows: list[list[str]]


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document.

    ``page_count`` is the document's total page count, which is more than
    ``len(pages)`` when a page range was applied.
    """

    pages: list[Page]
    page_count: int
    tables: list[Table] = field(default_factory=list)
    language: str | None = None
    encoding: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict; :meth:`from_dict` reverses it.

        Example:
            >>> Extraction.from_dict(extraction.to_dict()) == extraction
            True
        """
        return {
            "pages": [
                {"page_number": p.page_number, "text": p.text, "markdown": p.markdown}
                for p in self.pages
            ],
            "tables": [{"page_number": t.page_number, "rows": t.rows} for t in self.tables],
            "page_count": self.page_count,
            "language": self.language,
            "encoding": self.encoding,
            "title": self.title,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        """Rebuild an Extraction from :meth:`to_dict` output.

        Raises:
            KeyError, TypeError: ``data`` does not have the expected shape.
        """
        return cls(
            pages=[
                Page(int(p["page_number"]), str(p["text"]), p.get("markdown"))
                for p in data["pages"]
            ],
            tables=[
                Table(int(t["page_number"]), [[str(c) for c in row] for row in t["rows"]])
                for t in data.get("tables", [])
            ],
            page_count=int(data["page_count"]),
            language=data.get("language"),
            encoding=data.get("encoding"),
            title=data.get("title"),
        )
