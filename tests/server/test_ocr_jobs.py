"""OCR jobs: the server's --ocr-engine reaches its worker processes, and failures are clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from byteit_server.extraction.ocr import NO_TESSERACT
from byteit_server.samples import IMAGE_TEXT, scan_png

from .helpers import create_job, wait_for


@pytest.fixture
def without_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No tesseract on PATH, for the server and the worker processes it spawns."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


@pytest.mark.usefixtures("without_binary")
def test_the_ocr_engine_option_reaches_the_workers(byteit_server_factory, connect) -> None:
    reading = connect(byteit_server_factory(ocr_engine="tesserocr"))
    refusing = connect(byteit_server_factory(ocr_engine="tesseract"))

    read = create_job(reading, "scan.png", scan_png())
    refused = create_job(refusing, "scan.png", scan_png())

    assert wait_for(reading, read)["processing_status"] == "completed"
    text = reading.get(f"/v1/jobs/parse-jobs/{read}/result/").text
    assert all(line in text for line in IMAGE_TEXT)
    assert wait_for(refusing, refused)["processing_status"] == "failed"
    job = refusing.get(f"/v1/jobs/parse-jobs/{refused}/").json()["parse_job"]
    assert job["processing_error"] == NO_TESSERACT


@pytest.mark.usefixtures("without_binary")
def test_a_language_that_is_not_installed_fails_the_job_naming_what_to_install(
    byteit_server_factory, connect
) -> None:
    client = connect(byteit_server_factory())
    options = json.dumps({"languages": ["fr"]})

    job_id = create_job(client, "scan.png", scan_png(), processing_options=options)

    assert wait_for(client, job_id)["processing_status"] == "failed"
    error = client.get(f"/v1/jobs/parse-jobs/{job_id}/").json()["parse_job"]["processing_error"]
    assert error.startswith("OCR language 'fra' is not installed (tesserocr has deu, eng): ")
    assert "pip install tessdata.fast-fra" in error
