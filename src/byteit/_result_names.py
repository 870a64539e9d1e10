"""The name a result gets in a folder or under a prefix: shared by the client and the server."""

from __future__ import annotations

from pathlib import PurePosixPath


def result_name(original_filename: str | None, job_id: str, output_format: str) -> str:
    """``<original name>.<format>`` (``report.pdf.md``: keeping the original extension
    means ``report.pdf`` and ``report.docx`` never overwrite each other), made safe
    for a file system or an S3 key; ``<job id>.<format>`` when there is no name."""
    name = PurePosixPath(original_filename or "").name
    safe = "".join(c if c.isalnum() or c in "-_. " else "_" for c in name).strip(" .")
    return f"{safe or job_id}.{output_format}"
