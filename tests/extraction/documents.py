"""Builders for test documents that the samples do not cover."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="needs the system tesseract binary: apt-get install tesseract-ocr",
)


def pdf_with_pages(*texts: str) -> bytes:
    """A PDF with one line of text per page."""
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    for text in texts:
        canvas.drawString(72, 720, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def encrypted_pdf(source: bytes, user_password: str, *, algorithm: str = "RC4-128") -> bytes:
    """``source`` encrypted with pypdf; an empty user password opens without asking."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"


def write_pptx(
    path: Path, slides: list[list[str]], *, table: list[list[str]] | None = None
) -> None:
    """A minimal PPTX: each slide a list of paragraphs; ``table`` goes on the last slide.

    Slide files are numbered in reverse so the reader must follow presentation.xml.
    """
    count = len(slides)
    ids = "".join(f'<p:sldId id="{256 + i}" r:id="rId{i + 1}"/>' for i in range(count))
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Target="slides/slide{count - i}.xml"/>'
        for i in range(count)
    )
    parts = {
        "ppt/presentation.xml": f'<p:presentation xmlns:p="{_P}" xmlns:r="{_R}">'
        f"<p:sldIdLst>{ids}</p:sldIdLst></p:presentation>",
        "ppt/_rels/presentation.xml.rels": f'<Relationships xmlns="{_RELS}">{rels}</Relationships>',
        "docProps/core.xml": f'<cp:coreProperties xmlns:cp="{_CORE}" xmlns:dc="{_DC}">'
        "<dc:title>Deck title</dc:title></cp:coreProperties>",
    }
    for index, paragraphs in enumerate(slides):
        extra = _table_xml(table) if table and index == count - 1 else ""
        parts[f"ppt/slides/slide{count - index}.xml"] = _slide_xml(paragraphs, extra)
    with zipfile.ZipFile(path, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)


def _slide_xml(paragraphs: list[str], extra: str) -> str:
    body = "".join(_paragraph_xml(text) for text in paragraphs)
    return (
        f'<p:sld xmlns:p="{_P}" xmlns:a="{_A}"><p:cSld><p:spTree><p:sp><p:txBody>'
        f"{body}</p:txBody></p:sp>{extra}</p:spTree></p:cSld></p:sld>"
    )


def _paragraph_xml(text: str) -> str:
    return f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p>"


def _table_xml(rows: list[list[str]]) -> str:
    cells = "".join(
        "<a:tr>"
        + "".join(f"<a:tc><a:txBody>{_paragraph_xml(c)}</a:txBody></a:tc>" for c in row)
        + "</a:tr>"
        for row in rows
    )
    return (
        "<p:graphicFrame><a:graphic><a:graphicData>"
        f"<a:tbl>{cells}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )
