"""HTML to plain text and Markdown with BeautifulSoup and markdownify."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag
from markdownify import markdownify

from .errors import ExtractionError, failure_detail
from .model import Extraction, ExtractionRequest, Page, Table
from .tables import tab_separated, tidy_rows

# Elements whose content is never reading text.
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe")
# Elements that stand apart as paragraphs (blank line around them) and those
# that only start a new line, as a browser would lay them out.
_PARAGRAPHS = frozenset({
    "address", "article", "aside", "blockquote", "details", "dl", "fieldset", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav",
    "ol", "p", "pre", "section", "table", "ul",
})  # fmt: skip
_LINES = frozenset({"caption", "dd", "dialog", "div", "dt", "figcaption", "li", "summary", "tr"})
# Stands in for <pre> blocks while lines are tidied, so their indentation survives.
_PRE_MARK = "\ue000"
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def extract_html(path: Path, request: ExtractionRequest) -> Extraction:
    """Extract an HTML page as one page of text and Markdown, with its tables.

    The character encoding comes from a BOM or ``<meta charset>``, else UTF-8 or
    Windows-1252 is guessed; scripts, styles and the ``<head>`` are dropped.

    Raises:
        ExtractionError: the file cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(
            f"the HTML file could not be read ({failure_detail(exc, path)})"
        ) from exc
    soup = BeautifulSoup(data, "lxml")
    title = _title(soup)
    doc_language = _language(soup) or request.language
    for tag in soup.find_all(_INVISIBLE):
        tag.decompose()
    root = soup.body or soup
    tables = [Table(1, rows) for rows in map(_table_rows, root.find_all("table")) if rows]
    markdown = _markdown(str(root))
    text = _text(root)
    return Extraction(
        pages=[Page(1, text, markdown)],
        page_count=1,
        tables=tables,
        language=doc_language,
        encoding=soup.original_encoding,
        title=title,
    )


def _title(soup: BeautifulSoup) -> str | None:
    if soup.title is None:
        return None
    return " ".join(soup.title.get_text().split()) or None


def _language(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    return lang.strip() or None if isinstance(lang, str) else None


def _table_rows(table: Tag) -> list[list[str]]:
    # Only this table's own rows: a nested table is reported on its own.
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    return tidy_rows(
        [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"], recursive=False)]
        for row in rows
    )


def _markdown(html: str) -> str:
    markdown = markdownify(html, heading_style="ATX", bullets="-", escape_misc=True)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def _text(root: Tag | BeautifulSoup) -> str:
    # Source line breaks mean nothing in HTML: collapse them first, then add
    # the breaks that blocks, <br> and tables imply.
    _collapse_whitespace(root)
    _flatten_tables(root)
    preformatted = _set_aside_preformatted(root)
    _break_blocks(root)
    lines = [line.strip(" \t") for line in root.get_text().split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    for block in preformatted:
        text = text.replace(_PRE_MARK, block, 1)
    return text


def _collapse_whitespace(root: Tag | BeautifulSoup) -> None:
    for string in root.find_all(string=True):
        # Exact type: comments, CDATA and doctypes are NavigableString subclasses.
        if type(string) is NavigableString and string.find_parent("pre") is None:
            string.replace_with(_SPACES.sub(" ", string))


def _flatten_tables(root: Tag | BeautifulSoup) -> None:
    for table in root.find_all("table"):
        if table.find_parent("table") is None:
            # Same rendering as the other readers, so renderers can spot the table.
            table.replace_with("\n\n" + tab_separated(_table_rows(table)) + "\n\n")


def _set_aside_preformatted(root: Tag | BeautifulSoup) -> list[str]:
    blocks = []
    for pre in root.find_all("pre"):
        blocks.append(pre.get_text().strip("\n"))
        pre.replace_with(f"\n\n{_PRE_MARK}\n\n")
    return blocks


def _break_blocks(root: Tag | BeautifulSoup) -> None:
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all(_PARAGRAPHS | _LINES):
        breaks = "\n\n" if block.name in _PARAGRAPHS else "\n"
        block.insert_before(breaks)
        block.insert_after(breaks)
