"""Checks of request values, each refusing bad input with a 400 that names it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from starlette.requests import Request

from byteit._contract import DOCUMENT_TYPES, MEGABYTE, upload_type

from .errors import ApiError

__all__ = [
    "check_choice",
    "check_page_range",
    "document_type_of",
    "parse_json_object",
    "parse_processing_options",
    "read_json_object",
]

# The spec offers no 413 for JSON bodies, so an oversized one is a 400.
MAX_JSON_BYTES = 10 * MEGABYTE

PARSE_TYPES = ("auto", "complex", "handwritten")
_BOOLEAN_OPTIONS = ("image_annotations", "force_image_annotations", "table_enrichment")
_PAGE_PART = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def document_type_of(filename: str, content_type: str | None = None) -> str:
    """The document type of an upload: named by its part's ``Content-Type`` when that
    is one a document type is uploaded as, else by ``filename``'s extension (the
    contract's `upload_type`). A document read from S3 has only its key's name.

    Raises:
        ApiError: 400 naming the type and the accepted ones.
    """
    document_type = upload_type(filename, content_type)
    if document_type is not None:
        return document_type
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    shown = repr(suffix) if suffix else "(no extension)"
    accepted = ", ".join(DOCUMENT_TYPES)
    sent_as = f" sent as {content_type!r}" if content_type else ""
    raise ApiError(
        400,
        f"unsupported document type {shown} of {filename!r}{sent_as}; accepted: {accepted} "
        "(named by the part's Content-Type, e.g. 'application/pdf', or by the extension)",
    )


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``, else a 400 listing them."""
    if value not in choices:
        raise ApiError(400, f"invalid {name} {value!r}; expected one of: {', '.join(choices)}")
    return value


def check_page_range(spec: str) -> str:
    """``spec`` if it reads like ``"1-5"`` or ``"1,3,5-10"`` (empty: every page).

    Raises:
        ApiError: 400 saying what is wrong.
    """
    if not spec.strip():
        return ""
    for part in spec.split(","):
        match = _PAGE_PART.match(part)
        if match is None:
            raise ApiError(
                400, f"invalid page_range {spec!r}: expected pages like '1-5' or '1,3,5-10'"
            )
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first < 1 or last < first:
            raise ApiError(
                400, f"invalid page_range {spec!r}: pages start at 1 and ranges run upwards"
            )
    return spec.strip()


def parse_json_object(name: str, text: str) -> dict[str, Any]:
    """The JSON object encoded in the form field ``name``."""
    try:
        value = json.loads(text)
    except ValueError:
        raise ApiError(400, f"{name} is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, f"{name} must be a JSON object")
    return value


async def read_json_object(request: Request) -> dict[str, Any]:
    """The request body, which must be a JSON object of at most 10 MB."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON_BYTES:
            raise ApiError(400, f"the request body exceeds {MAX_JSON_BYTES // MEGABYTE} MB")
    try:
        value = json.loads(body)
    except ValueError:
        raise ApiError(400, "the request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "the request body must be a JSON object")
    return value


def parse_processing_options(text: str | None) -> dict[str, Any]:
    """The known ``processing_options``, checked, with defaults; unknown keys are dropped."""
    raw = parse_json_object("processing_options", text) if text and text.strip() else {}
    options: dict[str, Any] = {"languages": _languages(raw.get("languages", ["en"]))}
    page_range = raw.get("page_range")
    if page_range is not None:
        if not isinstance(page_range, str):
            raise ApiError(400, "processing_options.page_range must be a string like '1-5'")
        options["page_range"] = check_page_range(page_range)
    parse_type = raw.get("parse_type", "auto")
    if not isinstance(parse_type, str):
        raise ApiError(400, "processing_options.parse_type must be a string")
    options["parse_type"] = check_choice("processing_options.parse_type", parse_type, PARSE_TYPES)
    for name in _BOOLEAN_OPTIONS:
        options[name] = _boolean(raw, name)
    if options["force_image_annotations"]:
        options["image_annotations"] = True
    return options


def _languages(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(code, str) and code for code in value):
        raise ApiError(400, 'processing_options.languages must be a list of codes like ["en"]')
    return list(value) or ["en"]


def _boolean(raw: Mapping[str, Any], name: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise ApiError(400, f"processing_options.{name} must be true or false")
    return value
