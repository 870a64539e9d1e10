"""Structured extraction for the local server: a plain heuristic, not a model.

ByteIT fills a JSON Schema from a document with a language model. The local
server cannot, so it does something simple and predictable instead, good
enough to exercise clients end to end:

1. Every line of the parsed text that looks like ``label: value`` is a
   candidate (Markdown bullets, ``#`` and ``**`` around the label are ignored).
2. Labels and property names are compared case-insensitively, with
   underscores, hyphens and spaces treated alike. A property matches a line
   whose label equals its name or title; failing that, one whose label equals
   its description; failing that, one whose label's words all appear in its
   description (the description's words act as aliases). The first line in
   the text wins.
3. The value is coerced to the property's type: ``integer`` and ``number``
   take the first number in the value (thousands separators dropped),
   ``boolean`` reads yes/no/true/false/1/0, ``string`` keeps the text, and an
   ``array`` splits the value on commas and coerces each item. A value that
   does not coerce is null.
4. A nested object (also through ``$ref`` and ``anyOf`` with null, as pydantic
   writes them) is filled by the same rules over the same lines.

Properties with no matching line are null. Nothing here guesses beyond that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["extract_fields", "label_value_lines"]

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_STOPWORDS = frozenset({"a", "an", "the", "of", "for", "in", "on", "to", "and", "or", "is"})
_TRUE = frozenset({"yes", "y", "true", "1", "x", "checked", "on"})
_FALSE = frozenset({"no", "n", "false", "0", "unchecked", "off"})

Lines = list[tuple[str, str]]


def extract_fields(text: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """Fill ``schema``'s properties from the ``label: value`` lines of ``text``.

    Example:
        >>> schema = {"properties": {"invoice_number": {"type": "integer"}}}
        >>> extract_fields("Invoice number: 1,042", schema)
        {'invoice_number': 1042}
    """
    return _fill_object(schema, label_value_lines(text), schema)


def label_value_lines(text: str) -> Lines:
    """The ``(normalized label, value)`` pairs of ``text``, in order."""
    pairs: Lines = []
    for line in text.splitlines():
        label, colon, value = line.partition(":")
        label = _normalize(label)
        if colon and label and value.strip():
            pairs.append((label, value.strip()))
    return pairs


def _fill_object(
    schema: Mapping[str, Any], lines: Lines, root: Mapping[str, Any]
) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return {}
    filled: dict[str, Any] = {}
    for name, raw in properties.items():
        prop = _resolve(raw, root)
        filled[str(name)] = _fill_property(str(name), prop, lines, root)
    return filled


def _fill_property(
    name: str, prop: Mapping[str, Any], lines: Lines, root: Mapping[str, Any]
) -> Any:
    kind = _type_of(prop)
    if kind == "object":
        nested = _fill_object(prop, lines, root)
        return nested if any(value is not None for value in nested.values()) else None
    value = _find_value(name, prop, lines)
    if value is None:
        return None
    if kind == "array":
        items = _resolve(prop.get("items", {}), root)
        return [_coerce(part.strip(), _type_of(items)) for part in value.split(",") if part.strip()]
    return _coerce(value, kind)


def _find_value(name: str, prop: Mapping[str, Any], lines: Lines) -> str | None:
    names = {_normalize(name), _normalize(str(prop.get("title", "")))} - {""}
    description = _normalize(str(prop.get("description", "")))
    described = _significant(description)
    rules = (
        lambda label: label in names,
        lambda label: bool(description) and label == description,
        lambda label: bool(_significant(label)) and _significant(label) <= described,
    )
    for rule in rules:
        for label, value in lines:
            if rule(label):
                return value
    return None


def _coerce(value: str, kind: str | None) -> Any:
    if kind in ("integer", "number"):
        match = _NUMBER.search(value)
        if match is None:
            return None
        number = float(match.group().replace(",", ""))
        return int(number) if kind == "integer" else number
    if kind == "boolean":
        word = value.strip().lower()
        return True if word in _TRUE else False if word in _FALSE else None
    return value


def _resolve(prop: Any, root: Mapping[str, Any]) -> Mapping[str, Any]:
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


def _type_of(prop: Mapping[str, Any]) -> str | None:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and isinstance(prop.get("properties"), Mapping):
        return "object"
    return kind if isinstance(kind, str) else None


def _normalize(label: str) -> str:
    cleaned = re.sub(r"[_\-\s]+", " ", label.strip().lower())
    return cleaned.strip(" *#>|`•").strip()


def _significant(phrase: str) -> set[str]:
    return {word for word in re.findall(r"[a-z0-9]+", phrase) if word not in _STOPWORDS}
