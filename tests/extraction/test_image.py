"""Image OCR with the tesseract binary."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from byteit_server.extraction import ExtractionError, extract_document
from byteit_server.extraction.image import MISSING_TESSERACT, choose_languages
from byteit_server.samples import IMAGE_TEXT, printing_font, scan_png

from .documents import needs_tesseract


@pytest.mark.tesseract
@needs_tesseract
def test_png_text_is_read_back(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["scan.png"], "png")

    assert extraction.pages[0].text.splitlines() == list(IMAGE_TEXT)
    assert (extraction.page_count, extraction.language) == (1, "en")


@pytest.mark.tesseract
@needs_tesseract
@pytest.mark.parametrize(("kind", "pillow_format"), [("jpg", "JPEG"), ("bmp", "BMP")])
def test_other_image_formats_are_read(tmp_path: Path, kind: str, pillow_format: str) -> None:
    path = tmp_path / f"scan.{kind}"
    Image.open(io.BytesIO(scan_png())).save(path, format=pillow_format)

    assert IMAGE_TEXT[0] in extract_document(path, kind).pages[0].text


@pytest.mark.tesseract
@needs_tesseract
def test_multipage_tiff_gives_one_page_per_frame_honouring_range(tmp_path: Path) -> None:
    frames = [_word_image(word) for word in ("ALPHA", "BRAVO", "CHARLIE")]
    path = tmp_path / "scan.tiff"
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:])

    extraction = extract_document(path, "tiff", page_range="2-3")

    assert extraction.page_count == 3
    assert [(p.page_number, p.text) for p in extraction.pages] == [(2, "BRAVO"), (3, "CHARLIE")]


@pytest.mark.tesseract
@needs_tesseract
def test_transparent_png_is_read_on_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (600, 160), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((40, 40), "GHOST", fill=(0, 0, 0, 255), font=printing_font(64))
    path = tmp_path / "alpha.png"
    image.save(path)

    assert extract_document(path, "png").pages[0].text == "GHOST"


def test_missing_tesseract_fails_with_install_advice(
    monkeypatch: pytest.MonkeyPatch, samples: dict[str, Path]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)

    with pytest.raises(ExtractionError) as caught:
        extract_document(samples["scan.png"], "png")
    assert str(caught.value) == MISSING_TESSERACT
    assert "apt-get install tesseract-ocr" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [b"", b"definitely not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20],
    ids=["empty", "text", "bad-png"],
)
def test_corrupt_image_is_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(data)

    with pytest.raises(ExtractionError, match="image"):
        extract_document(path, "png")


def test_truncated_png_is_reported_as_damaged(tmp_path: Path) -> None:
    data = scan_png()
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(ExtractionError, match="the image is damaged"):
        extract_document(path, "png")


def test_language_codes_map_to_installed_traineddata() -> None:
    installed = frozenset({"eng", "deu"})

    assert choose_languages(["de", "en"], installed) == "deu+eng"
    assert choose_languages(["deu"], installed) == "deu"


def test_uninstalled_languages_fall_back_to_english(caplog: pytest.LogCaptureFixture) -> None:
    assert choose_languages(["ja", "xx"], frozenset({"eng"})) == "eng"
    assert "'ja' is not installed" in caplog.text


def _word_image(word: str) -> Image.Image:
    image = Image.new("L", (600, 160), 255)
    ImageDraw.Draw(image).text((40, 40), word, fill=0, font=printing_font(64))
    return image
