"""Text formats passed through as they are: txt, md, json, xml.

The only real work is finding the character encoding: a BOM if present, else
UTF-8 if the bytes are valid UTF-8, else Windows-1252 (the usual encoding of
"ANSI" files), else Latin-1, which decodes any byte sequence.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import ExtractionError, failure_detail
from .model import Extraction, ExtractionRequest, Page

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FENCED = {"json": "json", "xml": "xml"}
_ATX_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes whose encoding is unknown; return ``(text, encoding name)``.

    Raises:
        ExtractionError: the data holds NUL bytes without a UTF-16/32 BOM, so it is
            binary rather than text.

    Example:
        >>> decode_text("café".encode("cp1252"))
        ('café', 'cp1252')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec), codec.removesuffix("-sig")
    if b"\x00" in data:
        raise ExtractionError(
            "the file holds binary data, not text: upload it with its real file "
            "extension, or save it as UTF-8 text"
        )
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def extract_text(path: Path, request: ExtractionRequest) -> Extraction:
    """Pass a text file through as one page, recording the encoding it was in.

    Markdown is kept as the page's Markdown; JSON and XML get a fenced code block.

    Raises:
        ExtractionError: the file cannot be read or is binary.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"the file could not be read ({failure_detail(exc, path)})") from exc
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Extraction(
        pages=[Page(1, text.strip("\n"), _markdown(text, request.document_type))],
        page_count=1,
        language=request.language,
        encoding=encoding,
        title=_title(text) if request.document_type == "md" else None,
    )


def _markdown(text: str, document_type: str) -> str | None:
    if document_type == "md":
        return text.strip("\n")
    fence_language = _FENCED.get(document_type)
    if fence_language is None:
        return None
    # A fence longer than any backtick run inside keeps the block closed.
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    return f"{fence}{fence_language}\n{text.strip(chr(10))}\n{fence}"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _title(markdown: str) -> str | None:
    match = _ATX_HEADING.search(markdown)
    return match.group(1).strip() if match else None
