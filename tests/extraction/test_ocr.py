"""Which OCR engine reads an image, languages to models, and tesserocr's shared API.

A stand-in ``tesseract`` script on PATH plays the system binary, so the choice
between the engines is tested on machines without it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import tesserocr
from PIL import Image, ImageDraw

from byteit._languages import TESSERACT_TO_ISO
from byteit_server.config import OCR_ENGINES
from byteit_server.extraction import ExtractionError, extract_document, ocr
from byteit_server.samples import IMAGE_TEXT, printing_font

FAKE_TESSERACT = """#!{python}
import sys
if sys.argv[1:] == ["--list-langs"]:
    print('List of available languages in "/fake/tessdata/" ({count}):')
    print("\\n".join({models!r}))
    sys.exit(0)
image = sys.stdin.buffer.read()
if {fail!r} or not image.startswith(b"\\x89PNG"):
    sys.exit("Error: the fake tesseract refuses this image")
print("FAKE TESSERACT " + sys.argv[sys.argv.index("-l") + 1], end="\\f")
"""


def fake_tesseract(folder: Path, models: tuple[str, ...], *, fail: bool = False) -> Path:
    """A ``tesseract`` script in ``folder`` that knows ``models`` and echoes its ``-l``."""
    folder.mkdir(exist_ok=True)
    script = folder / "tesseract"
    text = FAKE_TESSERACT.format(
        python=sys.executable, count=len(models), models=list(models), fail=fail
    )
    script.write_text(text)
    script.chmod(0o755)
    return script


@pytest.fixture
def with_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in binary, knowing eng and osd, is the only tesseract on PATH."""
    script = fake_tesseract(tmp_path / "bin", ("eng", "osd"))
    monkeypatch.setenv("PATH", str(script.parent))
    return script


@pytest.fixture
def without_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No tesseract binary on PATH."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


@pytest.fixture
def without_tesserocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """tesserocr as on a platform without its wheels."""
    monkeypatch.setattr(ocr, "tesserocr_data_dir", lambda: None)


@pytest.mark.usefixtures("with_binary")
def test_auto_prefers_the_system_binary(samples: dict[str, Path]) -> None:
    assert extract_document(samples["scan.png"], "png").pages[0].text == "FAKE TESSERACT eng"


@pytest.mark.usefixtures("with_binary")
def test_auto_takes_tesserocr_when_the_binary_lacks_a_language(samples: dict[str, Path]) -> None:
    text = extract_document(samples["scan.png"], "png", languages=["de", "en"]).pages[0].text

    assert text.splitlines() == list(IMAGE_TEXT)


@pytest.mark.usefixtures("without_binary")
def test_auto_takes_tesserocr_without_the_binary(samples: dict[str, Path]) -> None:
    assert extract_document(samples["scan.png"], "png").pages[0].text.splitlines() == list(
        IMAGE_TEXT
    )


@pytest.mark.usefixtures("with_binary")
def test_the_tesserocr_choice_ignores_the_binary(samples: dict[str, Path]) -> None:
    text = extract_document(samples["scan.png"], "png", ocr_engine="tesserocr").pages[0].text

    assert text.splitlines() == list(IMAGE_TEXT)


@pytest.mark.usefixtures("without_tesserocr")
def test_the_binary_gets_the_image_and_every_model_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, samples: dict[str, Path]
) -> None:
    script = fake_tesseract(tmp_path / "bin", ("deu", "eng"))
    monkeypatch.setenv("PATH", str(script.parent))

    extraction = extract_document(samples["scan.png"], "png", languages=["de", "eng", "en"])

    assert extraction.pages[0].text == "FAKE TESSERACT deu+eng"


def test_a_failing_binary_is_a_job_failure_quoting_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, samples: dict[str, Path]
) -> None:
    script = fake_tesseract(tmp_path / "bin", ("eng",), fail=True)
    monkeypatch.setenv("PATH", str(script.parent))

    with pytest.raises(ExtractionError) as caught:
        extract_document(samples["scan.png"], "png", ocr_engine="tesseract")
    assert (
        str(caught.value)
        == "OCR failed: tesseract said Error: the fake tesseract refuses this image"
    )


@pytest.mark.usefixtures("without_binary")
def test_the_tesseract_choice_without_the_binary_says_what_to_do(
    samples: dict[str, Path],
) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_document(samples["scan.png"], "png", ocr_engine="tesseract")
    assert str(caught.value) == ocr.NO_TESSERACT
    assert "apt-get install tesseract-ocr" in ocr.NO_TESSERACT
    assert "--ocr-engine tesserocr" in ocr.NO_TESSERACT


@pytest.mark.usefixtures("with_binary", "without_tesserocr")
def test_without_tesserocr_auto_degrades_to_the_binary(samples: dict[str, Path]) -> None:
    assert extract_document(samples["scan.png"], "png").pages[0].text == "FAKE TESSERACT eng"


