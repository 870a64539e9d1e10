"""Turn an Extraction into the bytes of a result download: txt, md, html, json or zip."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable

from .errors import UnsupportedFormatError
from .markdown import escape_markdown
from .model import Extraction, Page, Table
from .spreadsheet_writer import tables_zip
from .tables import markdown_table, tab_separated


def render_result(extraction: Extraction, output_format: str, *, filename: str) -> bytes:
    """Render an extraction in one of the API's output formats, as UTF-8 bytes.

    Args:
        extraction: what :func:`extract_document` returned.
        output_format: ``txt``, ``md``, ``html``, ``json`` or ``zip`` (one xlsx per table).
        filename: the original file name, shown in the json and html outputs.

    Raises:
        UnsupportedFormatError: unknown format, or ``zip`` for a document without tables.

    Example:
        >>> render_result(extraction, "txt", filename="a.pdf")
        b'First page\\n\\nSecond page\\n'
    """
    renderer = _RENDERERS.get(output_format.lower())
    if renderer is None:
        raise UnsupportedFormatError(
            f"unknown output format {output_format!r}: choose one of {', '.join(_RENDERERS)}"
        )
    return renderer(extraction, filename)


def _txt(extraction: Extraction, filename: str) -> bytes:
    return ("\n\n".join(page.text for page in extraction.pages) + "\n").encode("utf-8")


def _md(extraction: Extraction, filename: str) -> bytes:
    multipage = extraction.page_count > 1
    blocks = []
    for page in extraction.pages:
        if multipage:
            # An HTML comment marks the page without showing up when rendered.
            blocks.append(f"<!-- page {page.page_number} -->")
        blocks.append(_page_markdown(page, _tables_on(extraction, page)))
    return ("\n\n".join(block for block in blocks if block) + "\n").encode("utf-8")


def _page_markdown(page: Page, tables: list[Table]) -> str:
    if page.markdown is not None:
        return page.markdown  # the reader already placed the tables where they belong
    text = escape_markdown(page.text)
    return "\n\n".join([text, *(markdown_table(t.rows) for t in tables)]).strip()


def _html(extraction: Extraction, filename: str) -> bytes:
    title = html.escape(extraction.title or filename)
    lang = f' lang="{html.escape(extraction.language)}"' if extraction.language else ""
    sections = "\n".join(
        _html_section(page, _tables_on(extraction, page)) for page in extraction.pages
    )
    document = (
        f'<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{title}</title>\n</head>\n<body>\n{sections}\n</body>\n</html>\n"
    )
    return document.encode("utf-8")


def _html_section(page: Page, tables: list[Table]) -> str:
    # Readers write each table into the text as its own tab-separated block;
    # those blocks become <table>s in place, other blocks become paragraphs.
    unplaced = list(tables)
    parts = []
    for block in page.text.split("\n\n"):
        table = _take_table(unplaced, block)
        if table is not None:
            parts.append(_html_table(table))
        elif block.strip():
            parts.append("<p>" + html.escape(block.strip("\n")).replace("\n", "<br/>\n") + "</p>")
    parts.extend(_html_table(table) for table in unplaced)
    return f'<section data-page="{page.page_number}">\n' + "\n".join(parts) + "\n</section>"


def _take_table(tables: list[Table], block: str) -> Table | None:
    for index, table in enumerate(tables):
        if tab_separated(table.rows) == block:
            return tables.pop(index)
    return None


def _html_table(table: Table) -> str:
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<table>\n{rows}\n</table>"


def _json(extraction: Extraction, filename: str) -> bytes:
    payload = {
        "document": {
            "filename": filename,
            "page_count": extraction.page_count,
            "language": extraction.language,
            "encoding": extraction.encoding,
            "title": extraction.title,
        },
        "pages": [{"page_number": p.page_number, "text": p.text} for p in extraction.pages],
        "tables": [{"page_number": t.page_number, "rows": t.rows} for t in extraction.tables],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _zip(extraction: Extraction, filename: str) -> bytes:
    if not extraction.tables:
        raise UnsupportedFormatError(
            "zip output holds one xlsx per table, and no table was found in this "
            "document; choose txt, md, html or json"
        )
    out = io.BytesIO()
    tables_zip(extraction.tables, out)
    return out.getvalue()


def _tables_on(extraction: Extraction, page: Page) -> list[Table]:
    return [t for t in extraction.tables if t.page_number == page.page_number]


# One renderer for each of the contract's output formats (a test checks they match).
_RENDERERS: dict[str, Callable[[Extraction, str], bytes]] = {
    "txt": _txt,
    "md": _md,
    "html": _html,
    "json": _json,
    "zip": _zip,
}
