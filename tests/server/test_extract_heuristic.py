"""The label: value heuristic behind extract jobs."""

from __future__ import annotations

from byteit_server.extract_heuristic import extract_fields, label_value_lines


def test_labels_match_names_ignoring_case_and_separators() -> None:
    schema = {"properties": {"invoice_number": {"type": "string"}, "due-date": {"type": "string"}}}
    text = "INVOICE-NUMBER: A-17\n**Due date**: 2024-05-01"
    assert extract_fields(text, schema) == {"invoice_number": "A-17", "due-date": "2024-05-01"}


def test_description_words_act_as_aliases() -> None:
    schema = {"properties": {"amount": {"type": "number", "description": "The total amount due"}}}
    assert extract_fields("Total: $1,234.50", schema) == {"amount": 1234.5}


def test_name_match_wins_over_description_match() -> None:
    schema = {"properties": {"total": {"type": "integer", "description": "Amount"}}}
    assert extract_fields("Amount: 1\nTotal: 2", schema) == {"total": 2}


def test_values_are_coerced_or_null() -> None:
    schema = {
        "properties": {
            "count": {"type": "integer"},
            "paid": {"type": "boolean"},
            "open": {"type": "boolean"},
            "ratio": {"type": ["number", "null"]},
        }
    }
    text = "Count: none\nPaid: No\nOpen: perhaps\nRatio: 0.25"
    assert extract_fields(text, schema) == {
        "count": None,
        "paid": False,
        "open": None,
        "ratio": 0.25,
    }


def test_arrays_split_on_commas() -> None:
    schema = {"properties": {"tags": {"type": "array", "items": {"type": "string"}},
                             "sizes": {"type": "array", "items": {"type": "integer"}}}}  # fmt: skip
    assert extract_fields("Tags: red, green\nSizes: 1, 2", schema) == {
        "tags": ["red", "green"], "sizes": [1, 2],
    }  # fmt: skip


def test_nested_objects_follow_refs_and_optional_any_of() -> None:
    schema = {
        "$defs": {"Address": {"properties": {"city": {"type": "string"}}}},
        "properties": {
            "address": {"anyOf": [{"$ref": "#/$defs/Address"}, {"type": "null"}]},
            "billing": {"type": "object", "properties": {"iban": {"type": "string"}}},
        },
    }
    assert extract_fields("City: Oslo", schema) == {"address": {"city": "Oslo"}, "billing": None}


def test_unmatched_properties_are_null_and_schemas_without_properties_give_nothing() -> None:
    assert extract_fields("Name: x", {"properties": {"email": {"type": "string"}}}) == {
        "email": None
    }
    assert extract_fields("Name: x", {"type": "object"}) == {}


def test_label_lines_skip_lines_without_a_value() -> None:
    assert label_value_lines("Title:\n- Author: Ada\nplain text") == [("author", "Ada")]
