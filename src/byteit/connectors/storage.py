"""Results kept in ByteIT's own storage, to download when wanted."""

from __future__ import annotations

from byteit.connectors.base import OutputConnector, ResultSink
from byteit.models import Job

__all__ = ["ByteITStorageOutputConnector"]


class ByteITStorageOutputConnector(OutputConnector):
    """Keep the result in ByteIT storage (the default).

    `process_document` then returns the result's bytes, or writes them to its
    ``output_path``; `get_job_result` downloads it at any later time.
    """

    def __repr__(self) -> str:
        return "ByteITStorageOutputConnector()"

    def sink(self, job: Job, output_format: str) -> ResultSink | None:
        return None
