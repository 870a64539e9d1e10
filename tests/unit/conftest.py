"""Shared fixtures for the unit tests: a fake clock, a tiny fake ByteIT server, sample files.

Nothing here sleeps or touches the network: every client sends through an
`httpx.MockTransport` wired to a `FakeServer`, and waits on a `FakeClock`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import io
import json
import os
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

from byteit import AsyncByteITClient, ByteITClient

API_KEY = "kid_4f2a.Sup3rS3cretValue-9x"
BASE_URL = "http://127.0.0.1:9"
CREATE_PATH = "/v1/jobs/parse-jobs/"

Reply = httpx.Response | Callable[[httpx.Request], httpx.Response] | BaseException


class FakeClock:
    """A clock whose time moves only when the client sleeps; it records every sleep."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(0.0, seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


class FakeServer:
    """Answers requests from a table of routes and records every request it saw.

    A route is a method and a path (a regex matched against the whole path); its
    replies are used in turn, the last one repeating. A reply is a response, a
    callable taking the request, or an exception to raise (a transport error).
    """

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self._routes: list[tuple[str, re.Pattern[str], list[Reply]]] = []
        self._lock = threading.Lock()

    def add(self, method: str, path: str, *replies: Reply, first: bool = False) -> None:
        """Route `method` `path` to `replies`; `first` puts it before existing routes."""
        route = (method.upper(), re.compile(path), list(replies))
        self._routes.insert(0 if first else len(self._routes), route)

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        return self.answer(request)

    def answer(self, request: httpx.Request) -> httpx.Response:
        """The reply a request gets, without recording it (a fake list asks its own routes)."""
        with self._lock:
            reply = self._next_reply(request)
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            return reply(request)  # an async callable's coroutine is awaited by the transport
        # A response object is used once by a client; answer with a fresh copy each time.
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)

    def _next_reply(self, request: httpx.Request) -> Reply:
        for method, pattern, replies in self._routes:
            if method == request.method and pattern.fullmatch(request.url.path):
                return replies.pop(0) if len(replies) > 1 else replies[0]
        raise AssertionError(f"no fake route for {request.method} {request.url.path}")

    def sent(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        """The requests seen, optionally only those with this method and path regex."""
        return [
            r
            for r in self.requests
            if (method is None or r.method == method)
            and (path is None or re.fullmatch(path, r.url.path))
        ]


class BreakingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that sends `head` and then loses the connection with `error`."""

    def __init__(self, head: bytes, error: Exception) -> None:
        self.head, self.error = head, error

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.head
        raise self.error


def job_json(job_id: str = "job-1", status: str = "completed", **fields: Any) -> dict[str, Any]:
    """A parse job object as the service sends it."""
    return {"id": job_id, "processing_status": status, **fields}


def json_reply(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    return httpx.Response(status, json=payload, headers=headers)


def result_reply(content: bytes, filename: str = "result.txt", **headers: str) -> httpx.Response:
    """A result download: raw bytes with a Content-Disposition attachment header."""
    all_headers = {
        "Content-Type": "text/plain",
        "Content-Disposition": f'attachment; filename="{filename}"',
        **headers,
    }
    return httpx.Response(200, content=content, headers=all_headers)


@attrs.frozen
class Part:
    """One part of a multipart body."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def boundary_of(request: httpx.Request) -> bytes:
    match = re.search(r"boundary=([^;]+)", request.headers["content-type"])
    assert match, request.headers["content-type"]
    return match.group(1).strip('"').encode()


def multipart(request: httpx.Request) -> dict[str, Part]:
    """The parts of a multipart/form-data request, by field name (the last of a repeated one)."""
    return {part.name: part for part in multipart_parts(request)}


def multipart_parts(request: httpx.Request) -> list[Part]:
    """Every part of a multipart/form-data request, in order."""
    boundary = boundary_of(request)
    parts: list[Part] = []
    for raw in request.content.split(b"--" + boundary)[1:-1]:
        head, _, data = raw.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n") if ": " in line)
        disposition = headers.get("Content-Disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        assert name, disposition
        parts.append(
            Part(
                name=name.group(1),
                filename=filename.group(1) if filename else None,
                content_type=headers.get("Content-Type"),
                data=data,
            )
        )
    return parts


def uploaded_files(request: httpx.Request) -> list[Part]:
    """The document parts of a creation: one ``file``, or repeated ``files``."""
    return [part for part in multipart_parts(request) if part.name in ("file", "files")]


def uploaded_filename(request: httpx.Request) -> str:
    part = multipart(request)["file"]
    assert part.filename is not None
    return part.filename


def serve_documents(server: FakeServer, results: dict[str, bytes]) -> list[str]:
    """A whole happy run: creation (one ``file`` or several ``files``), status, job, the
    job list and each result. Returns the ids of the jobs created, in order.

    A file ``a.pdf`` becomes job ``job-a.pdf``; its result is ``results["a.pdf"]``.
    The list shows each created job as its GET route answers it, so a test that
    overrides one job's route changes the list too.
    """
    created: list[str] = []

    def describe(name: str, status: str) -> dict[str, Any]:
        metadata = {"original_filename": name, "document_type": name.rpartition(".")[2]}
        return job_json(f"job-{name}", status, metadata=metadata)

    def create(request: httpx.Request) -> httpx.Response:
        parts = uploaded_files(request)
        jobs = [describe(part.filename or "", "pending") for part in parts]
        created.extend(job["id"] for job in jobs)
        if parts[0].name == "file":
            return json_reply({"parse_job": jobs[0]}, status=201)
        return json_reply({"parse_jobs": jobs, "failed_files": []}, status=201)

    def get(request: httpx.Request) -> httpx.Response:
        job_id = request.url.path.split("/")[-2]
        return json_reply({"parse_job": describe(job_id.removeprefix("job-"), "completed")})

    def listing(request: httpx.Request) -> httpx.Response:
        jobs = []
        for job_id in reversed(created):
            url = request.url.join(f"{job_id}/")
            jobs.append(json.loads(server.answer(httpx.Request("GET", url)).content)["parse_job"])
        return json_reply({"parse_jobs": jobs, "count": len(jobs), "detail": "ok"})

    def result(request: httpx.Request) -> httpx.Response:
        name = request.url.path.split("/")[-3].removeprefix("job-")
        return result_reply(results[name], filename=f"{Path(name).stem}.txt")

    server.add("POST", CREATE_PATH, create)
    server.add("GET", CREATE_PATH, listing)
    server.add("GET", r"/v1/jobs/[^/]+/status/", json_reply({"processing_status": "completed"}))
    server.add("GET", r"/v1/jobs/parse-jobs/[^/]+/result/", result)
    server.add("GET", r"/v1/jobs/parse-jobs/[^/]+/", get)
    return created


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


class BlockingAsyncClient:
    """An `AsyncByteITClient` whose coroutine methods run to completion when called.

    It lets one scenario, written with plain calls, test both clients.
    """

    def __init__(self, client: AsyncByteITClient, runner: asyncio.Runner) -> None:
        self._client = client
        self._runner = runner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name == "with_options":  # a new client: blocking too, on the same loop
            return lambda **options: BlockingAsyncClient(attr(**options), self._runner)
        if not inspect.iscoroutinefunction(attr):
            return attr

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            return self._runner.run(attr(*args, **kwargs))

        return call

    def __repr__(self) -> str:
        return repr(self._client)


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Which client the scenario runs against: ByteITClient or AsyncByteITClient."""
    return str(request.param)


@pytest.fixture
def make_client(
    server: FakeServer, clock: FakeClock, flavour: str
) -> Iterator[Callable[..., ByteITClient]]:
    """Build clients (sync or async, per `flavour`) that talk to `server` and wait on
    `clock`; all are closed afterwards."""
    with contextlib.ExitStack() as stack:
        runner = stack.enter_context(asyncio.Runner())

        def build(**kwargs: Any) -> ByteITClient:
            kwargs.setdefault("api_key", API_KEY)
            kwargs.setdefault("base_url", BASE_URL)
            transport = httpx.MockTransport(server.handle)
            if flavour == "sync":
                http = stack.enter_context(httpx.Client(transport=transport))
                return stack.enter_context(ByteITClient(http_client=http, clock=clock, **kwargs))
            ahttp = httpx.AsyncClient(transport=transport)
            stack.callback(runner.run, ahttp.aclose())
            aclient = AsyncByteITClient(http_client=ahttp, clock=clock, **kwargs)
            stack.callback(runner.run, aclient.aclose())
            return BlockingAsyncClient(aclient, runner)  # type: ignore[return-value]

        yield build


@pytest.fixture
def client(make_client: Callable[..., ByteITClient]) -> ByteITClient:
    """A client with the default retry policy (3 retries)."""
    return make_client()


@pytest.fixture
def no_retry_client(make_client: Callable[..., ByteITClient]) -> ByteITClient:
    """A client that never retries, to see each answer's error directly."""
    return make_client(max_retries=0)


PIPE_DATA = b"piped document " * 100


@pytest.fixture
def pipe_stream() -> Iterator[io.BufferedReader]:
    """A non-seekable binary stream (a real OS pipe) holding PIPE_DATA."""
    read_fd, write_fd = os.pipe()
    with os.fdopen(write_fd, "wb") as writer:
        writer.write(PIPE_DATA)
    with os.fdopen(read_fd, "rb") as reader:
        assert not reader.seekable()
        yield reader


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    return path


@pytest.fixture
def txt_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello from a text file\n")
    return path


def dumps(payload: Any) -> bytes:
    return json.dumps(payload).encode()
