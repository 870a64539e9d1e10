"""Structured extraction for the local server: a plain heuristic, not a model.

ByteIT fills a JSON Schema from a document with a language model. The local
server cannot, so it does something simple and predictable instead, good
enough to exercise clients end to end.

What it reads:

- **label lines**: every line that looks like ``label: value`` (Markdown
  bullets, ``#`` and ``**`` around the label are ignored). A ``label:`` line
  with nothing after it, followed by bulleted or numbered lines, is a list.
- **tables**: the tables the extraction found (a PDF's ruled tables, a DOCX's
  or HTML's tables), and those written in the text (tab-separated lines,
  Markdown pipe tables); the first row of each is its header.

How a property finds its value (names, titles, labels and headers compared
case-insensitively, with underscores, hyphens and spaces alike):

1. Inside a nested object, a label naming the parent and the property wins:
   ``Vendor name:`` (or ``Vendor.name:``) fills ``vendor.name``.
2. Then a label equal to the property's name or title; then one equal to its
   description; then one whose words all appear in its description (the
   description's words act as aliases). The first such line in the text wins.
3. **Scalars** are coerced to the property's type: ``integer`` and ``number``
   take the first number in the value (thousands separators dropped),
   ``boolean`` reads yes/no/true/false/1/0, ``string`` keeps the text. With
   ``enum`` (a pydantic ``Enum`` or ``Literal``) the value must be one of the
   choices, compared case-insensitively. A value that does not coerce is null.
4. **Nested objects** (also through ``$ref`` and ``anyOf`` with null, as
   pydantic writes them) are filled by the same rules. A line labelled with
   the object's own name (``Vendor: Northwind``) fills its ``name`` (or
   ``title``) property when nothing else did. An object with nothing found is null.
5. **Lists of scalars** come from one label line, split on commas, or from the
   bulleted lines under a ``label:`` line.
6. **Lists of objects** come from a table: the table whose header names the
   most of the item's properties (by the rules of step 2, or a header holding
   every word of the property's name, like ``Unit price (EUR)`` for
   ``unit_price``); each row below the header is an item, except rows whose
   first cell says total or subtotal.

A schema of bare type names, ``{"invoice_number": "string"}`` (as in the
vendor client's docstring), is read as an object with those properties.

What it does not do: read values that are not on a labelled line or in a
table, understand prose, follow ``$ref`` outside the schema, tell apart two
lines with the same label (the first wins), read numbers written with a
decimal comma, or check the result against the schema. Properties with no
match are null. Nothing here guesses beyond that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from .text_tables import text_tables

__all__ = ["extract_fields", "label_value_lines"]

Lines = list[tuple[str, str]]
Rows = list[list[str]]
Schema = Mapping[str, Any]
_Rule = Callable[[str], bool]

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+(.*\S)")
_STOPWORDS = frozenset({"a", "an", "the", "of", "for", "in", "on", "to", "and", "or", "is"})
_TRUE = frozenset({"yes", "y", "true", "1", "x", "checked", "on"})
_FALSE = frozenset({"no", "n", "false", "0", "unchecked", "off"})
_NAME_KEYS = ("name", "full name", "company name", "legal name", "title")
_TOTAL_ROWS = ("total", "subtotal", "sub total", "grand total")
_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object"})


@dataclass(frozen=True)
class _Document:
    lines: Lines
    tables: Sequence[Rows]
    root: Schema


def extract_fields(text: str, schema: Schema, tables: Sequence[Rows] = ()) -> dict[str, Any]:
    """Fill ``schema``'s properties from the label lines and tables of a document.

    Args:
        text: The document's plain text.
        schema: A JSON Schema of an object.
        tables: Tables the extraction found, as rows of cells (header first).

    Example:
        >>> schema = {"properties": {"invoice_number": {"type": "integer"}}}
        >>> extract_fields("Invoice number: 1,042", schema)
        {'invoice_number': 1042}
    """
    schema = _expand_shorthand(schema)
    document = _Document(label_value_lines(text), [*tables, *text_tables(text)], schema)
    return _fill_object(schema, document, ())


def _expand_shorthand(schema: Schema) -> Schema:
    """``{"invoice_number": "string"}`` (the vendor's docstring example) as a JSON Schema."""
    if "properties" in schema or "type" in schema or not schema:
        return schema
    if all(isinstance(kind, str) and kind in _JSON_TYPES for kind in schema.values()):
        return {"type": "object", "properties": {name: {"type": t} for name, t in schema.items()}}
    return schema


def label_value_lines(text: str) -> Lines:
    """The ``(normalized label, value)`` pairs of ``text``, in order.

    A list under an empty ``label:`` line is one pair whose value holds the
    items, one a line.
    """
    pairs: Lines = []
    listing: tuple[str, list[str]] | None = None
    for line in [*text.splitlines(), ""]:
        label, value = _label_and_value(line)
        item = _BULLET.match(line)
        if listing is not None and item is not None and not label:
            listing[1].append(item.group(1).strip())
            continue
        if listing is not None and not listing[1] and not line.strip():
            continue
        if listing is not None and listing[1]:
            pairs.append((listing[0], "\n".join(listing[1])))
        listing = None
        if label and value:
            pairs.append((label, value))
        elif label:
            listing = (label, [])
    return pairs


def _label_and_value(line: str) -> tuple[str, str]:
    label, colon, value = line.partition(":")
    label = _normalize(label)
    return (label, value.strip()) if colon and label else ("", "")


def _fill_object(schema: Schema, document: _Document, path: tuple[str, ...]) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return {}
    return {
        str(name): _fill_property(str(name), _resolve(raw, document.root), document, path)
        for name, raw in properties.items()
    }


def _fill_property(name: str, prop: Schema, document: _Document, path: tuple[str, ...]) -> Any:
    kind = _type_of(prop)
    if kind == "object":
        return _fill_nested(name, prop, document, path)
    if kind == "array":
        return _fill_array(name, prop, document, path)
    value = _find_value(_rules(name, prop, path), document.lines)
    return None if value is None else _coerce(value, prop)


def _fill_nested(name: str, prop: Schema, document: _Document, path: tuple[str, ...]) -> Any:
    nested = _fill_object(prop, document, (*path, name))
    key = next((key for key in nested if _normalize(key) in _NAME_KEYS), None)
    if key is not None and nested[key] is None:
        own = _find_value(_rules(name, prop, path), document.lines)
        key_schema = _resolve(prop["properties"][key], document.root)
        nested[key] = None if own is None else _coerce(own, key_schema)
    return nested if any(value is not None for value in nested.values()) else None


def _fill_array(name: str, prop: Schema, document: _Document, path: tuple[str, ...]) -> Any:
    items = _resolve(prop.get("items", {}), document.root)
    if _type_of(items) == "object":
        return _table_items(items, document)
    value = _find_value(_rules(name, prop, path), document.lines)
    if value is None:
        return None
    parts = value.split("\n") if "\n" in value else value.split(",")
    return [_coerce(part.strip(), items) for part in parts if part.strip()]


def _table_items(items: Schema, document: _Document) -> list[dict[str, Any]] | None:
    raw = items.get("properties")
    if not isinstance(raw, Mapping):
        return None
    properties = {str(name): _resolve(prop, document.root) for name, prop in raw.items()}
    best: Rows | None = None
    columns: dict[str, int] = {}
    for table in document.tables:
        found = _columns(properties, table[0]) if table else {}
        if len(found) > len(columns):
            best, columns = table, found
    if best is None:
        return None
    rows = [row for row in best[1:] if any(row) and _normalize(row[0]) not in _TOTAL_ROWS]
    return [_row_item(row, properties, columns) for row in rows]


def _columns(properties: Mapping[str, Schema], header: list[str]) -> dict[str, int]:
    """Which column of ``header`` holds each scalar property (each column used once)."""
    labels = [_normalize(cell) for cell in header]
    columns: dict[str, int] = {}
    for name, prop in properties.items():
        if _type_of(prop) in ("object", "array"):
            continue
        rules = (*_rules(name, prop, ()), _holds_words_of(name))
        index = _first_match(rules, labels, taken=set(columns.values()))
        if index is not None:
            columns[name] = index
    return columns


def _holds_words_of(name: str) -> _Rule:
    """A header holding every word of ``name``: ``Unit price (EUR)`` for ``unit_price``."""
    words = _significant(_normalize(name))
    return lambda label: bool(words) and words <= _significant(label)


def _row_item(row: list[str], properties: Mapping[str, Schema], columns: dict[str, int]) -> Any:
    item: dict[str, Any] = dict.fromkeys(properties)
    for name, index in columns.items():
        cell = row[index].strip() if index < len(row) else ""
        item[name] = _coerce(cell, properties[name]) if cell else None
    return item


def _rules(name: str, prop: Schema, path: tuple[str, ...]) -> tuple[_Rule, ...]:
    """How labels are matched to a property, strongest first (see the module docstring)."""
    names = {_normalize(name), _normalize(str(prop.get("title", "")))} - {""}
    qualified = {_normalize(" ".join((*path, each))) for each in names} if path else set()
    description = _normalize(str(prop.get("description", "")))
    described = _significant(description)
    return (
        lambda label: label.replace(".", " ") in qualified,
        lambda label: label in names,
        lambda label: bool(description) and label == description,
        lambda label: bool(_significant(label)) and _significant(label) <= described,
    )


def _find_value(rules: Sequence[_Rule], lines: Lines) -> str | None:
    index = _first_match(rules, [label for label, _ in lines])
    return None if index is None else lines[index][1]


def _first_match(
    rules: Sequence[_Rule], labels: list[str], taken: AbstractSet[int] = frozenset()
) -> int | None:
    for rule in rules:
        for index, label in enumerate(labels):
            if index not in taken and rule(label):
                return index
    return None


def _coerce(value: str, prop: Schema) -> Any:
    kind = _type_of(prop)
    if kind in ("integer", "number"):
        match = _NUMBER.search(value)
        if match is None:
            return None
        number = float(match.group().replace(",", ""))
        coerced: Any = int(number) if kind == "integer" else number
    elif kind == "boolean":
        word = value.strip().lower()
        coerced = True if word in _TRUE else False if word in _FALSE else None
    else:
        coerced = value
    return _choice(coerced, prop.get("enum", [prop["const"]] if "const" in prop else None))


def _choice(value: Any, choices: Any) -> Any:
    """``value`` as one of ``choices`` (strings compared case-insensitively), else null."""
    if not isinstance(choices, list) or value is None:
        return value
    for choice in choices:
        if choice == value or (isinstance(choice, str) and choice.lower() == str(value).lower()):
            return choice
    return None


def _resolve(prop: Any, root: Schema) -> Schema:
    """Follow a local ``$ref`` and pick the non-null branch of ``anyOf``/``oneOf``."""
    if not isinstance(prop, Mapping):
        return {}
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        return {**_resolve(target, root), **{k: v for k, v in prop.items() if k != "$ref"}}
    for combinator in ("anyOf", "oneOf"):
        branches = prop.get(combinator)
        if isinstance(branches, list):
            chosen: Any = next((b for b in branches if _type_of(_resolve(b, root)) != "null"), {})
            rest = {k: v for k, v in prop.items() if k != combinator}
            return {**_resolve(chosen, root), **rest}
    return prop


def _type_of(prop: Schema) -> str | None:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and isinstance(prop.get("properties"), Mapping):
        return "object"
    if kind is None and isinstance(prop.get("enum"), list) and prop["enum"]:
        return "string" if isinstance(prop["enum"][0], str) else None
    return kind if isinstance(kind, str) else None


def _normalize(label: str) -> str:
    cleaned = re.sub(r"[_\-\s]+", " ", label.strip().lower())
    return cleaned.strip(" *#>|`•").strip()


def _significant(phrase: str) -> set[str]:
    return {word for word in re.findall(r"[a-z0-9]+", phrase) if word not in _STOPWORDS}
