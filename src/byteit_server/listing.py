"""The shape every list answer shares: ``{<key>: [...], "count": n, "detail": "..."}``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from starlette.responses import JSONResponse


class _Shown(Protocol):
    def to_api(self) -> dict[str, Any]: ...


def list_answer(key: str, noun: str, records: Sequence[_Shown]) -> JSONResponse:
    """A list answer under `key`, e.g. ``list_answer("parse_jobs", "parse job", jobs)``."""
    detail = f"{len(records)} {noun}{'s' if len(records) != 1 else ''}"
    body = {key: [record.to_api() for record in records], "count": len(records), "detail": detail}
    return JSONResponse(body)
