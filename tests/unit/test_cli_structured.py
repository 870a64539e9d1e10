"""Reading the command line's ``--schema``, and the summary line with credits."""

from __future__ import annotations

import json
from pathlib import Path

import pydantic
import pytest

from byteit import ItemResult, ValidationError
from byteit._batch._budget import Credits
from byteit._cli_structured import load_schema, summary


def test_a_python_file_and_a_model_name_give_the_model(tmp_path: Path) -> None:
    models = tmp_path / "models.py"
    models.write_text("from pydantic import BaseModel\n\nclass Note(BaseModel):\n    n: int\n")
    model = load_schema(f"{models}:Note")
    assert isinstance(model, type)
    assert issubclass(model, pydantic.BaseModel)
    assert model.model_validate({"n": 1}).n == 1  # type: ignore[attr-defined]


def test_a_json_file_gives_its_schema(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    (tmp_path / "s.json").write_text(json.dumps(schema))
    assert load_schema(str(tmp_path / "s.json")) == schema


def test_anything_else_is_a_saved_schema_name() -> None:
    assert load_schema("invoices/v2") == "invoices/v2"


@pytest.mark.parametrize(
    ("content", "message"), [("[1, 2]", "a JSON Schema is an object"), ("{", "not JSON")]
)
def test_a_json_file_that_is_no_schema_is_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "s.json").write_text(content)
    with pytest.raises(ValidationError, match=message):
        load_schema(str(tmp_path / "s.json"))


def test_a_missing_json_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read it"):
        load_schema(str(tmp_path / "missing.json"))


def test_the_summary_says_what_was_spent() -> None:
    results = [ItemResult(0, "a", value=b""), ItemResult(1, "b", error=ValueError("x"))]
    assert summary(results, None, structured=False) == "1 extracted, 1 failed"
    assert (
        summary(results, Credits(parse=3), structured=False) == "1 extracted, 1 failed; 3 credits"
    )
    assert summary(results, Credits(parse=3, extract=1.5), structured=True) == (
        "1 extracted, 1 failed; 4.5 credits (3 parse, 1.5 extract)"
    )
