"""PDF extraction with pypdfium2."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from byteit_server.extraction import ExtractionError, extract_document
from byteit_server.samples import IMAGE_TEXT, scan_png

from .documents import encrypted_pdf, pdf_with_pages


def test_each_page_gives_its_text(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["invoice.pdf"], "pdf")

    assert extraction.page_count == 3
    assert [page.page_number for page in extraction.pages] == [1, 2, 3]
    assert "Invoice number: INV-2024-0042" in extraction.pages[0].text
    assert "Payment due within 30 days." in extraction.pages[2].text


def test_title_comes_from_the_metadata(samples: dict[str, Path]) -> None:
    assert extract_document(samples["invoice.pdf"], "pdf").title == "Invoice INV-2024-0042"


def test_page_range_selects_pages_but_page_count_stays_total(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["invoice.pdf"], "pdf", page_range="1,3-9")

    assert [page.page_number for page in extraction.pages] == [1, 3]
    assert extraction.page_count == 3


def test_page_range_beyond_the_document_is_an_error(samples: dict[str, Path]) -> None:
    with pytest.raises(ExtractionError, match="selects no page of this 3-page document"):
        extract_document(samples["invoice.pdf"], "pdf", page_range="4-5")


def test_invalid_page_range_is_an_extraction_error(samples: dict[str, Path]) -> None:
    with pytest.raises(ExtractionError, match="runs backwards"):
        extract_document(samples["invoice.pdf"], "pdf", page_range="3-1")


def test_password_protected_pdf_asks_to_remove_the_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf(pdf_with_pages("secret"), "hunter2"))

    with pytest.raises(ExtractionError, match="encrypted with a password: remove the password"):
        extract_document(path, "pdf")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_encrypted_with_empty_user_password_opens(tmp_path: Path, algorithm: str) -> None:
    pytest.importorskip("cryptography", reason="AES needs: pip install cryptography")
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypted_pdf(pdf_with_pages("readable"), "", algorithm=algorithm))

    assert extract_document(path, "pdf").pages[0].text == "readable"


@pytest.mark.parametrize(
    "data",
    [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", b"\x00" * 64],
    ids=["empty", "text", "truncated", "zeros"],
)
def test_corrupt_pdf_is_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)

    with pytest.raises(ExtractionError, match="not a readable PDF"):
        extract_document(path, "pdf")


def test_truncated_pdf_is_a_clear_error(tmp_path: Path, samples: dict[str, Path]) -> None:
    data = samples["invoice.pdf"].read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(ExtractionError, match="not a readable PDF"):
        extract_document(path, "pdf")


def test_page_without_text_layer_gives_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf_with_pages(""))

    extraction = extract_document(path, "pdf")

    assert extraction.page_count == 1
    assert extraction.pages[0].text == ""


def test_pages_without_text_layer_log_one_line_per_document(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf_with_pages("", "", ""))

    with caplog.at_level(logging.DEBUG, logger="byteit_server"):
        extract_document(path, "pdf")

    assert len(caplog.records) == 1
    assert "[1, 2, 3]" in caplog.records[0].getMessage()


def test_scanned_page_is_read_with_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawImage(ImageReader(io.BytesIO(scan_png())), 36, 500, width=500, height=120)
    canvas.showPage()
    canvas.save()
    path.write_bytes(out.getvalue())

    extraction = extract_document(path, "pdf", ocr_engine="tesserocr")

    assert extraction.pages[0].text.splitlines() == list(IMAGE_TEXT)
