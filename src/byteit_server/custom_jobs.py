"""What a custom job produces on the local server: a stand-in for the service's model.

ByteIT answers a custom job (several documents, an optional JSON Schema and an
optional prompt) with a language model. The local server has none, so it
answers predictably, enough to exercise clients end to end:

- **with a schema**: the schema is filled by the extract heuristic of
  :mod:`byteit_server.extract_heuristic` over the plain text of every document,
  concatenated in the order sent; the result is that JSON object. The prompt
  is kept on the job but does not change the result.
- **without a schema**: the result is Markdown: the prompt, when given, echoed
  as a ``#`` heading (on one line), then each document under a ``##`` heading
  naming its file, in the Markdown its parse job would give in ``md``.

Each document is read by the same extraction as a parse job, in the server's
worker processes; a document that cannot be read fails the whole job, with a
message naming the file. Every document is kept in its own result folder, and
the result is a file beside them (``result.json`` or ``result.md``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .engine import ExtractionTask, read_stored_text, render_to_file
from .extract_heuristic import extract_fields
from .records import CustomJobRecord

__all__ = ["document_result_dir", "document_tasks", "write_result"]

_WHITESPACE = re.compile(r"\s+")


def document_result_dir(job_result_dir: Path, index: int) -> Path:
    """Where the extraction of a custom job's ``index``-th document is kept."""
    return job_result_dir / "documents" / str(index)


def document_tasks(
    record: CustomJobRecord, job_result_dir: Path, ocr_engine: str
) -> list[ExtractionTask]:
    """One extraction task per document of the job, in the order sent."""
    return [
        ExtractionTask(
            path=path,
            document_type=document_type,
            result_dir=str(document_result_dir(job_result_dir, index)),
            ocr_engine=ocr_engine,
        )
        for index, (path, document_type) in enumerate(
            zip(record.file_paths, record.document_types, strict=True)
        )
    ]


def write_result(record: CustomJobRecord, job_result_dir: Path) -> str:
    """Write the job's result beside its documents' extractions; return the file's name."""
    folders = [document_result_dir(job_result_dir, i) for i in range(len(record.file_names))]
    if record.extraction_schema is not None:
        stored = [read_stored_text(folder) for folder in folders]
        text = "\n".join(each.text for each in stored)
        tables = [table for each in stored for table in each.tables]
        fields = extract_fields(text, record.extraction_schema, tables)
        content = json.dumps(fields, ensure_ascii=False)
        name = "result.json"
    else:
        content = _markdown(record, folders)
        name = "result.md"
    (job_result_dir / name).write_text(content, encoding="utf-8")
    return name


def _markdown(record: CustomJobRecord, folders: list[Path]) -> str:
    parts = []
    if record.user_prompt:
        parts.append(f"# {_WHITESPACE.sub(' ', record.user_prompt).strip()}\n")
    for folder, name in zip(folders, record.file_names, strict=True):
        body = render_to_file(folder, "md", name).read_text("utf-8").strip()
        parts.append(f"## {name}\n\n{body}\n")
    return "\n".join(parts)
