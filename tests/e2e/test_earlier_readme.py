"""Every example of the earlier ByteIT client's README, run as written against the local server.

Users copy these from that README (shared/earlier-client-README.md), so each
must work here as it is. Only its placeholders are bound by the test: the key
(from ``BYTEIT_API_KEY``, with ``BYTEIT_BASE_URL`` pointing at the local
server), the job id, ``connector``, and file and bucket names. S3 goes to a moto
server on 127.0.0.1 through ``AWS_ENDPOINT_URL``; the README's placeholder
credentials are sent as they are (moto takes any).
"""

# ruff: noqa: PLC0415  (each example imports what it uses, as the README shows it)

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3  # type: ignore[import-untyped]
import pytest
from moto.server import ThreadedMotoServer

from byteit_server.samples import invoice_pdf

if TYPE_CHECKING:
    from byteit_server import EmbeddedServer

INVOICE_WORD = "Invoice"  # a word the sample invoice's text holds


@pytest.fixture(autouse=True)
def readme_world(
    byteit_server: EmbeddedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The key and base URL in the environment, and the README's files in the folder."""
    monkeypatch.setenv("BYTEIT_API_KEY", byteit_server.api_key)
    monkeypatch.setenv("BYTEIT_BASE_URL", byteit_server.base_url)
    monkeypatch.chdir(tmp_path)
    pdf = invoice_pdf()
    for name in ("sample_document.pdf", "document.pdf", "document1.pdf", "document2.pdf",
                 "document3.pdf", "document.xyz"):  # fmt: skip
        (tmp_path / name).write_bytes(pdf)
    return tmp_path


def your_api_key() -> str:
    return os.environ["BYTEIT_API_KEY"]


def _has_text(path: str | Path) -> bool:
    return INVOICE_WORD.lower() in Path(path).read_text(encoding="utf-8").lower()


# --- Quick Start and Usage Examples --------------------------------------------------------


def test_quick_start() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    client = ByteITClient(api_key=your_api_key())
    input_connector = LocalFileInputConnector("sample_document.pdf")
    result = client.process_document(
        input_connector=input_connector,
        processing_options={"output_format": "md"},
        output_path="output.md",
    )
    print(f"Document processed and saved to: {result}")
    client.close()
    assert result == "output.md"
    assert _has_text("output.md")


def test_basic_usage_with_connectors() -> None:
    from byteit import ByteITClient
    from byteit.connectors import ByteITStorageOutputConnector, LocalFileInputConnector

    client = ByteITClient(api_key=your_api_key())
    input_connector = LocalFileInputConnector("document.pdf")
    output_connector = ByteITStorageOutputConnector()
    job = client.create_job(
        input_connector=input_connector,
        output_connector=output_connector,
    )
    completed_job = client.wait_for_job(job.id)
    result = client.get_job_result(job.id, output_path="output.txt")
    client.close()
    assert completed_job.is_completed
    assert result == "output.txt"
    assert _has_text("output.txt")


def test_one_step_processing() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        input_connector = LocalFileInputConnector("document.pdf")
        result = client.process_document(
            input_connector=input_connector,
            processing_options={"output_format": "md"},
            output_path="output.md",
        )
        print(f"Result saved to: {result}")
    assert result == "output.md"
    assert _has_text(result)


def test_using_context_manager() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        input_connector = LocalFileInputConnector("document.pdf")
        result_path = client.process_document(
            input_connector=input_connector,
            output_path="output.txt",
        )
        print(f"Saved to: {result_path}")
    assert isinstance(result_path, str)
    assert _has_text(result_path)


def test_batch_processing_multiple_files() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        input_connectors = [
            LocalFileInputConnector("document1.pdf"),
            LocalFileInputConnector("document2.pdf"),
            LocalFileInputConnector("document3.pdf"),
        ]
        jobs = client.create_job(input_connectors)
        print(f"Created {len(jobs)} jobs")
        output_paths = ["output1.txt", "output2.txt", "output3.txt"]
        results = client.process_document(
            input_connector=input_connectors,
            output_path=output_paths,
            max_workers=3,
        )
        print(f"Processed {len(results)} documents")
    assert len(jobs) == 3
    assert results == output_paths
    assert all(_has_text(path) for path in output_paths)


def test_batch_processing_one_at_a_time() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    input_connectors = [LocalFileInputConnector("document1.pdf")]
    with ByteITClient(api_key=your_api_key()) as client:
        jobs = client.create_job(input_connectors, max_workers=1)
        assert len(jobs) == 1
        jobs = client.create_job(input_connectors, max_workers=5)
        assert len(jobs) == 1


def test_list_all_jobs() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    client = ByteITClient(api_key=your_api_key())
    client.create_job(LocalFileInputConnector("document.pdf"))
    job_list = client.list_jobs()
    print(f"Total jobs: {job_list.count}")
    for job in job_list.jobs:
        print(f"Job {job.id}: {job.processing_status}")
    client.close()
    assert job_list.count >= 1


def test_check_job_status() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    client = ByteITClient(api_key=your_api_key())
    job_id_here = client.wait_for_job(
        client.create_job(LocalFileInputConnector("document.pdf")).id
    ).id
    job = client.get_job(job_id_here)
    print(f"Status: {job.processing_status}")
    print(f"Completed: {job.is_completed}")
    print(f"Failed: {job.is_failed}")
    client.close()
    assert job.processing_status == "completed"
    assert job.is_completed
    assert not job.is_failed


def test_custom_processing_options() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        input_connector = LocalFileInputConnector("document.pdf")
        processing_options = {
            "output_format": "md",
            "ocr_model": "tesseractocr",
            "languages": ["eng", "deu"],
            "page_range": "1-10",
        }
        result = client.process_document(
            input_connector=input_connector,
            processing_options=processing_options,
            output_path="output.md",
        )
    assert _has_text(result)


def test_error_handling() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector
    from byteit.exceptions import (
        APIKeyError,
        AuthenticationError,
        JobProcessingError,
        ValidationError,
    )

    try:
        client = ByteITClient(api_key=your_api_key())
        input_connector = LocalFileInputConnector("document.pdf")
        result = client.process_document(
            input_connector=input_connector,
            output_path="output.txt",
        )
    except APIKeyError as e:
        print(f"Invalid API key: {e}")
    except AuthenticationError as e:
        print(f"Authentication failed: {e}")
    except ValidationError as e:
        print(f"Invalid request: {e}")
    except JobProcessingError as e:
        print(f"Processing failed: {e}")
    finally:
        client.close()
    assert _has_text(result)


# --- Configuration ------------------------------------------------------------------------


def test_client_initialization() -> None:
    from byteit import ByteITClient

    client = ByteITClient(api_key=your_api_key())
    client.close()


def test_input_connectors_with_and_without_a_file_type() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    input_connector = LocalFileInputConnector("document.pdf")
    typed_connector = LocalFileInputConnector("document.xyz", file_type="pdf")
    with ByteITClient(api_key=your_api_key()) as client:
        for connector in (input_connector, typed_connector):
            assert INVOICE_WORD.lower() in client.process_document(connector).decode().lower()


def test_processing_options_with_polling() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    input_connector = LocalFileInputConnector("document.pdf")
    processing_options = {
        "output_format": "md",
        "ocr_model": "tesseractocr",
        "languages": ["eng", "deu"],
        "page_range": "1-10",
    }
    with ByteITClient(api_key=your_api_key()) as client:
        client.process_document(
            input_connector=input_connector,
            processing_options=processing_options,
            output_path="output.md",
            poll_interval=5,
            max_wait_time=600,
        )
    assert _has_text("output.md")


def test_network_timeouts() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    connector = LocalFileInputConnector("document.pdf")
    with ByteITClient(api_key=your_api_key()) as client:
        result = client.process_document(
            input_connector=connector,
            timeout=60,
            max_wait_time=1200,
        )
    assert isinstance(result, bytes)
    assert INVOICE_WORD.lower() in result.decode().lower()


# --- API Reference ------------------------------------------------------------------------


def test_api_reference_signatures_and_returns() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    client = ByteITClient(api_key=your_api_key())
    input_connector = LocalFileInputConnector("document.pdf")
    job = client.create_job(input_connector, None, None, timeout=30, max_workers=5)
    jobs = client.create_job([input_connector, LocalFileInputConnector("document1.pdf")])
    assert isinstance(jobs, list)
    assert client.get_job(job.id, timeout=30).id == job.id
    assert client.list_jobs(timeout=30).count >= 1
    done = client.wait_for_job(job.id, poll_interval=5, max_wait_time=600, timeout=30)
    assert done.is_completed
    assert isinstance(client.get_job_result(job.id, output_path=None, timeout=30), bytes)
    single = client.process_document(
        input_connector,
        output_connector=None,
        processing_options=None,
        output_path=None,
        poll_interval=5,
        max_wait_time=600,
        timeout=30,
        max_workers=5,
    )
    assert isinstance(single, bytes)
    several = client.process_document([input_connector, input_connector])
    assert isinstance(several, list)
    assert all(isinstance(value, (bytes, str)) for value in several)
    client.close()


def test_job_and_job_list_properties() -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        job = client.wait_for_job(client.create_job(LocalFileInputConnector("document.pdf")).id)
        listed = client.list_jobs()
    assert job.id
    assert job.processing_status == "completed"
    assert job.processing_error is None
    assert job.created_at is not None
    assert job.metadata is not None
    assert job.metadata.original_filename == "document.pdf"
    assert (job.is_completed, job.is_failed, job.is_processing) == (True, False, False)
    assert isinstance(listed.jobs, list)
    assert listed.count >= 1
    assert listed.detail is None or isinstance(listed.detail, str)


def test_local_file_input_connector_properties() -> None:
    from byteit.connectors import LocalFileInputConnector

    connector = LocalFileInputConnector(file_path="document.pdf", file_type="pdf")
    assert connector.file_path == "document.pdf"
    assert connector.file_type == "pdf"
    assert LocalFileInputConnector("document.pdf").file_type is None


def test_exceptions_all_inherit_from_byteit_error() -> None:
    from byteit.exceptions import (
        APIKeyError,
        AuthenticationError,
        ByteITError,
        JobProcessingError,
        NetworkError,
        RateLimitError,
        ResourceNotFoundError,
        ServerError,
        ValidationError,
    )

    kinds = [APIKeyError, AuthenticationError, ValidationError, ResourceNotFoundError,
             RateLimitError, ServerError, NetworkError, JobProcessingError]  # fmt: skip
    assert all(issubclass(kind, ByteITError) for kind in kinds)


# --- AWS S3 Integration -------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _host, port = server.get_host_and_port()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """S3 on loopback for the client (AWS_ENDPOINT_URL) and the README's buckets in it."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_ROLE_ARN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIADEFAULTCHAIN0001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "default-chain-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    for bucket in ("my-documents", "my-results", "input-documents", "processed-documents",
                   "my-bucket"):  # fmt: skip
        client.create_bucket(Bucket=bucket)
    pdf = invoice_pdf()
    client.put_object(Bucket="my-documents", Key="invoices/invoice-2024.pdf", Body=pdf)
    client.put_object(Bucket="my-documents", Key="invoices/invoice.pdf", Body=pdf)
    client.put_object(Bucket="input-documents", Key="raw/document.pdf", Body=pdf)
    client.put_object(Bucket="my-bucket", Key="documents/file.pdf", Body=pdf)
    return client


