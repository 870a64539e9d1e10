"""extract_document: choosing a reader and checking arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from byteit._contract import DOCUMENT_TYPES
from byteit_server.extraction import (
    SUPPORTED_TYPES,
    Extraction,
    ExtractionError,
    UnsupportedFormatError,
    extract,
    extract_document,
)
from byteit_server.extraction.model import ExtractionRequest

API_TYPES = {
    "pdf", "docx", "pptx", "xlsx", "xls", "txt", "md", "html", "json", "xml",
    "jpeg", "jpg", "png", "tiff", "bmp",
}  # fmt: skip


def test_every_type_the_api_accepts_is_supported() -> None:
    assert API_TYPES <= SUPPORTED_TYPES
    assert all(kind == kind.lower() for kind in SUPPORTED_TYPES)


def test_there_is_one_reader_for_each_document_type_of_the_contract() -> None:
    assert set(DOCUMENT_TYPES) == SUPPORTED_TYPES


@pytest.mark.parametrize(("alias", "title"), [("text", None), ("markdown", "Notes")])
def test_an_alias_is_read_as_the_type_it_names(
    tmp_path: Path, alias: str, title: str | None
) -> None:
    path = tmp_path / f"notes.{alias}"
    path.write_text("# Notes\n\nbody\n", encoding="utf-8")

    assert extract_document(path, alias).title == title


WORKER = """
import sys
from byteit_server.engine import ExtractionTask, extract_to_file
extract_to_file(ExtractionTask(sys.argv[1], sys.argv[2], sys.argv[3]))
print(sorted(name for name in sys.modules if name.split(".")[0] == "byteit"))
"""


@pytest.mark.parametrize(("name", "kind"), [("notes.txt", "txt"), ("scan.png", "png")])
def test_a_worker_extracts_without_loading_the_client_package(
    samples: dict[str, Path], tmp_path: Path, name: str, kind: str
) -> None:
    """A worker process starts about twice as fast without `byteit`, OCR included."""
    args = [sys.executable, "-c", WORKER, str(samples[name]), kind, str(tmp_path)]
    run = subprocess.run(args, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("spelling", ["PDF", ".pdf", "Pdf"])
def test_document_type_is_case_and_dot_insensitive(samples: dict[str, Path], spelling: str) -> None:
    assert extract_document(samples["invoice.pdf"], spelling).page_count == 3


def test_unknown_type_is_unsupported_and_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "a.odt"
    path.write_bytes(b"x")

    with pytest.raises(UnsupportedFormatError, match=r"'odt' is not supported: use one of .*pdf"):
        extract_document(path, "odt")


def test_bad_page_range_fails_even_for_one_page_types(samples: dict[str, Path]) -> None:
    with pytest.raises(ExtractionError, match="invalid page_range 'x'"):
        extract_document(samples["notes.txt"], "txt", page_range="x")


def test_one_page_types_ignore_a_valid_page_range(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["report.docx"], "docx", page_range="2-3")

    assert [page.page_number for page in extraction.pages] == [1]


def test_missing_file_is_an_extraction_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError):
        extract_document(tmp_path / "gone.txt", "txt")


def test_first_language_is_reported_when_the_file_names_none(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["notes.txt"], "txt", languages=["de", "en"])

    assert extraction.language == "de"


@pytest.mark.parametrize("kind", ["pdf", "docx", "pptx", "xlsx", "png", "jpg", "tiff", "bmp"])
def test_garbage_fails_cleanly_without_revealing_the_storage_path(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / f"upload.{kind}"
    path.write_bytes(b"garbage " * 32)

    with pytest.raises(ExtractionError) as caught:
        extract_document(path, kind)
    assert str(tmp_path) not in str(caught.value)
    assert "upload it again" in str(caught.value)


def test_workbook_uploaded_as_docx_is_refused_without_the_path(tmp_path: Path) -> None:
    path = tmp_path / "actually_a_workbook.docx"
    openpyxl.Workbook().save(path)

    with pytest.raises(ExtractionError, match="not a Word file") as caught:
        extract_document(path, "docx")
    assert str(tmp_path) not in str(caught.value)
    assert "actually_a_workbook.docx" in str(caught.value)


def test_unexpected_reader_failure_becomes_an_extraction_error(
    monkeypatch: pytest.MonkeyPatch, samples: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    def explode(path: Path, request: ExtractionRequest) -> Extraction:
        raise RuntimeError(f"parser fell over on {path}")

    monkeypatch.setitem(extract._READERS, "txt", explode)

    with pytest.raises(ExtractionError, match=r"the TXT file could not be read \(RuntimeError"):
        extract_document(samples["notes.txt"], "txt")
    assert "unexpected failure reading a txt file" in caplog.text
