"""Text passthrough formats and their encoding detection."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from byteit_server.extraction import ExtractionError, extract_document
from byteit_server.extraction.plaintext import decode_text

TEXT = "Zoë paid 5 € for crème brûlée"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "utf32", "cp1252"],
)
def test_encodings_are_detected_and_recorded(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(data)

    extraction = extract_document(path, "txt")

    assert (extraction.pages[0].text, extraction.encoding) == (TEXT, encoding)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    assert decode_text(b"caf\xe9 \x81") == ("café \x81", "latin-1")


def test_nul_bytes_without_bom_are_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")

    with pytest.raises(ExtractionError, match="binary data, not text"):
        extract_document(path, "txt")


def test_windows_line_endings_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"one\r\ntwo\rthree\n")

    assert extract_document(path, "txt").pages[0].text == "one\ntwo\nthree"


def test_markdown_passes_through_as_markdown_with_title(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["readme.md"], "md")
    page = extraction.pages[0]

    assert page.markdown == page.text == samples["readme.md"].read_text("utf-8").strip()
    assert extraction.title == "Product Guide"


@pytest.mark.parametrize(
    ("kind", "content"), [("json", '{"a": "```"}'), ("xml", "<root><a>1</a></root>")]
)
def test_json_and_xml_markdown_is_a_fenced_block(tmp_path: Path, kind: str, content: str) -> None:
    path = tmp_path / f"data.{kind}"
    path.write_text(content, encoding="utf-8")

    page = extract_document(path, kind).pages[0]

    assert page.text == content
    fence = "````" if "```" in content else "```"
    assert page.markdown == f"{fence}{kind}\n{content}\n{fence}"


def test_plain_text_has_no_markdown_or_title(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["notes.txt"], "txt")

    assert extraction.pages[0].markdown is None
    assert extraction.title is None
    assert "Attendees: Zoë, Björn, Amélie" in extraction.pages[0].text
