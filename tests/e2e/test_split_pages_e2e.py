"""split_pages against the local server: the merged result is byte for byte one job's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from byteit_server import EmbeddedServer

from .conftest import Client, OpenClient, Run
from .pdfs import write_pdf
from .split_helpers import FLAKY_RANGE, fail_pages_4_to_6_once

pytestmark = pytest.mark.e2e

FAST = {"poll_interval": 0.05, "max_wait_time": 120}


def page_ranges(client: Client, run: Run, name: str) -> list[str]:
    jobs = run(client.list_jobs()).jobs
    return sorted(
        str(job.processing_options.get("page_range", ""))
        for job in jobs
        if job.metadata and job.metadata.original_filename == name
    )


@pytest.mark.parametrize("output_format", ["txt", "json", "md", "html"])
def test_a_split_pdf_gives_the_bytes_of_one_job(
    client: Client, run: Run, tmp_path: Path, flavour: str, output_format: str
) -> None:
    pdf = write_pdf(tmp_path / f"split-{flavour}-{output_format}.pdf")
    options = {"output_format": output_format}
    whole = run(client.process_document(pdf, processing_options=options, **FAST))
    split = run(client.process_document(pdf, processing_options=options, split_pages=4, **FAST))
    assert split == whole
    assert page_ranges(client, run, pdf.name) == ["", "1-4", "5-8", "9"]


def test_the_users_page_range_is_honoured_within_the_split(
    client: Client, run: Run, tmp_path: Path, flavour: str
) -> None:
    pdf = write_pdf(tmp_path / f"ranged-{flavour}.pdf")
    options = {"output_format": "md", "page_range": "2-3,5,7-9"}
    whole = run(client.process_document(pdf, processing_options=options, **FAST))
    split = run(client.process_document(pdf, processing_options=options, split_pages=2, **FAST))
    assert split == whole
    assert b"<!-- page 5 -->" in split
    assert b"Chapter 4" not in split
    assert page_ranges(client, run, pdf.name) == ["2-3", "2-3,5,7-9", "5,7", "8-9"]


def test_process_documents_splits_into_output_dir(
    client: Client, run: Run, tmp_path: Path, flavour: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    big = write_pdf(folder / f"big-{flavour}.pdf")
    small = write_pdf(folder / f"small-{flavour}.pdf", pages=2)
    out = tmp_path / "out"
    results = run(
        client.process_documents([folder], output_dir=out, split_pages=3, poll_interval=0.05)
    )
    assert [r.ok for r in results] == [True, True]
    whole = run(client.process_document(big, **FAST))
    assert (out / f"{big.name}.txt").read_bytes() == whole
    assert (out / f"{small.name}.txt").read_bytes().startswith(b"Chapter 1")
    assert page_ranges(client, run, big.name) == ["", "1-3", "4-6", "7-9"]


def test_a_failed_chunk_is_retried_alone(
    byteit_server_factory: Any, open_client: OpenClient, run: Run, tmp_path: Path
) -> None:
    server: EmbeddedServer = byteit_server_factory(extract=fail_pages_4_to_6_once, workers=4)
    pdf = write_pdf(tmp_path / "flaky.pdf")
    with open_client(server) as client:
        split = run(client.process_document(pdf, split_pages=3, **FAST))
        whole = run(client.process_document(pdf, **FAST))
        assert split == whole
        ranges = page_ranges(client, run, pdf.name)
    assert ranges == ["", "1-3", FLAKY_RANGE, FLAKY_RANGE, "7-9"]