def _object_text(s3: Any, bucket: str, key: str) -> str:
    return str(s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode())


def test_process_files_from_s3(s3: Any) -> None:
    from byteit import ByteITClient
    from byteit.connectors import S3InputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        input_connector = S3InputConnector(
            bucket="my-documents",
            key="invoices/invoice-2024.pdf",
            aws_access_key_id="YOUR_ACCESS_KEY",
            aws_secret_access_key="YOUR_SECRET_KEY",
            region="us-east-1",
        )
        result = client.process_document(
            input_connector=input_connector,
            processing_options={"output_format": "txt"},
            output_path="invoice_text.txt",
        )
    assert result == "invoice_text.txt"
    assert _has_text(result)


def test_save_results_to_s3(s3: Any) -> None:
    from byteit import ByteITClient
    from byteit.connectors import LocalFileInputConnector, S3OutputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        input_connector = LocalFileInputConnector("document.pdf")
        output_connector = S3OutputConnector(
            bucket="my-results",
            key="processed/document-result.txt",
            aws_access_key_id="YOUR_ACCESS_KEY",
            aws_secret_access_key="YOUR_SECRET_KEY",
            region="us-east-1",
        )
        result = client.process_document(
            input_connector=input_connector,
            output_connector=output_connector,
        )
    assert isinstance(result, str)
    text = _object_text(s3, "my-results", "processed/document-result.txt")
    assert INVOICE_WORD.lower() in text.lower()


