"""OCR with tesserocr: seconds per image, the cost of a fresh API, and exactness on clean text.

Reads the sample scan (``byteit_server.samples.scan_png``) with the worker's shared
API, then with a new API per image, as a worker that kept none would. Exactness:
lines of the samples' own text (English and German), printed in DejaVu Sans at
three sizes, read back one image per line. Target: the sample scan exact, at most
0.1 s per image, and a fresh API at least twice as slow.
"""

from __future__ import annotations

import io
import statistics
import time

import tesserocr  # type: ignore[import-untyped]
from PIL import Image, ImageDraw

from byteit_server.extraction import ocr
from byteit_server.samples import IMAGE_TEXT, INVOICE_LINES, TABLE_ROWS, printing_font, scan_png

ROUNDS = 20
SIZES = (16, 24, 32)
ENGLISH = [
    *IMAGE_TEXT,
    *(f"{label}: {value}" for label, value in INVOICE_LINES),
    *(" ".join(row) for row in TABLE_ROWS),
    "Attendees: Zoe, Bjorn, Amelie",
    "The quick brown fox jumps over the lazy dog 0123456789.",
    "Payment within 30 days to IBAN DE44 5001 0517 5407 3249 31.",
]
GERMAN = [
    "Rechnungsnummer: 2024-0042 vom 15.03.2024",
    "Größe und Übermaß der Lieferung prüfen",
    "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
    "Straße, Hausnummer, Postleitzahl und Ort",
]


def _seconds_per_image(read: object, image: Image.Image) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        read(image)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fresh_api_read(image: Image.Image) -> str:
    with tesserocr.PyTessBaseAPI(path=ocr.tesserocr_data_dir(), lang="eng") as api:
        api.SetImage(image)
        return str(api.GetUTF8Text()).strip()


def _line_image(text: str, size: int) -> Image.Image:
    font = printing_font(size)
    width = int(font.getlength(text)) + 2 * size
    image = Image.new("L", (width, 3 * size), 255)
    ImageDraw.Draw(image).text((size, size), text, fill=0, font=font)
    return image


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        previous = current
    return previous[-1]


def _exactness(lines: list[str], models: str, size: int) -> tuple[int, float]:
    exact = errors = characters = 0
    for line in lines:
        text = ocr.read_with_tesserocr(_line_image(line, size), models)
        exact += text == line
        errors += _distance(text, line)
        characters += len(line)
    return exact, errors / characters


def main() -> None:
    scan = Image.open(io.BytesIO(scan_png())).convert("L")
    assert ocr.read_with_tesserocr(scan, "eng").splitlines() == list(IMAGE_TEXT)
    shared = _seconds_per_image(lambda image: ocr.read_with_tesserocr(image, "eng"), scan)
    fresh = _seconds_per_image(_fresh_api_read, scan)
    print(f"ocr: sample scan read exactly; {shared:.3f} s per image with the worker's API")
    print(f"ocr: a fresh API per image takes {fresh:.3f} s, ratio {fresh / shared:.1f}")
    for lines, models in ((ENGLISH, "eng"), (GERMAN, "deu")):
        for size in SIZES:
            exact, error_rate = _exactness(lines, models, size)
            print(
                f"ocr: {models} at {size} px: {exact}/{len(lines)} lines exact, "
                f"character error rate {error_rate:.1%}"
            )


if __name__ == "__main__":
    main()
