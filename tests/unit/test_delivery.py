"""Where process_document leaves a result: an output the service writes itself is not downloaded."""

from __future__ import annotations

from pathlib import Path

from byteit import ByteITClient, Job
from byteit.connectors import OutputConnector, ResultSink

from .conftest import FakeServer, serve_documents


class _ServiceWritten(OutputConnector):
    """An output the service writes (as server-side S3 does): the client only names it."""

    def wire_fields(self) -> tuple[str, str]:
        return "s3", '{"type":"s3","bucket":"b","path":"out/"}'

    def delivered_by_service(self, job: Job, output_format: str) -> str | None:
        return f"s3://b/out/{job.id}"

    def sink(self, job: Job, output_format: str) -> ResultSink | None:
        raise AssertionError("the client must not download what the service delivered")


def test_an_output_the_service_writes_returns_its_location_without_a_download(
    client: ByteITClient, server: FakeServer, txt_file: Path
) -> None:
    serve_documents(server, {txt_file.name: b"never fetched"})
    location = client.process_document(txt_file, _ServiceWritten())
    assert location == f"s3://b/out/job-{txt_file.name}"
    assert not [r for r in server.requests if r.url.path.endswith("/result/")]
