"""PPTX slide text read straight from the zip's XML: one page per slide.

python-pptx is not a dependency; the little we need (slide order, paragraphs,
tables, the title) is plain OOXML that the standard library parses.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from .errors import ExtractionError, failure_detail
from .markdown import escape_markdown
from .model import Extraction, ExtractionRequest, Page, Table
from .page_range import select_pages
from .tables import markdown_table, tab_separated, tidy_rows
from .zipfiles import is_ole_compound_file, protected_or_legacy_office

_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# A slide is a few kB of XML; anything near this is a zip bomb, not a slide.
MAX_PART_BYTES = 100 * 1024 * 1024
_REL_ID = f"{{{_NS['r']}}}id"


def extract_pptx(path: Path, request: ExtractionRequest) -> Extraction:
    """Extract the text and tables of the selected slides of a PPTX.

    Raises:
        ExtractionError: the file is not a readable PPTX, or the range selects no slide.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            slide_names = _slide_names(archive)
            pages: list[Page] = []
            tables: list[Table] = []
            for number in select_pages(request.page_range, len(slide_names)):
                slide = _parse(archive, slide_names[number - 1])
                page, slide_tables = _slide_page(slide, number)
                pages.append(page)
                tables.extend(slide_tables)
            title = _title(archive)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        if is_ole_compound_file(path):
            raise ExtractionError(protected_or_legacy_office("pptx")) from exc
        raise ExtractionError(
            f"the file is not a valid PPTX ({failure_detail(exc, path)}): open it in "
            "PowerPoint or LibreOffice, save it again as .pptx and upload it again"
        ) from exc
    return Extraction(
        pages=pages,
        page_count=len(slide_names),
        tables=tables,
        language=request.language,
        title=title,
    )


def _slide_names(archive: zipfile.ZipFile) -> list[str]:
    # Slide order lives in presentation.xml; the slideN.xml file names need not follow it.
    presentation = _parse(archive, "ppt/presentation.xml")
    rels = _parse(archive, "ppt/_rels/presentation.xml.rels")
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.findall("rel:Relationship", _NS)
    }
    names = []
    for slide_id in presentation.iterfind("p:sldIdLst/p:sldId", _NS):
        target = targets[slide_id.get(_REL_ID)]
        # Targets are relative to ppt/, unless they start at the package root.
        name = target[1:] if target.startswith("/") else posixpath.join("ppt", target)
        names.append(posixpath.normpath(name))
    return names


def _slide_page(slide: ElementTree.Element, number: int) -> tuple[Page, list[Table]]:
    table_elements = list(slide.iter(_tag("a", "tbl")))
    tables = [Table(number, rows) for rows in map(_table_rows, table_elements) if rows]
    # Table cells are paragraphs too; keep them out of the running text.
    in_tables = {id(p) for tbl in table_elements for p in tbl.iter(_tag("a", "p"))}
    lines = [_paragraph_text(p) for p in slide.iter(_tag("a", "p")) if id(p) not in in_tables]
    lines = [line for line in lines if line.strip()]
    text = _join(["\n".join(lines), *(tab_separated(t.rows) for t in tables)])
    markdown = _join([*map(escape_markdown, lines), *(markdown_table(t.rows) for t in tables)])
    return Page(number, text, markdown), tables


def _join(blocks: list[str]) -> str:
    return "\n\n".join(block for block in blocks if block)


def _table_rows(table: ElementTree.Element) -> list[list[str]]:
    return tidy_rows(
        (
            " ".join(_paragraph_text(p) for p in cell.iter(_tag("a", "p")))
            for cell in row.iterfind("a:tc", _NS)
        )
        for row in table.iterfind("a:tr", _NS)
    )


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    return "".join(node.text or "" for node in paragraph.iter(_tag("a", "t")))


def _title(archive: zipfile.ZipFile) -> str | None:
    if "docProps/core.xml" not in archive.namelist():
        return None
    title = _parse(archive, "docProps/core.xml").findtext("dc:title", None, _NS)
    return title.strip() or None if title else None


def _parse(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if archive.getinfo(name).file_size > MAX_PART_BYTES:
        raise ExtractionError(f"the PPTX part {name} is too large to read (over 100 MB)")
    data = archive.read(name)
    # OOXML parts never declare a DTD; refusing one rules out entity-expansion
    # attacks whatever the expat version, which is why defusedxml is not needed.
    if b"<!DOCTYPE" in data:
        raise ExtractionError(f"the PPTX part {name} declares a DTD, which PPTX files never do")
    return ElementTree.fromstring(data)  # noqa: S314  # DTDs refused above


def _tag(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"
