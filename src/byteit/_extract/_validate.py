"""The service's extracted data, checked against the schema it was asked to fill.

A model's data is validated by pydantic; a JSON Schema's (a dict or a saved one)
by `jsonschema`. A mismatch is an `ExtractionValidationError` holding the raw
data: nothing is re-asked, since each extraction costs credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic

from byteit._extract._schema import SchemaSpec
from byteit.exceptions import ExtractionValidationError, UnexpectedResponseError

__all__ = ["checked_result", "validated_data"]


def checked_result(result: Any, job_id: str) -> dict[str, Any]:
    """The job's data, if the service sent an object."""
    if not isinstance(result, Mapping):
        raise UnexpectedResponseError(
            f"The result of job {job_id} is not a JSON object: {type(result).__name__} "
            f"{result!r:.120}",
            body=result,
        )
    return dict(result)


def validated_data(spec: SchemaSpec, raw: Mapping[str, Any], job_id: str) -> Any:
    """`raw` as the schema's type: a model instance, or the dict once it matches."""
    if spec.model is not None:
        try:
            return spec.model.model_validate(raw)
        except pydantic.ValidationError as exc:
            errors: list[Any] = exc.errors(include_url=False, include_context=False)
            raise _mismatch(spec, raw, job_id, errors) from None
    assert spec.wire is not None
    import jsonschema  # noqa: PLC0415  (30 ms to import: only dict schemas need it)

    validator_class = jsonschema.validators.validator_for(
        spec.wire, default=jsonschema.Draft202012Validator
    )
    found = sorted(validator_class(spec.wire).iter_errors(raw), key=lambda e: list(e.path))
    if found:
        errors = [
            {"loc": tuple(e.absolute_path), "msg": e.message, "type": e.validator} for e in found
        ]
        raise _mismatch(spec, raw, job_id, errors)
    return dict(raw)


def _mismatch(
    spec: SchemaSpec, raw: Mapping[str, Any], job_id: str, errors: list[Any]
) -> ExtractionValidationError:
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "the top level"
    return ExtractionValidationError(
        f"The data of job {job_id} does not match {spec.label}: {len(errors)} error(s), "
        f"first at {where}: {first['msg']}. Its raw data is in .raw; pass validate=False "
        "to get the dict back unchecked",
        raw=dict(raw),
        job_id=job_id,
        errors=errors,
    )
