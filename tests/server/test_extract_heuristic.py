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


def test_a_label_naming_parent_and_property_fills_the_nested_property() -> None:
    party = {"type": "object", "properties": {"name": {"type": "string"}}}
    schema = {"properties": {"vendor": party, "customer": party}}
    text = "Customer name: Ada\nVendor.name: Northwind\nName: nobody"
    assert extract_fields(text, schema) == {
        "vendor": {"name": "Northwind"}, "customer": {"name": "Ada"},
    }  # fmt: skip


def test_a_line_labelled_with_the_object_fills_its_name() -> None:
    party = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "city": {"type": "string"}},
    }
    schema = {"properties": {"vendor": party, "buyer": party}}
    assert extract_fields("Vendor: Northwind\nVendor city: Bonn", schema) == {
        "vendor": {"name": "Northwind", "city": "Bonn"}, "buyer": None,
    }  # fmt: skip


def test_a_list_of_strings_comes_from_the_bullets_under_an_empty_label() -> None:
    schema = {"properties": {"attendees": {"type": "array", "items": {"type": "string"}}}}
    text = "Attendees:\n\n- Zoë\n- Björn, the chair\n* Amélie\nNext step: ship"
    assert extract_fields(text, schema) == {"attendees": ["Zoë", "Björn, the chair", "Amélie"]}
    assert label_value_lines(text)[-1] == ("next step", "ship")


def test_a_list_of_objects_comes_from_the_best_matching_table() -> None:
    item = {
        "type": "object",
        "properties": {
            "description": {"type": "string"},
            "quantity": {"type": "integer", "description": "Qty"},
            "unit_price": {"type": "number"},
            "note": {"type": "string"},
        },
    }
    schema = {"properties": {"items": {"type": "array", "items": item}}}
    other = [["Name", "Phone"], ["Ada", "123"]]
    text = (
        "| Description | Qty | Unit price (EUR) |\n| --- | --- | --- |\n"
        "| Bolt | 3 | 1.50 |\n| Nut | 10 | 0.20 |\n| Total | | 6.50 |"
    )
    assert extract_fields(text, schema, tables=[other]) == {
        "items": [
            {"description": "Bolt", "quantity": 3, "unit_price": 1.5, "note": None},
            {"description": "Nut", "quantity": 10, "unit_price": 0.2, "note": None},
        ]
    }


def test_tab_separated_tables_in_the_text_are_read_too() -> None:
    item = {"properties": {"item": {"type": "string"}, "price": {"type": "number"}}}
    schema = {"properties": {"rows": {"type": "array", "items": item}, "missing": {
        "type": "array", "items": {"properties": {"iban": {"type": "string"}}}}}}  # fmt: skip
    text = "Orders\n\nItem\tQuantity\tPrice\nWidget\t3\t10.00\nGadget\t1\t25.50\n\nEnd"
    assert extract_fields(text, schema) == {
        "rows": [{"item": "Widget", "price": 10.0}, {"item": "Gadget", "price": 25.5}],
        "missing": None,
    }


def test_enum_and_const_values_must_be_one_of_the_choices() -> None:
    schema = {
        "properties": {
            "currency": {"enum": ["EUR", "USD"]},
            "status": {"type": "string", "enum": ["paid", "open"]},
            "kind": {"const": "invoice", "type": "string"},
        }
    }
    text = "Currency: eur\nStatus: overdue\nKind: Invoice"
    assert extract_fields(text, schema) == {"currency": "EUR", "status": None, "kind": "invoice"}


def test_a_schema_of_bare_type_names_is_read_as_its_properties() -> None:
    schema = {"invoice_number": "string", "total": "number"}
    assert extract_fields("Invoice number: A-7\nTotal: 12.5", schema) == {
        "invoice_number": "A-7", "total": 12.5,
    }  # fmt: skip
    assert extract_fields("Name: x", {"name": "not a type"}) == {}
