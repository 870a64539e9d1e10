"""Every S3 failure is a `ConnectorError` that names the place and what to check, before
any ByteIT request; bad arguments are a `ValidationError` at once."""

from __future__ import annotations

import json
import socket
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from moto.core import enable_iam_authentication

from byteit import ByteITClient
from byteit.connectors._s3_streams import ObjectReader
from byteit.connectors.s3 import (
    S3InputConnector,
    S3OutputConnector,
    s3_prefix_inputs,
)
from byteit.exceptions import ConnectorError, ValidationError
from byteit.models import Job

from .conftest import REGION, SECRET, FakeByteIT

pytestmark = pytest.mark.s3


@pytest.fixture
def stored(s3: Any, bucket: str) -> str:
    s3.put_object(Bucket=bucket, Key="docs/a.pdf", Body=b"%PDF-1.4")
    return bucket


def refused(connector: Any, client: ByteITClient, byteit: FakeByteIT) -> str:
    """The error `create_job` raises for `connector`, after checking nothing was sent."""
    with pytest.raises(ConnectorError) as caught:
        client.create_job(connector)
    assert byteit.requests == []
    return str(caught.value)


def test_no_such_bucket(conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT) -> None:
    message = refused(S3InputConnector("no-such-bucket", "a.pdf", **conn), client, byteit)

    assert "s3://no-such-bucket/a.pdf" in message
    assert "bucket does not exist" in message


