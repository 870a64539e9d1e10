"""AWS credentials never leave the process: not to ByteIT, not in a repr, an error or a log."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from byteit import ByteITClient
from byteit.connectors.s3 import S3InputConnector, S3OutputConnector
from byteit.exceptions import ConnectorError

from .conftest import KEY_ID, SECRET, FakeByteIT

pytestmark = pytest.mark.s3

LOGGERS = ["", "boto3", "botocore", "urllib3", "httpx", "httpcore", "byteit"]


def credentials(conn: dict[str, Any]) -> dict[str, Any]:
    return {"aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET, **conn}


def test_a_full_run_logs_no_secret_at_debug(
    s3: Any,
    bucket: str,
    conn: dict[str, Any],
    client: ByteITClient,
    byteit: FakeByteIT,
    caplog: pytest.LogCaptureFixture,
) -> None:
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=b"%PDF-1.4 hello")
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)

    client.process_document(
        S3InputConnector(bucket, "a.pdf", **credentials(conn)),
        S3OutputConnector(bucket, prefix="out/", **credentials(conn)),
    )

    assert any(r.name.startswith("botocore") for r in caplog.records)  # DEBUG was on
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert SECRET not in logged


def test_no_credential_is_sent_to_byteit(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=b"%PDF-1.4 hello")

    client.create_job(S3InputConnector(bucket, "a.pdf", **credentials(conn)))

    sent = str(byteit.requests[0].headers) + repr(byteit.uploads[0].fields)
    assert KEY_ID not in sent
    assert SECRET not in sent


def test_reprs_hide_the_secret_and_show_the_place(conn: dict[str, Any]) -> None:
    source = S3InputConnector("docs", "a.pdf", **credentials(conn))
    output = S3OutputConnector("docs", prefix="out/", **credentials(conn))

    for text in (repr(source), repr(output)):
        assert SECRET not in text
        assert "aws_secret_access_key='***'" in text
        assert "bucket='docs'" in text
        assert f"endpoint_url={conn['endpoint_url']!r}" in text
        assert "server_side=False" in text
    assert "key='a.pdf'" in repr(source)
    assert "prefix='out/'" in repr(output)


def test_without_a_given_secret_the_repr_does_not_mention_one() -> None:
    assert "aws_secret_access_key" not in repr(S3InputConnector("docs", "a.pdf"))


def test_an_s3_failure_message_holds_no_secret(conn: dict[str, Any]) -> None:
    source = S3InputConnector("no-such-bucket", "a.pdf", **credentials(conn))

    with pytest.raises(ConnectorError) as caught:
        source.validate()

    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
