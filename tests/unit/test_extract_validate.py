"""The service's data checked against the schema: a model instance, a dict, or an error."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from byteit import ExtractionValidationError, UnexpectedResponseError
from byteit._extract._schema import schema_spec
from byteit._extract._validate import checked_result, validated_data


class Total(BaseModel):
    total: int
    currency: str | None = None


DICT_SCHEMA = {"type": "object", "properties": {"total": {"type": "integer"}}}


def test_a_models_data_becomes_an_instance() -> None:
    assert validated_data(schema_spec(Total), {"total": 3}, "x-1") == Total(total=3)


def test_a_models_mismatch_carries_raw_job_id_and_pydantics_errors() -> None:
    with pytest.raises(ExtractionValidationError) as caught:
        validated_data(schema_spec(Total), {"total": "lots"}, "x-1")
    error = caught.value
    assert (error.raw, error.job_id) == ({"total": "lots"}, "x-1")
    assert [e["loc"] for e in error.errors] == [("total",)]
    assert "x-1 does not match Total" in str(error)
    assert "validate=False" in str(error)


def test_a_dict_schemas_data_is_checked_as_json_schema() -> None:
    assert validated_data(schema_spec(DICT_SCHEMA), {"total": 3}, "x-1") == {"total": 3}
    with pytest.raises(ExtractionValidationError, match="at total: 'x' is not of type 'integer'"):
        validated_data(schema_spec(DICT_SCHEMA), {"total": "x"}, "x-1")


def test_every_json_schema_failure_is_listed() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}
    with pytest.raises(ExtractionValidationError) as caught:
        validated_data(schema_spec(schema), {"a": "x", "b": 1}, "x-1")
    assert [e["loc"] for e in caught.value.errors] == [("a",), ("b",)]
    assert caught.value.errors[0]["type"] == "type"


@pytest.mark.parametrize("result", [None, [1, 2], "text", 3])
def test_a_result_that_is_missing_or_not_an_object_is_unexpected(result: Any) -> None:
    with pytest.raises(UnexpectedResponseError, match="result of job x-1 is not a JSON object"):
        checked_result(result, "x-1")
