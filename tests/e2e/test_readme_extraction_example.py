"""The README's "Structured extraction" example, as written there, runs against the local
server and does what it says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- readme-example: structured-extraction"


def invoice_text(number: int) -> str:
    return (
        f"Invoice number: INV-{number}\nDate: 2026-03-1{number}\nName: ACME Tools GmbH\n"
        f"City: Berlin\nTags: urgent, q1\nTotal: {number}00.50\nCurrency: EUR\n"
    )


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER) :]
    match = re.search(r"```python\n(.*?)```", after, re.DOTALL)
    assert match is not None, "the README's structured-extraction example is missing"
    return match.group(1)


def test_the_readme_structured_extraction_example_runs(
    byteit_server: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BYTEIT_API_KEY", byteit_server.api_key)
    monkeypatch.setenv("BYTEIT_BASE_URL", byteit_server.base_url)
    Path("invoice.txt").write_text(invoice_text(1))
    Path("inbox").mkdir()
    for number in (2, 3):
        Path(f"inbox/invoice{number}.txt").write_text(invoice_text(number))

    code = compile(readme_example(), "README.md", "exec", dont_inherit=True)  # as a user runs it
    exec(code, {"__name__": "readme"})

    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("ACME Tools GmbH 100.5 ")
    assert printed[1] == "EUR"
    for number in (2, 3):
        written = json.loads(Path(f"out/invoice{number}.txt.extract.json").read_text())
        assert written["invoice_number"] == f"INV-{number}"
        assert written["vendor"] == {"name": "ACME Tools GmbH", "city": "Berlin"}