@pytest.mark.usefixtures("with_binary", "without_tesserocr")
def test_the_tesserocr_choice_without_tesserocr_says_what_to_do(
    samples: dict[str, Path],
) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_document(samples["scan.png"], "png", ocr_engine="tesserocr")
    assert str(caught.value) == ocr.NO_TESSEROCR
    assert "pip install 'byteit[server]'" in ocr.NO_TESSEROCR


@pytest.mark.usefixtures("without_binary", "without_tesserocr")
def test_no_engine_at_all_is_a_job_failure_naming_both_fixes(samples: dict[str, Path]) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_document(samples["scan.png"], "png")
    assert str(caught.value) == ocr.NO_ENGINE
    assert "pip install 'byteit[server]'" in ocr.NO_ENGINE
    assert "apt-get install tesseract-ocr" in ocr.NO_ENGINE


@pytest.mark.usefixtures("without_binary")
def test_a_language_tesserocr_lacks_fails_naming_what_to_install(
    samples: dict[str, Path],
) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_document(samples["scan.png"], "png", languages=["en", "fr"])
    message = str(caught.value)
    assert message.startswith("OCR language 'fra' is not installed (tesserocr has deu, eng): ")
    assert f"add fra.traineddata to {ocr.tesserocr_data_dir()}" in message
    assert "pip install tessdata.fast-fra" in message
    assert "apt-get install tesseract-ocr tesseract-ocr-fra" in message


@pytest.mark.usefixtures("with_binary")
def test_a_language_no_engine_has_names_the_first_engine_s_fix(samples: dict[str, Path]) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_document(samples["scan.png"], "png", languages=["zh"])
    assert str(caught.value) == (
        "OCR language 'chi_sim' is not installed (tesseract has eng): install tesseract with "
        "that language (Debian/Ubuntu: apt-get install tesseract-ocr-chi-sim)"
    )


def test_an_unknown_engine_choice_is_refused(samples: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="ocr_engine must be one of auto, tesserocr, tesseract"):
        extract_document(samples["scan.png"], "png", ocr_engine="easyocr")


def test_the_server_offers_the_engine_choices_the_extraction_knows() -> None:
    assert OCR_ENGINES == ocr.ENGINE_CHOICES


def test_api_language_codes_map_to_the_models_the_client_names() -> None:
    assert [ocr.model_name(code) for code in ("de", "EN", "zh", "deu", "xx")] == [
        "deu",
        "eng",
        "chi_sim",
        "deu",
        "xx",
    ]
    for code, model in ocr.TESSERACT_MODELS.items():
        assert TESSERACT_TO_ISO[model] == code


def test_a_tesserocr_api_is_made_once_per_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []

    def counting_api(**options: Any) -> Any:
        made.append(options["lang"])
        return real_api(**options)

    real_api = tesserocr.PyTessBaseAPI
    monkeypatch.setattr(tesserocr, "PyTessBaseAPI", counting_api)
    ocr._tesserocr_api.cache_clear()
    image = _word_image("ALPHA")

    texts = [ocr.read_with_tesserocr(image, models) for models in ("eng", "eng", "deu", "eng")]

    assert texts == ["ALPHA"] * 4
    assert made == ["eng", "deu"]
    ocr._tesserocr_api.cache_clear()


THREADS = """
import threading
from PIL import Image, ImageDraw
from byteit_server.extraction.ocr import read_with_tesserocr
from byteit_server.samples import printing_font

def image(word):
    picture = Image.new("L", (600, 160), 255)
    ImageDraw.Draw(picture).text((40, 40), word, fill=0, font=printing_font(64))
    return picture

words = ["ALPHA", "BRAVO", "CHARLIE", "DELTA"]
start, wrong = threading.Barrier(len(words)), []

def read(word):
    picture = image(word)
    start.wait()
    for _ in range(30):
        text = read_with_tesserocr(picture, "eng")
        if text != word:
            wrong.append((word, text))

threads = [threading.Thread(target=read, args=(word,)) for word in words]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(wrong)
"""


def test_threads_sharing_a_tesserocr_api_take_turns() -> None:
    """Unguarded, this crashes the process (SIGSEGV) within a few reads."""
    run = subprocess.run(
        [sys.executable, "-c", THREADS], capture_output=True, text=True, check=False
    )

    assert (run.returncode, run.stdout.strip()) == (0, "[]"), run.stderr


def test_a_tesserocr_timeout_is_a_job_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    class TimingOut:
        def SetImage(self, image: Image.Image) -> None:
            pass

        def Recognize(self, timeout: int) -> bool:
            assert timeout == ocr.OCR_TIMEOUT_SECONDS * 1000
            return False

    shared = ocr._SharedApi(TimingOut(), threading.Lock())
    monkeypatch.setattr(ocr, "_tesserocr_api", lambda models: shared)

    with pytest.raises(ExtractionError, match="OCR took longer than 300 s on one page"):
        ocr.read_with_tesserocr(_word_image("SLOW"), "eng")


def _word_image(word: str) -> Image.Image:
    image = Image.new("L", (600, 160), 255)
    ImageDraw.Draw(image).text((40, 40), word, fill=0, font=printing_font(64))
    return image
