"""Which OCR engine reads an image, and one function per engine that runs it.

Both engines run Tesseract models:

- ``tesserocr``: libtesseract bundled in the tesserocr wheel (the ``server``
  extra), reading the models of the ``tessdata.fast-*`` packages. pip alone
  installs it; nothing is downloaded at run time.
- ``tesseract``: the system binary, which may have more languages.

``auto`` takes the system binary when it is on PATH and has the requested
languages, else tesserocr. :func:`find_engine` decides; :func:`read_with_tesserocr`
and :func:`read_with_tesseract` read one greyscale image.
"""

from __future__ import annotations

import functools
import io
import logging
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from .errors import ExtractionError

__all__ = [
    "ENGINE_CHOICES",
    "OCR_TIMEOUT_SECONDS",
    "TESSERACT_MODELS",
    "OcrEngine",
    "find_engine",
    "model_name",
    "read_with_tesseract",
    "read_with_tesserocr",
]

logger = logging.getLogger(__name__)

# byteit_server.config keeps the same names for the command line (a test checks it);
# importing it here would load the client package into every worker process.
ENGINE_CHOICES = ("auto", "tesserocr", "tesseract")
# API language codes (ISO 639-1) to Tesseract model names; other codes pass as they are.
TESSERACT_MODELS = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por",
    "nl": "nld", "pl": "pol", "cs": "ces", "sv": "swe", "da": "dan", "no": "nor",
    "fi": "fin", "ru": "rus", "uk": "ukr", "tr": "tur", "el": "ell", "ar": "ara",
    "he": "heb", "hi": "hin", "ja": "jpn", "ko": "kor", "zh": "chi_sim",
}  # fmt: skip
# A page that takes longer than this is not going to finish usefully.
OCR_TIMEOUT_SECONDS = 300
NO_ENGINE = (
    "OCR needs an engine: pip install 'byteit[server]' brings tesserocr on Linux (x86_64, "
    "aarch64) and Windows; elsewhere install the tesseract binary (Debian/Ubuntu: apt-get "
    "install tesseract-ocr; macOS: brew install tesseract)"
)
NO_TESSERACT = (
    "the OCR engine 'tesseract' needs the tesseract binary on PATH: install it (Debian/Ubuntu: "
    "apt-get install tesseract-ocr; macOS: brew install tesseract) or use --ocr-engine tesserocr"
)
NO_TESSEROCR = (
    "the OCR engine 'tesserocr' is not installed: pip install 'byteit[server]' (wheels exist "
    "for Linux x86_64 and aarch64, and Windows) or use --ocr-engine tesseract"
)


@dataclass(frozen=True)
class OcrEngine:
    """An engine that is present: its name, the models it has, and the binary it runs.

    ``executable`` is None for tesserocr, whose models live in ``data_dir``.
    """

    name: str
    installed: frozenset[str]
    executable: str | None = None
    data_dir: str | None = None

    def read(self, image: Image.Image, models: str) -> str:
        """The text of a greyscale image, read with ``models`` (``"deu+eng"``)."""
        if self.executable is not None:
            return read_with_tesseract(self.executable, image, models)
        return read_with_tesserocr(image, models)


def model_name(code: str) -> str:
    """The Tesseract model for an API language code (``en`` gives ``eng``; ``eng`` stays)."""
    return TESSERACT_MODELS.get(code.lower(), code.lower())


def find_engine(choice: str, models: Sequence[str]) -> OcrEngine:
    """The engine that reads ``models``: the one chosen, or for ``auto`` the first that has them.

    Raises:
        ExtractionError: the chosen engine is missing, or lacks one of ``models``;
            the message says what to install.
    """
    candidates = _present_engines(choice)
    if not candidates:
        advice = {"tesserocr": NO_TESSEROCR, "tesseract": NO_TESSERACT}
        raise ExtractionError(advice.get(choice, NO_ENGINE))
    for engine in candidates:
        if all(model in engine.installed for model in models):
            logger.debug("OCR with %s (%s) for %s", engine.name, choice, "+".join(models))
            return engine
        logger.debug("%s lacks one of %s; trying the next engine", engine.name, "+".join(models))
    first = candidates[0]
    missing = next(model for model in models if model not in first.installed)
    raise ExtractionError(_missing_model_message(first, missing))


