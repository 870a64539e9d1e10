"""The schema sent for an extraction: the pydantic-to-wire transform (golden), dict checks."""

from __future__ import annotations

import enum
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from byteit import SavedSchema, ValidationError
from byteit._checks import EXTRACTION_COMPLEXITIES, check_complexity
from byteit._extract._schema import check_json_schema, model_to_wire, schema_spec
from byteit_api.models import ExtractionComplexity


class Currency(enum.Enum):
    EUR = "EUR"
    USD = "USD"


class Vendor(BaseModel):
    name: str = Field(description="The seller's name")
    vat_id: str | None = None


class LineItem(BaseModel):
    description: str
    amount: float


class Invoice(BaseModel):
    number: str = Field(alias="invoice_number", description="The invoice number")
    vendor: Vendor = Field(description="Who sent it")
    billed_to: Vendor | None = None
    tags: list[str] = []
    items: list[LineItem]
    currency: Currency = Currency.EUR
    kind: Literal["invoice", "credit note"]
    total: float = Field(title="Grand total")


VENDOR = {
    "title": "Vendor",
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "The seller's name"},
        "vat_id": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
    },
    "additionalProperties": False,
}
INVOICE_WIRE = {
    "title": "Invoice",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "invoice_number": {"type": "string", "description": "The invoice number"},
        "vendor": {**VENDOR, "description": "Who sent it"},  # the field's words beside $ref
        "billed_to": {"anyOf": [VENDOR, {"type": "null"}], "default": None},
        "tags": {"type": "array", "items": {"type": "string"}, "default": []},
        "items": {
            "type": "array",
            "items": {
                "title": "LineItem",
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "amount": {"type": "number"},
                },
                "additionalProperties": False,
            },
        },
        "currency": {
            "title": "Currency",
            "type": "string",
            "enum": ["EUR", "USD"],
            "default": "EUR",
        },
        "kind": {"type": "string", "enum": ["invoice", "credit note"]},
        "total": {"type": "number", "title": "Grand total"},
    },
}


def test_a_model_becomes_the_golden_self_contained_schema() -> None:
    """$defs inlined, no required, made-up titles dropped, set titles and descriptions kept."""
    assert model_to_wire(Invoice) == INVOICE_WIRE


def test_the_wire_schema_holds_no_reference_and_no_required_list() -> None:
    text = repr(model_to_wire(Invoice))
    assert "$ref" not in text
    assert "$defs" not in text
    assert "required" not in text


def test_a_model_that_allows_extra_fields_keeps_its_additional_properties() -> None:
    class Loose(BaseModel):
        model_config = ConfigDict(extra="allow")
        a: int

    assert model_to_wire(Loose)["additionalProperties"] is True


def test_a_dict_field_keeps_its_value_schema() -> None:
    class Totals(BaseModel):
        by_month: dict[str, int]

    assert model_to_wire(Totals)["properties"]["by_month"] == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }


def test_a_recursive_model_is_refused_with_its_name() -> None:
    class Node(BaseModel):
        children: list[Node] = []

    with pytest.raises(ValidationError, match="Node refers to itself"):
        model_to_wire(Node)


def test_the_transform_does_not_change_pydantics_own_schema() -> None:
    before = Invoice.model_json_schema(by_alias=True)
    model_to_wire(Invoice)
    assert Invoice.model_json_schema(by_alias=True) == before


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "object", "properties": {"a": {"type": "strin"}}}, "properties/a/type"),
        ({"type": "object", "properties": []}, "properties"),
        ({"type": "array", "items": {"type": "string"}}, "must describe an object"),
        ({}, "must describe an object"),
    ],
)
def test_a_dict_that_is_not_a_json_schema_object_is_refused(
    schema: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        check_json_schema(schema)


def test_a_dict_with_properties_but_no_type_is_an_object_schema() -> None:
    schema = {"properties": {"total": {"type": "integer"}}}
    assert check_json_schema(schema) == schema


@pytest.mark.parametrize("bad", [42, None, ["a"], Vendor(name="x"), int, b"{}"])
def test_a_schema_that_is_no_model_dict_or_name_is_refused(bad: Any) -> None:
    with pytest.raises(ValidationError, match="schema must be a pydantic model class"):
        schema_spec(bad)


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_schema_name_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="non-empty string"):
        schema_spec(name)


def test_a_saved_schema_is_sent_as_saved_and_a_name_is_read_later() -> None:
    saved = SavedSchema(name="inv", schema_json={"type": "object", "properties": {}})
    assert schema_spec(saved).wire == {"type": "object", "properties": {}}
    assert schema_spec("inv").wire is None
    assert schema_spec("inv").saved_name == "inv"


def test_the_complexities_are_the_specs() -> None:
    assert set(EXTRACTION_COMPLEXITIES) == {member.value for member in ExtractionComplexity}


def test_an_unknown_complexity_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(ValidationError, match="'extreme' is not one of low, medium, high"):
        check_complexity("extreme")
