"""OCR of images with the Tesseract command-line tool, one page per image frame.

The binary is called directly (no Python wrapper) with the image on stdin, so
no temporary files are written. Multi-page TIFFs give one page per frame.
"""

from __future__ import annotations

import functools
import io
import logging
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from .errors import ExtractionError, failure_detail
from .model import Extraction, ExtractionRequest, Page
from .page_range import select_pages

logger = logging.getLogger(__name__)

MISSING_TESSERACT = (
    "OCR needs the tesseract binary: install it (Debian/Ubuntu: apt-get install "
    "tesseract-ocr; macOS: brew install tesseract)"
)
# API language codes (ISO 639-1) to Tesseract traineddata names.
TESSERACT_LANGUAGES = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por",
    "nl": "nld", "pl": "pol", "cs": "ces", "sv": "swe", "da": "dan", "no": "nor",
    "fi": "fin", "ru": "rus", "uk": "ukr", "tr": "tur", "el": "ell", "ar": "ara",
    "he": "heb", "hi": "hin", "ja": "jpn", "ko": "kor", "zh": "chi_sim",
}  # fmt: skip
# A page that takes longer than this is not going to finish usefully.
OCR_TIMEOUT_SECONDS = 300


def extract_image(path: Path, request: ExtractionRequest) -> Extraction:
    """OCR the selected frames of an image file.

    Raises:
        ExtractionError: the image is unreadable, tesseract is missing or fails,
            or the range selects no frame.
    """
    # The image is checked first, so a damaged file is reported as such even
    # on a machine without tesseract.
    with _open(path) as image:
        frame_count = getattr(image, "n_frames", 1)
        selected = select_pages(request.page_range, frame_count)
        executable = shutil.which("tesseract")
        if executable is None:
            raise ExtractionError(MISSING_TESSERACT)
        tesseract_languages = choose_languages(request.languages, installed_languages(executable))
        pages = [
            Page(number, ocr(executable, _frame_png(image, number), tesseract_languages))
            for number in selected
        ]
    return Extraction(pages=pages, page_count=frame_count, language=request.language)


def choose_languages(requested: Sequence[str], installed: frozenset[str]) -> str:
    """Map API language codes to a Tesseract ``-l`` value, keeping installed ones.

    Legacy Tesseract codes (``eng``, ``deu``) are accepted as they are. Falls
    back to ``eng`` when none of the requested languages is installed.
    """
    chosen: list[str] = []
    for code in requested:
        name = TESSERACT_LANGUAGES.get(code.lower(), code.lower())
        if name in installed and name not in chosen:
            chosen.append(name)
        else:
            logger.warning("OCR language %r is not installed for tesseract; skipping it", code)
    return "+".join(chosen) or "eng"


@functools.lru_cache(maxsize=4)
def installed_languages(executable: str) -> frozenset[str]:
    """Ask tesseract which traineddata files it has (cached per executable)."""
    # Fixed argument list and no shell: nothing from the user reaches a command line.
    result = subprocess.run(  # noqa: S603
        [executable, "--list-langs"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    # The first line is a header naming the tessdata folder.
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def ocr(executable: str, png: bytes, languages: str) -> str:
    """Run tesseract on one PNG image and return its text.

    Raises:
        ExtractionError: tesseract failed or timed out.
    """
    try:
        # No shell; the image travels on stdin and languages are checked against
        # tesseract's own list, so user input never becomes a command-line word.
        result = subprocess.run(  # noqa: S603
            [executable, "stdin", "stdout", "-l", languages],
            input=png,
            capture_output=True,
            timeout=OCR_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(
            f"OCR took longer than {OCR_TIMEOUT_SECONDS} s on one page: "
            "upload a smaller or lower-resolution image"
        ) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise ExtractionError(f"OCR failed: tesseract said {' '.join(detail) or 'nothing'}")
    # Tesseract ends every page with a form feed.
    return result.stdout.decode("utf-8", "replace").replace("\f", "").strip()


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


def _frame_png(image: Image.Image, number: int) -> bytes:
    try:
        frame = ImageSequence.Iterator(image)[number - 1]
        out = io.BytesIO()
        _on_white(frame).save(out, format="PNG")
    except (OSError, ValueError, EOFError) as exc:
        raise ExtractionError(
            f"image frame {number} is damaged ({exc}): export the image again and upload it"
        ) from exc
    return out.getvalue()


def _on_white(frame: Image.Image) -> Image.Image:
    # Transparent pixels often hide black RGB values; without a white backdrop
    # the text would vanish into a black page. Greyscale is what tesseract uses anyway.
    rgba = frame.convert("RGBA")
    backdrop = Image.new("RGBA", rgba.size, "white")
    return Image.alpha_composite(backdrop, rgba).convert("L")
