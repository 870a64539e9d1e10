"""Server-side S3: only the bucket and key travel to ByteIT, never a byte or a credential."""

from __future__ import annotations

import json
from typing import Any

import pytest

from byteit import ByteITClient
from byteit.connectors.s3 import S3InputConnector, S3OutputConnector, mirror_output
from byteit.exceptions import ValidationError
from byteit.models import Job

from .conftest import KEY_ID, SECRET, FakeByteIT

pytestmark = pytest.mark.s3

JOB = Job(id="job-1", processing_status="completed")


def test_the_input_sends_the_bucket_and_key_and_no_file(
    client: ByteITClient, byteit: FakeByteIT
) -> None:
    source = S3InputConnector("docs", "inbox/a.pdf", server_side=True)

    client.create_job(source)

    upload = byteit.uploads[0]
    assert not upload.has_file
    assert upload.field("input_connector") == "s3"
    assert json.loads(upload.field("input_connection_data") or "") == {
        "source_bucket": "docs",
        "source_path_inside_bucket": "inbox/a.pdf",
    }


def test_the_output_names_the_bucket_and_path(client: ByteITClient, byteit: FakeByteIT) -> None:
    output = S3OutputConnector("results", prefix="out/", server_side=True)

    client.create_job(S3InputConnector("docs", "a.pdf", server_side=True), output)

    upload = byteit.uploads[0]
    assert upload.field("output_connector") == "s3"
    assert json.loads(upload.field("output_connection_data") or "") == {
        "type": "s3",
        "bucket": "results",
        "path": "out/",
    }


def test_no_aws_credential_is_in_the_request(client: ByteITClient, byteit: FakeByteIT) -> None:
    output = S3OutputConnector("results", key="out/a.txt", server_side=True)

    client.create_job(S3InputConnector("docs", "a.pdf", server_side=True), output)

    request = byteit.requests[0]
    sent = str(request.headers) + json.dumps(byteit.uploads[0].fields)
    assert KEY_ID not in sent
    assert SECRET not in sent


def test_the_input_gives_no_upload() -> None:
    with S3InputConnector("docs", "a.pdf", server_side=True).open_upload() as upload:
        assert upload is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: S3InputConnector(
            "docs", "a.pdf", aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
            server_side=True,
        ),
        lambda: S3OutputConnector(
            "docs", prefix="out/", aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
            server_side=True,
        ),
    ],
)  # fmt: skip
def test_credentials_are_refused_with_server_side(make: Any) -> None:
    with pytest.raises(ValidationError, match="IAM role") as caught:
        make()
    assert SECRET not in str(caught.value)


def test_the_output_writes_nothing_itself_and_says_where_the_service_did() -> None:
    output = S3OutputConnector("results", prefix="out/", server_side=True)

    assert output.sink(JOB, "txt") is None
    name = JOB.metadata.original_filename if JOB.metadata else JOB.id
    assert output.delivered_by_service(JOB, "md") == f"s3://results/out/{name}.md"
    assert S3OutputConnector("r", key="k.txt").delivered_by_service(JOB, "md") is None


def test_a_server_side_prefix_must_be_a_folder() -> None:
    """Without its '/', the service would read the path as one object's key."""
    with pytest.raises(ValidationError, match="must end with '/'"):
        S3OutputConnector("results", prefix="out", server_side=True)
    assert S3OutputConnector("results", prefix="out-", server_side=False).prefix == "out-"


def test_a_mirrored_output_keeps_server_side_and_names_the_folder() -> None:
    source = S3InputConnector("docs", "in/a/b.pdf", server_side=True)

    output = mirror_output("out/", source)

    assert output.server_side
    assert json.loads(output.wire_fields()[1])["path"] == "out/in/a/"
