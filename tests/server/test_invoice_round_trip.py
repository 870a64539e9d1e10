"""A realistic pydantic ``Invoice`` round-trips on the sample invoice, offline.

The sample invoice PDF has labelled fields on page 1 and a ruled table of line
items on page 2; the extract heuristic fills the model's schema (as pydantic
writes it, with ``$defs`` and ``$ref``) from both, through a real extract job.
"""

from __future__ import annotations

import datetime

import httpx
from pydantic import BaseModel, Field

from byteit_server.samples import invoice_pdf

from .helpers import create_job, wait_for


class Party(BaseModel):
    name: str | None = None
    address: str | None = None


class LineItem(BaseModel):
    description: str | None = None
    quantity: int | None = None
    unit_price: float | None = None
    amount: float | None = None


class Invoice(BaseModel):
    number: str | None = Field(None, description="Invoice number")
    date: datetime.date | None = Field(None, description="Invoice date")
    vendor: Party | None = None
    customer: Party | None = None
    total: float | None = Field(None, description="Total amount due")
    line_items: list[LineItem] | None = None


EXPECTED = Invoice(
    number="INV-2024-0042",
    date=datetime.date(2024, 3, 15),
    vendor=Party(name="Northwind Supplies GmbH", address="Hauptstrasse 5, 10115 Berlin"),
    customer=Party(name="Acme Widgets Ltd"),
    total=1234.5,
    line_items=[
        LineItem(description="Widget", quantity=30, unit_price=25.0, amount=750.0),
        LineItem(description="Gadget", quantity=10, unit_price=45.5, amount=455.0),
        LineItem(description="Shipping", quantity=1, unit_price=29.5, amount=29.5),
    ],
)


def test_the_invoice_model_round_trips_on_the_sample_invoice(api: httpx.Client) -> None:
    parse_job_id = create_job(api, "invoice.pdf", invoice_pdf())
    body = {"parse_job_id": parse_job_id, "schema": Invoice.model_json_schema()}
    job_id = api.post("/v1/jobs/extract-jobs/", json=body).json()["extract_job"]["id"]
    wait_for(api, job_id)
    result = api.get(f"/v1/jobs/extract-jobs/{job_id}/result/").json()["result"]
    assert Invoice.model_validate(result) == EXPECTED
    assert sum(item.amount or 0 for item in EXPECTED.line_items or []) == EXPECTED.total
