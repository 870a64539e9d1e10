"""A `file_type` override, end to end: the client sends it, the local server honours it."""

from __future__ import annotations

from pathlib import Path

import pytest

from byteit import LocalFileInputConnector
from byteit_server.samples import invoice_pdf, notes_txt

from .conftest import Client, Run

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("name", "content", "file_type", "expected"),
    [
        ("document.xyz", invoice_pdf(), "pdf", "Invoice number"),
        ("scan", notes_txt().encode(), "txt", "Meeting notes"),
    ],
)
def test_a_file_whose_name_does_not_say_its_type_is_extracted_as_the_override(
    client: Client,
    run: Run,
    tmp_path: Path,
    name: str,
    content: bytes,
    file_type: str,
    expected: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    connector = LocalFileInputConnector(path, file_type=file_type)

    job = run(client.create_job(connector))
    finished = run(client.wait_for_job(job.id, max_wait_time=60))
    text = run(client.get_job_result(job.id))

    assert finished.is_completed, finished.processing_error
    assert finished.metadata is not None
    assert (finished.metadata.original_filename, finished.metadata.document_type) == (
        name,
        file_type,
    )
    assert isinstance(text, bytes)
    assert expected in text.decode()


def test_process_document_takes_the_override_as_the_readme_writes_it(
    client: Client, run: Run, tmp_path: Path
) -> None:
    (tmp_path / "document.xyz").write_bytes(invoice_pdf())
    connector = LocalFileInputConnector(str(tmp_path / "document.xyz"), file_type="pdf")

    text = run(client.process_document(input_connector=connector, max_wait_time=60))

    assert isinstance(text, bytes)
    assert "Invoice number" in text.decode()