def test_s3_to_s3_processing(s3: Any) -> None:
    from byteit import ByteITClient
    from byteit.connectors import S3InputConnector, S3OutputConnector

    with ByteITClient(api_key=your_api_key()) as client:
        input_connector = S3InputConnector(
            bucket="input-documents",
            key="raw/document.pdf",
            region="us-east-1",
        )
        output_connector = S3OutputConnector(
            bucket="processed-documents",
            key="processed/document.txt",
            region="us-east-1",
        )
        client.process_document(
            input_connector=input_connector,
            output_connector=output_connector,
        )
    text = _object_text(s3, "processed-documents", "processed/document.txt")
    assert INVOICE_WORD.lower() in text.lower()


def test_s3_connector_configuration_and_properties(s3: Any) -> None:
    from byteit.connectors import (
        ByteITStorageOutputConnector,
        S3InputConnector,
        S3OutputConnector,
    )

    input_connector = S3InputConnector(
        bucket="my-documents",
        key="invoices/invoice.pdf",
        aws_access_key_id="YOUR_ACCESS_KEY",
        aws_secret_access_key="YOUR_SECRET_KEY",
        region="us-east-1",
    )
    connector = S3InputConnector(
        bucket="my-bucket",
        key="documents/file.pdf",
        aws_access_key_id="YOUR_ACCESS_KEY",
        aws_secret_access_key="YOUR_SECRET_KEY",
        region="us-east-1",
    )
    output_connector = S3OutputConnector(
        bucket="my-results",
        key="processed/result.txt",
        aws_access_key_id="YOUR_ACCESS_KEY",
        aws_secret_access_key="YOUR_SECRET_KEY",
        region="us-east-1",
    )
    storage = ByteITStorageOutputConnector()
    assert storage is not None
    assert (input_connector.bucket, input_connector.key) == ("my-documents", "invoices/invoice.pdf")
    assert (connector.bucket, connector.key, connector.region) == (
        "my-bucket",
        "documents/file.pdf",
        "us-east-1",
    )
    assert connector.aws_access_key_id == "YOUR_ACCESS_KEY"
    assert connector.aws_secret_access_key == "YOUR_SECRET_KEY"
    assert connector.file_type is None
    assert (output_connector.bucket, output_connector.key) == ("my-results", "processed/result.txt")
    assert output_connector.aws_access_key_id == "YOUR_ACCESS_KEY"
    assert output_connector.aws_secret_access_key == "YOUR_SECRET_KEY"
    assert output_connector.region == "us-east-1"
    assert "YOUR_SECRET_KEY" not in repr(connector) + str(output_connector)
