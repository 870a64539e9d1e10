"""The vendor's own client, byteit 1.3.0, against our local server.

It runs from its own venv (``make install`` builds ``.venv-vendor/``), as a
subprocess whose every connection beyond 127.0.0.1 is refused and reported: a
request elsewhere fails the test (see ``byteit_server.vendor_peer``). Its
waits are capped at 20 ms, so the test does not sit through its 1 to 10 s polls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from byteit_server import EmbeddedServer
from byteit_server.samples import invoice_pdf, notes_txt
from byteit_server.vendor_peer import VendorRunError, run_vendor, vendor_python

PYTHON = vendor_python()
pytestmark = pytest.mark.skipif(
    PYTHON is None,
    reason="the vendor's client byteit==1.3.0 is not installed in .venv-vendor/ "
    "(run `make install`, or set BYTEIT_VENDOR_VENV to a venv that has it)",
)

INVOICE = {
    "number": "INV-2024-0042",
    "date": "2024-03-15",
    "vendor": {"name": "Northwind Supplies GmbH", "address": "Hauptstrasse 5, 10115 Berlin"},
    "customer": {"name": "Acme Widgets Ltd", "address": None},
    "total": 1234.5,
    "line_items": [
        {"description": "Widget", "quantity": 30, "unit_price": 25.0, "amount": 750.0},
        {"description": "Gadget", "quantity": 10, "unit_price": 45.5, "amount": 455.0},
        {"description": "Shipping", "quantity": 1, "unit_price": 29.5, "amount": 29.5},
    ],
}


@pytest.fixture(scope="module")
def answer(
    byteit_server: EmbeddedServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """One run of the vendor's client through extract, saved schemas and custom jobs."""
    assert PYTHON is not None
    folder = tmp_path_factory.mktemp("vendor")
    (folder / "invoice.pdf").write_bytes(invoice_pdf())
    (folder / "notes.txt").write_text(notes_txt(), encoding="utf-8")
    arguments = {
        "base_url": byteit_server.base_url,
        "api_key": byteit_server.api_key,
        "invoice": str(folder / "invoice.pdf"),
        "notes": str(folder / "notes.txt"),
        "max_sleep": 0.02,
    }
    return run_vendor(PYTHON, "compat", arguments, timeout=300)


def test_parse_and_extract(answer: dict[str, Any]) -> None:
    assert answer["parse_txt"] == notes_txt()
    assert answer["extract"] == INVOICE
    assert answer["extract_low"] == {"customer": "Acme Widgets Ltd"}
    assert answer["extract_result_again"] == {"customer": "Acme Widgets Ltd"}
    assert answer["extract_details"][1:] == ["low", "completed", 1]


def test_saved_schemas(answer: dict[str, Any]) -> None:
    assert answer["schema_saved"] == ["team/invoice v1", True]
    assert "already exists with different content" in answer["schema_conflict"]
    assert "team/invoice v1" in answer["schema_names"]
    assert answer["schema_extract"] == INVOICE
    assert answer["schema_after_delete"] == "not found"


def test_custom_jobs(answer: dict[str, Any]) -> None:
    assert answer["custom_shorthand"] == {"invoice_number": "INV-2024-0042"}
    # Over both documents' text, the notes' "Date:" names `date` itself, which beats
    # the invoice's "Invoice date:" (a match of its description): the heuristic's order.
    assert answer["custom_with_schema"] == {**INVOICE, "date": "2024-02-01"}
    assert answer["custom_markdown"].startswith("# Summarise the notes\n\n## notes.txt\n\n")
    assert "Next step: ship it" in answer["custom_markdown"]
    assert answer["custom_later"].startswith("## notes.txt")
    assert answer["custom_nicknames"][:3] == ["later", None, "march"]
    assert answer["custom_older_nicknames"][:2] == [None, "march"]
    assert answer["custom_march"] == [["invoice.pdf", "notes.txt"], ["pdf", "txt"], 4, 4]


def test_a_request_beyond_loopback_fails_the_run(byteit_server: EmbeddedServer) -> None:
    assert PYTHON is not None
    arguments = {"base_url": byteit_server.base_url, "api_key": byteit_server.api_key}
    with pytest.raises(VendorRunError, match=r"tried to reach \['192\.0\.2\.1'"):
        run_vendor(PYTHON, "probe", arguments, timeout=120)


def test_the_harness_finds_no_venv_where_there_is_none(tmp_path: Path) -> None:
    assert vendor_python({"BYTEIT_VENDOR_VENV": str(tmp_path)}) is None
