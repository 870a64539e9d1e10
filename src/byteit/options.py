"""Processing options: what a job should do with its document, checked before any request."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from byteit._contract import OutputFormat
from byteit._languages import to_service_language
from byteit.exceptions import ValidationError

__all__ = ["OutputFormat", "ProcessingOptions"]

_PAGE_RANGE = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")


def _check_page_range(value: str) -> str:
    compact = re.sub(r"\s+", "", value)
    if not compact:
        return ""
    if not _PAGE_RANGE.match(compact):
        raise ValueError(
            f"page_range {value!r} is not valid: use pages and ranges such as '1-5' or '1,3,5-10'"
        )
    for part in compact.split(","):
        first, _, last = part.partition("-")
        if int(first) < 1 or (last and int(last) < int(first)):
            raise ValueError(
                f"page_range {value!r} is not valid: pages start at 1 and a range "
                f"goes upwards ({part!r})"
            )
    return compact


class ProcessingOptions(BaseModel):
    """Options for a parse job. A plain dict with the same keys is accepted wherever this is.

    Args:
        output_format: ``txt``, ``md``, ``json``, ``html`` or ``zip`` (one xlsx per table).
        languages: Language codes, two-letter (``en``) or Tesseract (``eng``).
        page_range: Pages to process, e.g. ``"1-5"`` or ``"1,3,5-10"``; empty means all.
        parse_type: ``auto``, ``complex`` or ``handwritten``.
        image_annotations: Describe images found in the document.
        force_image_annotations: Describe images even when unsure; implies ``image_annotations``.
        table_enrichment: Enrich extracted tables.
        ocr_model: ``tesseractocr`` or ``easyocr``, for services that still offer a choice.

    Example:
        >>> ProcessingOptions(output_format="md", languages=["eng", "de"]).languages
        ['en', 'de']
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    output_format: OutputFormat = "txt"
    languages: list[str] = pydantic.Field(default_factory=lambda: ["en"], min_length=1)
    page_range: str = ""
    parse_type: Literal["auto", "complex", "handwritten"] = "auto"
    image_annotations: bool = False
    force_image_annotations: bool = False
    table_enrichment: bool = False
    ocr_model: Literal["tesseractocr", "easyocr"] | None = None

    @field_validator("languages")
    @classmethod
    def _service_languages(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(to_service_language(code) for code in value))

    @field_validator("page_range")
    @classmethod
    def _page_range(cls, value: str) -> str:
        return _check_page_range(value)

    @model_validator(mode="after")
    def _force_implies_annotations(self) -> ProcessingOptions:
        if self.force_image_annotations and not self.image_annotations:
            object.__setattr__(self, "image_annotations", True)
        return self

    @classmethod
    def coerce(cls, value: ProcessingOptions | Mapping[str, Any] | None) -> ProcessingOptions:
        """Return `value` as options, raising `ValidationError` that names any bad key.

        Raises:
            ValidationError: An unknown key, or a value of the wrong type or form.
        """
        if isinstance(value, ProcessingOptions):
            return value
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ValidationError(
                "processing_options must be a ProcessingOptions or a dict, "
                f"not {type(value).__name__}"
            )
        try:
            return cls.model_validate(dict(value))
        except pydantic.ValidationError as exc:
            raise ValidationError(_describe(exc)) from None

    def to_wire(self) -> str:
        """The JSON string the service reads from the `processing_options` form field."""
        wire = self.model_dump(exclude={"output_format", "ocr_model"})
        if self.ocr_model is not None:
            wire["ocr_model"] = self.ocr_model
        return json.dumps(wire, separators=(",", ":"), sort_keys=True)


def _describe(exc: pydantic.ValidationError) -> str:
    allowed = ", ".join(ProcessingOptions.model_fields)
    problems = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "options"
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown option {key!r} (allowed: {allowed})")
        else:
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{key}: {message}")
    return "invalid processing options: " + "; ".join(problems)