def _present_engines(choice: str) -> list[OcrEngine]:
    engines = []
    if choice in ("auto", "tesseract") and (executable := shutil.which("tesseract")):
        engines.append(OcrEngine("tesseract", tesseract_models(executable), executable=executable))
    if choice in ("auto", "tesserocr") and (data_dir := tesserocr_data_dir()):
        engines.append(OcrEngine("tesserocr", tesserocr_models(data_dir), data_dir=data_dir))
    return engines


def _missing_model_message(engine: OcrEngine, model: str) -> str:
    have = ", ".join(sorted(engine.installed - {"osd"})) or "none"
    package = "tesseract-ocr-" + model.replace("_", "-")
    if engine.executable is None:
        how = (
            f"add {model}.traineddata to {engine.data_dir} (pip install tessdata.fast-{model} "
            "where that package exists), or install tesseract with that language (Debian/Ubuntu: "
            f"apt-get install tesseract-ocr {package}), which --ocr-engine auto then uses"
        )
    else:
        how = f"install tesseract with that language (Debian/Ubuntu: apt-get install {package})"
    return f"OCR language {model!r} is not installed ({engine.name} has {have}): {how}"


# The system binary -----------------------------------------------------------


@functools.lru_cache(maxsize=4)
def tesseract_models(executable: str) -> frozenset[str]:
    """Ask tesseract which models it has (cached per executable)."""
    # Fixed argument list and no shell: nothing from the user reaches a command line.
    result = subprocess.run(  # noqa: S603
        [executable, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    # The first line is a header naming the tessdata folder.
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def read_with_tesseract(executable: str, image: Image.Image, models: str) -> str:
    """Run the tesseract binary on one image and return its text.

    Raises:
        ExtractionError: tesseract failed or timed out.
    """
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        # No shell; the image travels on stdin and the models were checked against
        # tesseract's own list, so user input never becomes a command-line word.
        result = subprocess.run(  # noqa: S603
            [executable, "stdin", "stdout", "-l", models],
            input=png.getvalue(),
            capture_output=True,
            timeout=OCR_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(_TOO_SLOW) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise ExtractionError(f"OCR failed: tesseract said {' '.join(detail) or 'nothing'}")
    # Tesseract ends every page with a form feed.
    return result.stdout.decode("utf-8", "replace").replace("\f", "").strip()


_TOO_SLOW = (
    f"OCR took longer than {OCR_TIMEOUT_SECONDS} s on one page: "
    "upload a smaller or lower-resolution image"
)


# tesserocr (libtesseract in-process) ----------------------------------------


@functools.lru_cache(maxsize=1)
def tesserocr_data_dir() -> str | None:
    """Where the ``tessdata.*`` packages put their models, or None without tesserocr."""
    try:
        import tessdata  # noqa: PLC0415 (optional extra)
        import tesserocr  # noqa: PLC0415, F401 (the engine itself)
    except ImportError:
        return None
    return str(tessdata.data_path())


@functools.lru_cache(maxsize=4)
def tesserocr_models(data_dir: str) -> frozenset[str]:
    """The models in ``data_dir`` (cached per folder)."""
    import tesserocr  # noqa: PLC0415 (optional extra)

    _path, models = tesserocr.get_languages(data_dir)
    return frozenset(models)


def read_with_tesserocr(image: Image.Image, models: str) -> str:
    """Read one image with this process's tesserocr API for ``models``.

    Raises:
        ExtractionError: recognition timed out.
    """
    engine = _tesserocr_api(models)
    # One API object is not safe to share between threads: they take turns.
    with engine.lock:
        engine.api.SetImage(image)
        if not engine.api.Recognize(timeout=OCR_TIMEOUT_SECONDS * 1000):
            raise ExtractionError(_TOO_SLOW)
        text: str = engine.api.GetUTF8Text()
    return text.strip()


@dataclass(frozen=True)
class _SharedApi:
    api: Any  # tesserocr.PyTessBaseAPI
    lock: threading.Lock


@functools.lru_cache(maxsize=4)
def _tesserocr_api(models: str) -> _SharedApi:
    # Loading the models takes about three times as long as reading a page, so each
    # worker process keeps one API per language set instead of one per image.
    import tesserocr  # noqa: PLC0415 (optional extra)

    data_dir = tesserocr_data_dir()
    logger.debug("loading tesserocr models %s from %s", models, data_dir)
    api = tesserocr.PyTessBaseAPI(path=data_dir, lang=models)
    return _SharedApi(api, threading.Lock())
