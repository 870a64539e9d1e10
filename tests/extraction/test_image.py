"""Image OCR, with tesserocr (always) and the system tesseract binary (when present)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from byteit_server.extraction import ExtractionError, extract_document
from byteit_server.samples import IMAGE_TEXT, printing_font, scan_png

from .documents import needs_tesseract


@pytest.fixture(
    params=[
        "tesserocr",
        pytest.param("tesseract", marks=[pytest.mark.tesseract, needs_tesseract]),
    ]
)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn; the system binary only where it is installed."""
    return str(request.param)


def test_png_text_is_read_back(samples: dict[str, Path], engine: str) -> None:
    extraction = extract_document(samples["scan.png"], "png", ocr_engine=engine)

    assert extraction.pages[0].text.splitlines() == list(IMAGE_TEXT)
    assert (extraction.page_count, extraction.language) == (1, "en")


@pytest.mark.parametrize(("kind", "pillow_format"), [("jpg", "JPEG"), ("bmp", "BMP")])
def test_other_image_formats_are_read(
    tmp_path: Path, kind: str, pillow_format: str, engine: str
) -> None:
    path = tmp_path / f"scan.{kind}"
    Image.open(io.BytesIO(scan_png())).save(path, format=pillow_format)

    assert IMAGE_TEXT[0] in extract_document(path, kind, ocr_engine=engine).pages[0].text


def test_multipage_tiff_gives_one_page_per_frame_honouring_range(
    tmp_path: Path, engine: str
) -> None:
    frames = [_word_image(word) for word in ("ALPHA", "BRAVO", "CHARLIE")]
    path = tmp_path / "scan.tiff"
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:])

    extraction = extract_document(path, "tiff", page_range="2-3", ocr_engine=engine)

    assert extraction.page_count == 3
    assert [(p.page_number, p.text) for p in extraction.pages] == [(2, "BRAVO"), (3, "CHARLIE")]


def test_transparent_png_is_read_on_white(tmp_path: Path, engine: str) -> None:
    image = Image.new("RGBA", (600, 160), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((40, 40), "GHOST", fill=(0, 0, 0, 255), font=printing_font(64))
    path = tmp_path / "alpha.png"
    image.save(path)

    assert extract_document(path, "png", ocr_engine=engine).pages[0].text == "GHOST"


def test_german_text_is_read_with_the_german_model(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "brief.png"
    _word_image("Größe und Übermaß", width=800).save(path)

    text = extract_document(path, "png", languages=["de"], ocr_engine=engine).pages[0].text

    assert text == "Größe und Übermaß"


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


def _word_image(word: str, width: int = 600) -> Image.Image:
    image = Image.new("L", (width, 160), 255)
    ImageDraw.Draw(image).text((40, 40), word, fill=0, font=printing_font(64))
    return image