def test_no_such_key(
    stored: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    message = refused(S3InputConnector(stored, "docs/b.pdf", **conn), client, byteit)

    assert f"s3://{stored}/docs/b.pdf" in message
    assert "no object has this key" in message


def test_an_empty_object_is_refused(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient
) -> None:
    s3.put_object(Bucket=bucket, Key="empty.pdf", Body=b"")

    with pytest.raises(ValidationError, match="empty"):
        client.create_job(S3InputConnector(bucket, "empty.pdf", **conn))


@pytest.fixture
def iam_users(moto_endpoint: str) -> Iterator[dict[str, tuple[str, str]]]:
    """A user who may only list buckets, one who may only write objects; then IAM
    checks are on for the test's S3 calls."""
    iam = boto3.client("iam", endpoint_url=moto_endpoint, region_name=REGION)
    users = {
        "lister": make_user(iam, "s3:ListBucket"),
        "writer": make_user(iam, "s3:PutObject"),
    }
    with enable_iam_authentication():
        yield users


def make_user(iam: Any, action: str) -> tuple[str, str]:
    name = f"user-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}],
    }
    iam.put_user_policy(UserName=name, PolicyName="only", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def test_access_denied_says_which_permission(
    stored: str,
    conn: dict[str, Any],
    iam_users: dict[str, tuple[str, str]],
    client: ByteITClient,
    byteit: FakeByteIT,
) -> None:
    key_id, secret = iam_users["lister"]
    source = S3InputConnector(
        stored, "docs/a.pdf", aws_access_key_id=key_id, aws_secret_access_key=secret, **conn
    )

    message = refused(source, client, byteit)

    assert "access denied" in message
    assert "s3:GetObject" in message
    assert secret not in message


def test_an_unknown_access_key_id(
    stored: str,
    conn: dict[str, Any],
    iam_users: dict[str, tuple[str, str]],
    client: ByteITClient,
    byteit: FakeByteIT,
) -> None:
    source = S3InputConnector(
        stored, "docs/a.pdf", aws_access_key_id="AKIAUNKNOWN000000000",
        aws_secret_access_key=SECRET, **conn,
    )  # fmt: skip

    message = refused(source, client, byteit)

    assert "does not know this access key id" in message
    assert SECRET not in message


def test_a_wrong_secret(
    stored: str,
    conn: dict[str, Any],
    iam_users: dict[str, tuple[str, str]],
    client: ByteITClient,
    byteit: FakeByteIT,
) -> None:
    key_id, _secret = iam_users["lister"]
    source = S3InputConnector(
        stored, "docs/a.pdf", aws_access_key_id=key_id, aws_secret_access_key=SECRET, **conn
    )

    message = refused(source, client, byteit)

    assert "secret access key does not match" in message
    assert SECRET not in message


def test_no_credentials_at_all(
    stored: str,
    conn: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    client: ByteITClient,
    byteit: FakeByteIT,
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    message = refused(S3InputConnector(stored, "docs/a.pdf", **conn), client, byteit)

    assert "no AWS credentials found" in message
    assert "server_side=True" in message


def test_an_unreachable_endpoint(client: ByteITClient, byteit: FakeByteIT) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = f"http://127.0.0.1:{port}"
    source = S3InputConnector("b", "a.pdf", endpoint_url=closed, region=REGION)
    source._access.client().meta.config.retries["max_attempts"] = 1

    message = refused(source, client, byteit)

    assert f"could not connect to S3 at {closed}" in message


def test_an_output_to_a_missing_bucket_fails_before_any_request(
    stored: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    output = S3OutputConnector("no-such-bucket", prefix="out/", **conn)

    with pytest.raises(ConnectorError, match=r"s3://no-such-bucket: the bucket does not exist"):
        client.process_document(S3InputConnector(stored, "docs/a.pdf", **conn), output)
    assert byteit.requests == []


@pytest.mark.parametrize("user", ["writer", "lister"])
def test_an_output_whose_bucket_exists_is_accepted_without_full_rights(
    bucket: str, conn: dict[str, Any], iam_users: dict[str, tuple[str, str]], user: str
) -> None:
    """Writing needs no s3:ListBucket, so the bucket check must not demand it."""
    key_id, secret = iam_users[user]
    output = S3OutputConnector(
        bucket, prefix="o/", aws_access_key_id=key_id, aws_secret_access_key=secret, **conn
    )

    output.validate()


def test_an_output_with_an_unknown_key_id_is_refused(
    bucket: str, conn: dict[str, Any], iam_users: dict[str, tuple[str, str]]
) -> None:
    output = S3OutputConnector(
        bucket, prefix="o/", aws_access_key_id="AKIAUNKNOWN000000000",
        aws_secret_access_key=SECRET, **conn,
    )  # fmt: skip

    with pytest.raises(ConnectorError, match="does not know this access key id"):
        output.validate()


def test_listing_a_missing_bucket(conn: dict[str, Any]) -> None:
    with pytest.raises(ConnectorError, match=r"Cannot list s3://no-such-bucket/in/: the bucket"):
        s3_prefix_inputs("no-such-bucket", "in/", **conn)


def test_without_boto3_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)

    with pytest.raises(ImportError, match=r'pip install "byteit\[s3\]"'):
        S3InputConnector("b", "a.pdf")
    with pytest.raises(ImportError, match=r'pip install "byteit\[s3\]"'):
        S3OutputConnector("b", prefix="out/")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: S3InputConnector("b", "a.exe"), "unsupported document type"),
        (lambda: S3InputConnector("b", "folder/"), "not a folder"),
        (lambda: S3InputConnector("s3://b", "a.pdf"), "bucket name"),
        (lambda: S3InputConnector("b", "a.pdf", aws_access_key_id="AKIA"), "both"),
        (lambda: S3OutputConnector("b"), "exactly one of key"),
        (lambda: S3OutputConnector("b", key="a.txt", prefix="out/"), "exactly one of key"),
    ],
)
def test_bad_arguments_are_refused_at_once(make: Any, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected):
        make()


def test_file_type_overrides_the_extension() -> None:
    assert S3InputConnector("b", "scans/0001", file_type="png").document_type == "png"


def test_a_refused_write_is_a_connector_error_naming_the_object(conn: dict[str, Any]) -> None:
    job = Job(id="job-1", processing_status="completed")
    sink = S3OutputConnector("no-such-bucket", key="out/a.txt", **conn).sink(job, "txt")
    assert sink is not None

    expected = r"Cannot write s3://no-such-bucket/out/a.txt"
    with pytest.raises(ConnectorError, match=expected), sink.open() as writer:
        writer.write(b"result")


class BrokenBody:
    """An S3 body whose connection drops after the first read."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, size: int) -> bytes:
        self.reads += 1
        if self.reads > 1:
            raise ConnectionResetError("reset by peer")
        return b"x" * min(size, 4)

    def close(self) -> None:
        pass


def test_a_read_that_breaks_midway_is_a_connector_error() -> None:
    reader = ObjectReader(BrokenBody(), 100, open_at=lambda _offset: BrokenBody())

    assert reader.read(4) == b"xxxx"
    with pytest.raises(ConnectorError, match="broke off at byte 4"):
        reader.read(4)
