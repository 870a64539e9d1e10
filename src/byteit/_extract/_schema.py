"""The schema of an extraction, from what the caller gave to what is sent.

A pydantic model becomes a self-contained JSON Schema (`model_to_wire`): every
``$defs`` entry inlined at its ``$ref`` (a service need not resolve references),
no ``required`` (the service may not find a field), ``additionalProperties:
false`` on each model, and the model's ``title`` kept while the titles pydantic
makes up from field names are dropped. The spec's description records the
decision. A dict is checked as a JSON Schema and sent as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pydantic

from byteit._checks import check_schema_name
from byteit.exceptions import ValidationError
from byteit.models import SavedSchema

__all__ = ["SchemaSpec", "check_json_schema", "model_to_wire", "schema_spec"]

SchemaLike = type[pydantic.BaseModel] | Mapping[str, Any] | SavedSchema | str
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SUBSCHEMAS = ("items", "not", "additionalProperties", "contains")


@attrs.frozen
class SchemaSpec:
    """A checked schema: what is sent (None until a saved name is read), and the model
    that validates the data (None: the JSON Schema itself does)."""

    wire: Mapping[str, Any] | None
    model: type[pydantic.BaseModel] | None = None
    saved_name: str | None = None

    @property
    def label(self) -> str:
        if self.model is not None:
            return self.model.__name__
        return f"saved schema {self.saved_name!r}" if self.saved_name else "the JSON Schema"


def schema_spec(schema: object) -> SchemaSpec:
    """Check an extraction's `schema` argument, before any request."""
    if isinstance(schema, type) and issubclass(schema, pydantic.BaseModel):
        return SchemaSpec(model_to_wire(schema), model=schema)
    if isinstance(schema, SavedSchema):
        what = f"saved schema {schema.name!r}"
        return SchemaSpec(check_json_schema(schema.schema_json, what), saved_name=schema.name)
    if isinstance(schema, str):
        return SchemaSpec(None, saved_name=check_schema_name(schema))
    if isinstance(schema, Mapping):
        return SchemaSpec(check_json_schema(schema))
    raise ValidationError(
        "schema must be a pydantic model class, a JSON Schema dict, a SavedSchema or a "
        f"saved schema's name, not {schema!r}"
    )


def check_json_schema(schema: Mapping[str, Any], what: str = "schema") -> dict[str, Any]:
    """`schema` as a dict, if it is a valid JSON Schema describing an object."""
    # Imported here: jsonschema takes 30 ms to import, and only dict schemas need it.
    import jsonschema  # noqa: PLC0415

    checked = dict(schema)
    validator = jsonschema.validators.validator_for(
        checked, default=jsonschema.Draft202012Validator
    )
    try:
        validator.check_schema(checked)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(part) for part in exc.absolute_path) or "the top level"
        raise ValidationError(
            f"{what} is not a valid JSON Schema at {where}: {exc.message}"
        ) from None
    kind = checked.get("type", "object" if "properties" in checked else None)
    if kind != "object":
        raise ValidationError(
            f'{what} must describe an object ("type": "object" with "properties"), '
            f"not {checked!r:.200}"
        )
    return checked


def model_to_wire(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """The JSON Schema sent for `model` (see the module docstring for its rules)."""
    try:
        raw = model.model_json_schema(by_alias=True, mode="validation")
    except pydantic.PydanticUserError as exc:
        raise ValidationError(f"{model.__name__} has no JSON Schema: {exc}") from None
    definitions = raw.pop("$defs", {})
    wire: dict[str, Any] = _Inliner(definitions, model.__name__).node(raw, ())
    return wire


@attrs.frozen
class _Inliner:
    definitions: Mapping[str, Any]
    model_name: str

    def node(self, node: Any, trail: tuple[str, ...]) -> Any:
        if not isinstance(node, dict):
            return node
        node = dict(node)
        ref = node.pop("$ref", None)
        own = {key: self._part(key, value, trail) for key, value in node.items()}
        own.pop("required", None)  # every field optional: the service may not find it
        if "properties" in own and own.get("type") == "object":
            own.setdefault("additionalProperties", False)
        if ref is None:
            return own
        return {**self._definition(ref, trail), **own}  # the field's own words win

    def _part(self, key: str, value: Any, trail: tuple[str, ...]) -> Any:
        if key == "properties" and isinstance(value, dict):
            return {name: self.node(_untitled(name, sub), trail) for name, sub in value.items()}
        if key in _SUBSCHEMA_LISTS and isinstance(value, list):
            return [self.node(item, trail) for item in value]
        if key in _SUBSCHEMAS:
            return self.node(value, trail)
        return value

    def _definition(self, ref: str, trail: tuple[str, ...]) -> dict[str, Any]:
        name = ref.rsplit("/", 1)[-1]
        if name in trail or name not in self.definitions:
            raise ValidationError(
                f"{self.model_name} refers to itself through {name} (or to an unknown "
                f"{ref!r}): a recursive model cannot be sent as a self-contained schema"
            )
        inlined: dict[str, Any] = self.node(self.definitions[name], (*trail, name))
        return inlined


def _untitled(name: str, node: Any) -> Any:
    """`node` without the title pydantic made up from the field's name (a set one stays)."""
    if isinstance(node, dict) and node.get("title") == name.replace("_", " ").title():
        return {key: value for key, value in node.items() if key != "title"}
    return node
