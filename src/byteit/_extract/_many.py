"""Many documents extracted on the batch engine (``extract_documents``): the pure parts.

The engine runs parse and extract jobs (`_batch._pipeline`); this module says what
an extract-stage item's finished job becomes: its `Extraction`, checked against
the schema, and the JSON written for it under ``output_dir``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pydantic

from byteit._delivery._atomic import atomic_write
from byteit._delivery._sinks import guard_sink
from byteit._extract._flow import ExtractSettings
from byteit._extract._schema import SchemaSpec
from byteit._extract._validate import checked_result, validated_data
from byteit._http._extract_wire import ExtractResult
from byteit.exceptions import UnexpectedResponseError
from byteit.models import Extraction, ExtractJob


@attrs.frozen
class ManyExtractions:
    """What every extract job of a batch is asked for: a schema already read (a saved
    one included), and the extraction's settings."""

    spec: SchemaSpec
    settings: ExtractSettings

    def extraction(
        self, answer: ExtractResult, job: ExtractJob, parse_job_id: str
    ) -> Extraction[Any]:
        """The finished job's data, validated unless the call said not to."""
        if not answer.ready:
            raise UnexpectedResponseError(
                f"The result of extract job {job.id} is not ready although the job "
                f"completed (status {answer.processing_status!r})"
            )
        raw = checked_result(answer.result, job.id)
        data = validated_data(self.spec, raw, job.id) if self.settings.validate else raw
        credits = job.credits_cost or 0.0
        return Extraction(data=data, raw=raw, job=job, parse_job_id=parse_job_id, credits=credits)


def extraction_json(extraction: Extraction[Any]) -> bytes:
    """The file written for an extraction: its data as JSON (a model by its aliases)."""
    data = extraction.data
    if isinstance(data, pydantic.BaseModel):
        data = data.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False).encode() + b"\n"


def write_extraction(path: Path, extraction: Extraction[Any]) -> Path:
    """Write it whole or not at all (a temporary name, then a rename)."""
    with guard_sink(atomic_write(path), path) as sink:
        sink.write(extraction_json(extraction))
    return path
