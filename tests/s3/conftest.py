"""S3 tests: a moto S3 server on 127.0.0.1 and a fake ByteIT behind an httpx transport.

Nothing here reaches AWS: every S3 call goes to the moto server over loopback
with dummy credentials, the instance-metadata lookup is disabled, and no AWS
config file is read.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import httpx
import pytest
from moto.server import ThreadedMotoServer

from byteit import ByteITClient
from byteit.retry import RetryPolicy

KEY_ID = "AKIATESTKEYID0000001"
SECRET = "s3cr3t/Value+ThatMustNeverLeak0123456789"
REGION = "us-east-1"
BASE_URL = "http://127.0.0.1:9"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _host, port = server.get_host_and_port()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Dummy credentials in the environment; nothing else boto3 could use."""
    for name in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def s3(moto_endpoint: str) -> Any:
    """A plain boto3 client for arranging and inspecting the bucket."""
    return s3_client(moto_endpoint)


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"test-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def conn(moto_endpoint: str) -> dict[str, Any]:
    """The connection arguments every connector under test takes."""
    return {"endpoint_url": moto_endpoint, "region": REGION}


# --- a fake ByteIT --------------------------------------------------------------------


class FakeClock:
    """Time that moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


class StreamingMockTransport(httpx.MockTransport):
    """`httpx.MockTransport`, except that the handler gets the request body unread.

    (MockTransport reads the whole body first, which a 200 MB upload must avoid.)
    """

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.handler(request)
        assert isinstance(response, httpx.Response)
        return response


class UploadRecord:
    """What one creation request carried, read from its body chunk by chunk.

    The document's bytes are hashed as they pass, never kept; the rest of the
    form (small) is kept in `fields`, the document part's headers in `file_headers`.
    """

    HOLD = 1 << 16

    def __init__(self, request: httpx.Request) -> None:
        self.headers = request.headers
        boundary = re.search(r"boundary=([^;]+)", request.headers["content-type"])
        assert boundary is not None
        self.boundary = b"--" + boundary.group(1).strip('"').encode()
        self.size = 0
        self.file_size: int | None = None
        self.file_sha256: str | None = None
        self.file_headers = ""
        self._digest = hashlib.sha256()
        self._consume(request.stream)  # type: ignore[arg-type]

    @property
    def has_file(self) -> bool:
        return self.file_size is not None

    def _consume(self, stream: Iterable[bytes]) -> None:
        head, tail, file_start = bytearray(), bytearray(), -1
        for chunk in stream:
            self.size += len(chunk)
            if file_start >= 0:
                tail += chunk
                self._hash_all_but(tail, self.HOLD)
                continue
            head += chunk
            file_start = _file_content_start(head)
            if file_start >= 0:
                tail += head[file_start:]
                del head[file_start:]
                self.file_size = 0
        if file_start >= 0:
            cut = tail.find(b"\r\n" + self.boundary)
            self._hash_all_but(tail, len(tail) - cut)
            self.file_sha256 = self._digest.hexdigest()
            self.file_headers = bytes(head).decode()
            head += b"(file)" + tail
        self.fields = _form_fields(bytes(head), self.boundary)

    def _hash_all_but(self, tail: bytearray, keep: int) -> None:
        if len(tail) > keep:
            cut = len(tail) - keep
            self._digest.update(tail[:cut])
            self.file_size = (self.file_size or 0) + cut
            del tail[:cut]

    def field(self, name: str) -> str | None:
        return self.fields.get(name)


def _file_content_start(head: bytearray) -> int:
    named = head.find(b'name="file"')
    end = head.find(b"\r\n\r\n", named) if named >= 0 else -1
    return end + 4 if end >= 0 else -1


def _form_fields(body: bytes, boundary: bytes) -> dict[str, str]:
    fields = {}
    for part in body.split(boundary)[1:-1]:
        headers, _, value = part.partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', headers)
        assert name is not None
        fields[name.group(1).decode()] = value[: -len(b"\r\n")].decode()
    return fields


class FakeByteIT:
    """Creates jobs that complete at once and serve `result` (or what `result_for` says)."""

    def __init__(self) -> None:
        self.uploads: list[UploadRecord] = []
        self.requests: list[httpx.Request] = []
        self.jobs: dict[str, dict[str, Any]] = {}
        self.result_for: Callable[[dict[str, Any]], httpx.Response] = self.text_result
        self.refuse_creations: list[httpx.Response] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.method == "POST" and path == "/v1/jobs/parse-jobs/":
            return self._create(request)
        if path == "/v1/jobs/parse-jobs/":
            jobs = list(self.jobs.values())
            return httpx.Response(200, json={"parse_jobs": jobs, "count": len(jobs)})
        job_id = path.strip("/").split("/")[-2 if path.endswith("/status/") else -1]
        if path.endswith("/result/"):
            return self.result_for(self.jobs[path.split("/")[-3]])
        if path.endswith("/status/"):
            return httpx.Response(200, json={"processing_status": "completed", "progress": 100})
        return httpx.Response(200, json={"parse_job": self.jobs[job_id]})

    def _create(self, request: httpx.Request) -> httpx.Response:
        record = UploadRecord(request)
        self.uploads.append(record)
        if self.refuse_creations:
            return self.refuse_creations.pop(0)
        job_id = f"job-{len(self.jobs) + 1}"
        data = json.loads(record.field("input_connection_data") or "{}")
        name = data.get("source_path_inside_bucket", "").rpartition("/")[2]
        filename = re.search(r'filename="([^"]+)"', record.file_headers)
        if filename:
            name = filename.group(1)
        self.jobs[job_id] = {
            "id": job_id,
            "processing_status": "completed",
            "metadata": {"original_filename": name},
        }
        return httpx.Response(200, json={"parse_job": {**self.jobs[job_id], "status": "pending"}})

    @staticmethod
    def text_result(job: dict[str, Any]) -> httpx.Response:
        body = f"text of {job['metadata']['original_filename']}".encode()
        return result_response(body)


def result_response(body: bytes | httpx.SyncByteStream) -> httpx.Response:
    headers = {"content-disposition": 'attachment; filename="result.txt"'}
    headers["content-type"] = "text/plain"
    if isinstance(body, bytes):
        return httpx.Response(200, headers=headers, content=body)
    return httpx.Response(200, headers=headers, stream=body)


@pytest.fixture
def byteit() -> FakeByteIT:
    return FakeByteIT()


@pytest.fixture
def client(byteit: FakeByteIT) -> Iterator[ByteITClient]:
    http = httpx.Client(transport=StreamingMockTransport(byteit.handler))
    with ByteITClient(
        api_key="dev.key",
        base_url=BASE_URL,
        http_client=http,
        clock=FakeClock(),
        retry_policy=RetryPolicy(max_retries=0),
    ) as c:
        yield c
    http.close()
