"""Structured extraction against the local server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from byteit import (
    ExtractionValidationError,
    JobProcessingError,
    ResourceNotFoundError,
    SavedSchema,
    ValidationError,
)

from .conftest import Client, Run

pytestmark = pytest.mark.e2e

INVOICE_TEXT = """Invoice number: INV-2041
Date: 2026-03-14
Name: ACME Tools GmbH
City: Berlin
Tags: urgent, hardware, q1
Total: 1,234.50
Currency: EUR
"""


class Vendor(BaseModel):
    name: str
    city: str | None = None


class Invoice(BaseModel):
    number: str = Field(alias="invoice_number")
    date: str
    vendor: Vendor
    tags: list[str]
    total: float


class Money(BaseModel):
    total: float
    currency: str


class Dated(BaseModel):
    date: str


@pytest.fixture
def invoice(tmp_path: Path) -> Path:
    path = tmp_path / "invoice.txt"
    path.write_text(INVOICE_TEXT)
    return path


def test_an_invoice_round_trips_into_a_model(client: Client, run: Run, invoice: Path) -> None:
    extraction = run(client.extract(invoice, Invoice, max_wait_time=60))
    assert extraction.data == Invoice(
        invoice_number="INV-2041",
        date="2026-03-14",
        vendor=Vendor(name="ACME Tools GmbH", city="Berlin"),
        tags=["urgent", "hardware", "q1"],
        total=1234.5,
    )
    assert extraction.job.is_completed
    assert extraction.job.input_job_id == extraction.parse_job_id
    assert extraction.credits == (extraction.job.credits_cost or 0) + 1  # one page parsed


def test_three_schemas_on_one_parse_parse_it_once(client: Client, run: Run, invoice: Path) -> None:
    nickname = f"three-{uuid.uuid4()}"
    first = run(client.extract(invoice, Invoice, nickname=nickname, max_wait_time=60))
    parse_job = run(client.get_job(first.parse_job_id))
    second = run(client.extract(parse_job, Money, nickname=nickname, max_wait_time=60))
    third = run(client.extract(parse_job.id, Dated, nickname=nickname, max_wait_time=60))
    assert (second.data, third.data) == (
        Money(total=1234.5, currency="EUR"),
        Dated(date="2026-03-14"),
    )
    parses = [job for job in run(client.list_jobs()) if job.nickname == nickname]
    assert [job.id for job in parses] == [first.parse_job_id]
    assert {second.parse_job_id, third.parse_job_id} == {first.parse_job_id}
    assert second.credits == second.job.credits_cost  # the parse was not this call's
    extracts = [job for job in run(client.list_extract_jobs()) if job.nickname == nickname]
    assert len(extracts) == 3


def test_saved_schemas_save_list_use_and_delete(client: Client, run: Run, invoice: Path) -> None:
    name = f"money/{uuid.uuid4()} v1"
    saved = run(client.save_schema(name, Money))
    assert run(client.save_schema(name, Money)) == saved  # the same content: a no-op
    with pytest.raises(ValidationError, match="other content"):
        run(client.save_schema(name, Dated))
    assert saved in run(client.list_schemas())
    assert run(client.get_schema(name)) == saved
    extraction = run(client.extract(invoice, name, max_wait_time=60))
    assert extraction.data == {"total": 1234.5, "currency": "EUR"}
    same = run(client.extract(invoice, SavedSchema(name=name, schema_json=saved.schema_json)))
    assert same.data == extraction.data
    run(client.delete_schema(name))
    with pytest.raises(ResourceNotFoundError):
        run(client.get_schema(name))
    with pytest.raises(ResourceNotFoundError):
        run(client.delete_schema(name))


def test_data_that_does_not_match_raises_and_keeps_the_raw_data(
    client: Client, run: Run, invoice: Path
) -> None:
    class Shipping(BaseModel):
        tracking_number: str

    with pytest.raises(ExtractionValidationError) as caught:
        run(client.extract(invoice, Shipping, max_wait_time=60))
    assert caught.value.raw == {"tracking_number": None}
    assert run(client.get_extract_job(caught.value.job_id)).is_completed
    unchecked = run(client.extract(invoice, Shipping, validate=False, max_wait_time=60))
    assert unchecked.data == {"tracking_number": None}


def test_a_dict_schemas_data_is_checked_as_json_schema(
    client: Client, run: Run, invoice: Path
) -> None:
    schema = {
        "type": "object",
        "properties": {"total": {"type": "number"}, "po": {"type": "string"}},
    }
    with pytest.raises(ExtractionValidationError, match="at po: None is not of type 'string'"):
        run(client.extract(invoice, schema, max_wait_time=60))


def test_extracting_from_a_failed_parse_raises_its_reason(
    client: Client, run: Run, tmp_path: Path
) -> None:
    corrupt = tmp_path / "broken.pdf"
    corrupt.write_bytes(b"%PDF-1.7 this is not really a pdf")
    with pytest.raises(JobProcessingError) as caught:
        run(client.extract(corrupt, Money, max_wait_time=60))
    assert caught.value.processing_error
    with pytest.raises(JobProcessingError):
        run(client.extract(caught.value.job_id, Money, max_wait_time=60))


def test_an_unknown_parse_job_id_is_not_found(client: Client, run: Run) -> None:
    with pytest.raises(ResourceNotFoundError, match="No parse job"):
        run(client.extract("no-such-parse-job", Money))


def test_the_lower_level_extract_calls(client: Client, run: Run, invoice: Path) -> None:
    parse = run(client.create_job(invoice))
    run(client.wait_for_job(parse.id, max_wait_time=60))
    job = run(client.create_extract_job(parse.id, Money, complexity="low"))
    done = run(client.wait_for_extract_job(job.id, max_wait_time=60))
    assert done.extraction_complexity == "low"
    assert run(client.get_extract_result(job.id)) == {"total": 1234.5, "currency": "EUR"}


# --- custom jobs ---------------------------------------------------------------------------


def test_a_custom_job_with_a_model_reads_every_document(
    client: Client, run: Run, invoice: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Currency: EUR\n")
    nickname = f"custom-{uuid.uuid4()}"
    extraction = run(
        client.custom_job([invoice, notes], Money, nickname=nickname, max_wait_time=60)
    )
    assert extraction.data == Money(total=1234.5, currency="EUR")
    assert extraction.parse_job_id is None
    assert extraction.job.file_names == ["invoice.txt", "notes.txt"]
    assert extraction.credits == extraction.job.credits_cost == 2  # one page each
    again = run(client.get_custom_job(extraction.job.id))
    assert again.is_completed
    listed = [job.id for job in run(client.list_custom_jobs()) if job.nickname == nickname]
    assert listed == [extraction.job.id]


def test_a_custom_job_without_a_schema_is_the_documents_markdown_under_the_prompt(
    client: Client, run: Run, invoice: Path
) -> None:
    text = run(client.custom_job(invoice, user_prompt="Summarise", max_wait_time=60))
    assert text.startswith("# Summarise\n")
    assert "## invoice.txt" in text
    assert "INV-2041" in text
