"""OCR of images, one page per image frame; :mod:`.ocr` picks the engine.

Multi-page TIFFs give one page per frame. Each frame is read as greyscale on
a white backdrop.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from .errors import ExtractionError, failure_detail
from .model import Extraction, ExtractionRequest, Page
from .ocr import find_engine, model_name
from .page_range import select_pages


def extract_image(path: Path, request: ExtractionRequest) -> Extraction:
    """OCR the selected frames of an image file.

    Raises:
        ExtractionError: the image is unreadable, no OCR engine or requested
            language is installed, OCR fails, or the range selects no frame.
    """
    # The image is checked first, so a damaged file is reported as such even
    # on a machine without an OCR engine.
    with _open(path) as image:
        frame_count = getattr(image, "n_frames", 1)
        selected = select_pages(request.page_range, frame_count)
        models = list(dict.fromkeys(model_name(code) for code in request.languages)) or ["eng"]
        engine = find_engine(request.ocr_engine, models)
        pages = [
            Page(number, engine.read(_frame(image, number), "+".join(models)))
            for number in selected
        ]
    return Extraction(pages=pages, page_count=frame_count, language=request.language)


def _open(path: Path) -> Image.Image:
    try:
        image = Image.open(path)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ExtractionError(
            f"the file is not a readable image ({failure_detail(exc, path)}): check that it "
            "opens in an image viewer and upload it again as PNG, JPEG, TIFF or BMP"
        ) from exc
    except OSError as exc:
        raise ExtractionError(f"the image could not be read ({failure_detail(exc, path)})") from exc
    try:
        image.load()  # open() only reads the header; decoding finds truncation
    except (OSError, ValueError, EOFError) as exc:
        image.close()
        raise ExtractionError(
            f"the image is damaged ({failure_detail(exc, path)}): "
            "export it again and upload it again"
        ) from exc
    return image


def _frame(image: Image.Image, number: int) -> Image.Image:
    try:
        return _on_white(ImageSequence.Iterator(image)[number - 1])
    except (OSError, ValueError, EOFError) as exc:
        raise ExtractionError(
            f"image frame {number} is damaged ({exc}): export the image again and upload it"
        ) from exc


def _on_white(frame: Image.Image) -> Image.Image:
    # Transparent pixels often hide black RGB values; without a white backdrop
    # the text would vanish into a black page. Greyscale is what Tesseract uses anyway.
    rgba = frame.convert("RGBA")
    backdrop = Image.new("RGBA", rgba.size, "white")
    return Image.alpha_composite(backdrop, rgba).convert("L")
