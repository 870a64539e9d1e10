"""A server that plays a conformance scenario's script on 127.0.0.1 and records each request.

The ByteIT behaviour spec (``docs/client-behaviour.md``) is tested by scripting
what the server answers, request by request, and looking at what the client
sent. Each route of a script is a method, a path (``*`` matches one path
segment) and a list of answers given in turn, the last one repeated. An answer
is a status, headers and a body (JSON, text or an HTML page), optionally after
a delay; or a misbehaviour: a dropped connection, or a body cut short. A request
no route matches gets a 418, which no client retries.

Standard library only (``http.server``), so that the conformance runner needs
none of the local server's dependencies, and so that a connection can be
dropped or a body truncated at will, which a framework would not allow.
"""

from __future__ import annotations

import contextlib
import email.utils
import fnmatch
import json
import re
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
from typing_extensions import Self

NOT_SCRIPTED = 418
_TEMPLATE = re.compile(r"\{\{(api_key|http_date_in:-?[0-9.]+)\}\}")
_FILE_PART = re.compile(rb'name="(files?)"; filename="([^"]*)"')


@attrs.frozen
class Recorded:
    """One request as the server saw it; times are `time.monotonic()` seconds."""

    method: str
    path: str
    query: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    received: float
    answered: float

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@attrs.define
class Route:
    """Answers for the requests that match `method` and `path`, given in turn."""

    method: str
    path: str
    answers: Sequence[Mapping[str, Any]]
    step: int | None = None  # only during this step of the scenario (1-based)
    served: int = 0

    def matches(self, method: str, path: str, step: int) -> bool:
        if self.step is not None and self.step != step:
            return False
        return method == self.method.upper() and path_matches(self.path, path)

    def next_answer(self) -> Mapping[str, Any]:
        answer = self.answers[min(self.served, len(self.answers) - 1)]
        self.served += 1
        return answer


def path_matches(pattern: str, path: str) -> bool:
    wanted, given = pattern.strip("/").split("/"), path.strip("/").split("/")
    return len(wanted) == len(given) and all(
        fnmatch.fnmatchcase(part, want) for want, part in zip(wanted, given, strict=True)
    )


class ScenarioServer:
    """Plays `routes` on 127.0.0.1 (a free port) from `start()` until `stop()`.

    Example:
        >>> with ScenarioServer(routes, api_key="k.s") as server:
        ...     print(server.base_url, server.requests)
    """

    def __init__(self, routes: Sequence[Mapping[str, Any]], *, api_key: str) -> None:
        self.routes = [
            Route(r["match"]["method"], r["match"]["path"], r["respond"], r["match"].get("step"))
            for r in routes
        ]
        self.step = 1  # the runner moves it on between the client's calls
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._http = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        # serve_forever checks for shutdown this often: its 0.5 s default would be the
        # longest part of many scenarios.
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; returns once every request under way (a delayed one) is answered."""
        self._http.shutdown()
        self._http.server_close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def answer_for(self, method: str, path: str) -> Mapping[str, Any] | None:
        with self._lock:
            for route in self.routes:
                if route.matches(method, path, self.step):
                    return route.next_answer()
        return None

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def fill(self, text: str) -> str:
        """`text` with ``{{api_key}}`` and ``{{http_date_in:SECONDS}}`` filled in."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "api_key":
                return self.api_key
            offset = float(name.partition(":")[2])
            return email.utils.formatdate(time.time() + offset, usegmt=True)

        return _TEMPLATE.sub(value, text)


class _QuietServer(ThreadingHTTPServer):
    # Handler threads are joined on close (see `stop`), so that every request is recorded.
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is part of the scenario, not an error."""


def _handler_for(server: ScenarioServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_ScenarioHandler):
        scenario = server

    return Handler


class _ScenarioHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real service offers
    scenario: ScenarioServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the runner reports what matters."""

    def _serve(self) -> None:
        received = time.monotonic()
        body = self._read_body()
        path, _, query = self.path.partition("?")
        answer = self.scenario.answer_for(self.command, path)
        if answer is None:
            answer = {"status": NOT_SCRIPTED, "json": {"detail": f"not scripted: {path}"}}
        try:
            self._play(answer, body)
        finally:
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.scenario.record(
                Recorded(self.command, path, query, headers, body, received, time.monotonic())
            )

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()  # the blank line after the last chunk
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _play(self, answer: Mapping[str, Any], request_body: bytes) -> None:
        if answer.get("delay"):
            time.sleep(float(answer["delay"]))
        if answer.get("drop"):
            self._hang_up()
            return
        status, headers, body = self._compose(answer, request_body)
        cut = answer.get("truncate_at")
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body if cut is None else body[: int(cut)])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return
        if cut is not None:
            self._hang_up()

    def _hang_up(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client left first
            self.connection.shutdown(socket.SHUT_RDWR)

    def _compose(
        self, answer: Mapping[str, Any], request_body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        fill = self.scenario.fill
        headers = {name: fill(str(value)) for name, value in answer.get("headers", {}).items()}
        if "created_jobs" in answer:
            payload = created_jobs(request_body, answer["created_jobs"])
            headers.setdefault("Content-Type", "application/json")
            return int(answer.get("status", 201)), headers, json.dumps(payload).encode()
        if "json" in answer:
            headers.setdefault("Content-Type", "application/json")
            return _answer(answer, headers, fill(json.dumps(answer["json"])))
        if "html" in answer:
            headers.setdefault("Content-Type", "text/html; charset=utf-8")
            return _answer(answer, headers, fill(answer["html"]))
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        return _answer(answer, headers, fill(answer.get("body", "")))


def _answer(
    answer: Mapping[str, Any], headers: dict[str, str], text: str
) -> tuple[int, dict[str, str], bytes]:
    return int(answer.get("status", 200)), headers, text.encode("utf-8")


def created_jobs(request_body: bytes, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A creation answer naming one job per uploaded file, its id made from the file's name
    (``a.txt`` is job ``job-a.txt``): ``parse_job`` for a ``file`` part, ``parse_jobs``
    for repeated ``files`` parts."""
    parts = _FILE_PART.findall(request_body)
    jobs = [_job_for(name.decode("utf-8", "replace"), fields) for _field, name in parts]
    if len(parts) == 1 and parts[0][0] == b"file":
        return {"parse_job": jobs[0]}
    return {"parse_jobs": jobs, "failed_files": []}


def _job_for(file_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": f"job-{file_name}",
        "processing_status": "pending",
        "metadata": {"original_filename": file_name},
        **fields,
    }
