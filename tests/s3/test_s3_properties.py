"""The S3 connectors' documented properties; the secret key shown only when asked for by
name; pickling; and a `file_type` override, client-side and server-side."""

from __future__ import annotations

import copy
import logging
import pickle
import re
import traceback
from typing import Any

import pytest

from byteit import ByteITClient, PollSchedule, ValidationError
from byteit.connectors.s3 import (
    S3InputConnector,
    S3OutputConnector,
    mirror_output,
    s3_prefix_inputs,
)
from byteit_server.samples import invoice_pdf
from byteit_server.server import EmbeddedServer

from .conftest import KEY_ID, REGION, SECRET, FakeByteIT

pytestmark = pytest.mark.s3

Connector = S3InputConnector | S3OutputConnector
QUICK = PollSchedule(initial=0.05, maximum=0.2)


def credentials(conn: dict[str, Any]) -> dict[str, Any]:
    return {"aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET, **conn}


@pytest.fixture
def with_keys(conn: dict[str, Any]) -> list[Connector]:
    """One connector of each kind, given explicit credentials."""
    return [
        S3InputConnector("docs", "in/a.pdf", **credentials(conn)),
        S3OutputConnector("docs", key="out/a.txt", **credentials(conn)),
    ]


# --- properties ------------------------------------------------------------------------


def test_an_input_shows_what_it_was_given(conn: dict[str, Any]) -> None:
    source = S3InputConnector("docs", "scans/0001", file_type=".PDF", **credentials(conn))
    assert (source.bucket, source.key, source.region) == ("docs", "scans/0001", REGION)
    assert (source.aws_access_key_id, source.aws_secret_access_key) == (KEY_ID, SECRET)
    assert (source.file_type, source.document_type) == ("pdf", "pdf")


def test_an_input_without_an_override_or_keys_shows_none() -> None:
    source = S3InputConnector("docs", "in/a.docx")
    assert (source.aws_access_key_id, source.aws_secret_access_key, source.region) == (
        None,
        None,
        None,
    )
    assert (source.file_type, source.document_type) == (None, "docx")


def test_an_output_shows_what_it_was_given(conn: dict[str, Any]) -> None:
    output = S3OutputConnector("results", key="out/a.txt", **credentials(conn))
    assert (output.bucket, output.key, output.prefix, output.region) == (
        "results",
        "out/a.txt",
        None,
        REGION,
    )
    assert (output.aws_access_key_id, output.aws_secret_access_key) == (KEY_ID, SECRET)


def test_an_output_under_a_prefix_has_no_key() -> None:
    output = S3OutputConnector("results", prefix="out/")
    assert (output.key, output.prefix, output.aws_secret_access_key) == (None, "out/", None)


@pytest.mark.parametrize(
    "name", ["bucket", "key", "aws_access_key_id", "aws_secret_access_key", "region", "file_type"]
)
def test_the_input_properties_are_read_only(name: str) -> None:
    with pytest.raises(AttributeError):
        setattr(S3InputConnector("docs", "a.pdf"), name, "x")


@pytest.mark.parametrize(
    "name", ["bucket", "key", "prefix", "aws_access_key_id", "aws_secret_access_key", "region"]
)
def test_the_output_properties_are_read_only(name: str) -> None:
    with pytest.raises(AttributeError):
        setattr(S3OutputConnector("docs", key="a.txt"), name, "x")


def test_listed_and_mirrored_connectors_show_the_shared_credentials(
    s3: Any, bucket: str, conn: dict[str, Any]
) -> None:
    s3.put_object(Bucket=bucket, Key="in/a.pdf", Body=b"%PDF-1.4")
    [source] = s3_prefix_inputs(bucket, "in/", **credentials(conn))
    output = mirror_output("out/", source)
    for connector in (source, output):
        assert connector.aws_access_key_id == KEY_ID
        assert connector.aws_secret_access_key == SECRET
        assert connector.region == REGION


def test_a_key_that_is_not_a_string_is_refused_without_showing_it() -> None:
    with pytest.raises(ValidationError, match="aws_secret_access_key must be a string") as caught:
        S3InputConnector("docs", "a.pdf", aws_access_key_id=KEY_ID, aws_secret_access_key=12345)  # type: ignore[arg-type]
    assert "12345" not in str(caught.value)


# --- the secret stays out of sight --------------------------------------------------------


def test_repr_and_str_hide_the_secret(with_keys: list[Connector]) -> None:
    for connector in with_keys:
        for text in (repr(connector), str(connector), repr(vars(connector))):
            assert SECRET not in text


def test_a_logged_connector_shows_no_secret(
    with_keys: list[Connector], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="byteit")
    for connector in with_keys:
        logging.getLogger("byteit").debug("using %s, %r", connector, connector)
    assert len(caplog.records) == 2
    assert SECRET not in caplog.text


def test_a_traceback_with_the_connector_in_its_locals_shows_no_secret(
    with_keys: list[Connector],
) -> None:
    def fail(connector: Connector) -> None:
        raise RuntimeError("boom")

    for connector in with_keys:
        try:
            fail(connector)
        except RuntimeError as exc:
            shown = traceback.TracebackException.from_exception(exc, capture_locals=True)
            text = "".join(shown.format())
        assert "connector = " in text
        assert SECRET not in text


def test_a_connector_with_keys_refuses_to_be_pickled_naming_what_to_do(
    with_keys: list[Connector],
) -> None:
    for connector in with_keys:
        with pytest.raises(TypeError, match="not pickled") as caught:
            pickle.dumps(connector)
        assert "default credentials" in str(caught.value)
        assert SECRET not in str(caught.value)


def test_a_connector_without_keys_pickles_and_reads_with_the_default_chain(
    s3: Any, bucket: str, conn: dict[str, Any]
) -> None:
    s3.put_object(Bucket=bucket, Key="scans/0001", Body=b"%PDF-1.4 body")
    source = S3InputConnector(bucket, "scans/0001", file_type="pdf", **conn)
    source.validate()  # builds its S3 client, which is not pickled

    restored = pickle.loads(pickle.dumps(source))

    assert (restored.bucket, restored.key, restored.region, restored.file_type) == (
        bucket,
        "scans/0001",
        REGION,
        "pdf",
    )
    assert restored.aws_secret_access_key is None
    restored.validate()  # its own client, from the environment's credentials
    with restored.open_upload() as upload:
        assert upload is not None
        assert upload.stream.read() == b"%PDF-1.4 body"


def test_an_output_without_keys_pickles() -> None:
    output = S3OutputConnector("results", prefix="out/", region=REGION, server_side=True)
    restored = pickle.loads(pickle.dumps(output))
    assert (restored.bucket, restored.prefix, restored.region, restored.server_side) == (
        "results",
        "out/",
        REGION,
        True,
    )


def test_a_copied_connector_keeps_its_keys(with_keys: list[Connector]) -> None:
    for connector in with_keys:
        for copied in (copy.copy(connector), copy.deepcopy(connector)):
            assert copied.aws_secret_access_key == SECRET


# --- file_type ---------------------------------------------------------------------------


def test_a_client_side_override_is_sent_as_the_content_type_under_the_keys_name(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    s3.put_object(Bucket=bucket, Key="scans/0001", Body=b"%PDF-1.4 body")

    client.create_job(S3InputConnector(bucket, "scans/0001", file_type="pdf", **conn))

    headers = byteit.uploads[0].file_headers
    assert re.search(r'filename="0001"', headers)
    assert re.search(r"(?i)content-type: application/pdf", headers)


def test_a_client_side_override_is_extracted_by_the_local_server(
    s3: Any, bucket: str, conn: dict[str, Any], byteit_server: EmbeddedServer
) -> None:
    s3.put_object(Bucket=bucket, Key="scans/document.xyz", Body=invoice_pdf())
    source = S3InputConnector(bucket, "scans/document.xyz", file_type="pdf", **conn)

    with ByteITClient(
        byteit_server.api_key, base_url=byteit_server.base_url, poll_schedule=QUICK
    ) as local:
        job = local.wait_for_job(local.create_job(source).id, max_wait_time=60)
        text = local.get_job_result(job.id)

    assert job.metadata is not None
    assert (job.metadata.original_filename, job.metadata.document_type) == ("document.xyz", "pdf")
    assert isinstance(text, bytes)
    assert "Invoice number" in text.decode()


@pytest.mark.parametrize("key", ["scans/0001", "scans/document.xyz", "scans/a.docx"])
def test_a_server_side_override_the_key_contradicts_is_refused(key: str) -> None:
    with pytest.raises(ValidationError, match=r"file_type='pdf' cannot be honoured") as caught:
        S3InputConnector("docs", key, file_type="pdf", server_side=True)
    assert f"s3://docs/{key}" in str(caught.value)
    assert "server_side=False" in str(caught.value)


@pytest.mark.parametrize(
    ("key", "file_type"), [("a.pdf", "PDF"), ("a.jpg", "jpeg"), ("a.htm", "html")]
)
def test_a_server_side_override_the_key_agrees_with_is_kept(key: str, file_type: str) -> None:
    source = S3InputConnector("docs", key, file_type=file_type, server_side=True)
    assert source.file_type is not None
    assert source.wire_fields()[0] == "s3"


def test_a_server_side_listing_refuses_an_override_its_keys_contradict(
    s3: Any, bucket: str, conn: dict[str, Any]
) -> None:
    s3.put_object(Bucket=bucket, Key="in/0001", Body=b"%PDF-1.4")
    with pytest.raises(ValidationError, match="cannot be honoured with server_side=True"):
        s3_prefix_inputs(bucket, "in/", file_type="pdf", server_side=True, **conn)
