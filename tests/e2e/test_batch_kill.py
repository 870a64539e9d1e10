"""A batch killed with ``kill -9`` and run again: exactly one job per document, every output.

The batch runs in a child process (with either client) against the local server
(in this process). The child reports its progress on stdout; the test reads it
(blocking, no sleeping) and kills the child with SIGKILL at the chosen moment,
then runs the same batch again here, with the same state file.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import OpenClient, Run

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

DOCUMENTS = 40
CHILD = textwrap.dedent(
    """
    import asyncio
    import sys
    from byteit import AsyncByteITClient, ByteITClient

    flavour, api_key, base_url, folder, out, state = sys.argv[1:]

    def report(stats):
        print(f"{stats.done} {stats.failed} {stats.in_flight}", flush=True)

    options = dict(
        output_dir=out, state_file=state, max_concurrency=8, poll_interval=0.05,
        on_progress=report,
    )

    async def run_async():
        async with AsyncByteITClient(api_key, base_url=base_url) as client:
            await client.process_documents([folder], **options)

    if flavour == "async":
        asyncio.run(run_async())
    else:
        with ByteITClient(api_key, base_url=base_url) as client:
            client.process_documents([folder], **options)
    print("finished", flush=True)
    """
)

KillPoint = Callable[[int, int, int], bool]
KILL_POINTS: dict[str, KillPoint] = {
    "while-creating": lambda done, _failed, in_flight: in_flight > 0 and done == 0,
    "midway": lambda done, _failed, _in_flight: done >= 10,
    "near-the-end": lambda done, _failed, _in_flight: done >= DOCUMENTS - 5,
}


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    for i in range(DOCUMENTS):
        sub = folder / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc{i:02}.txt").write_text(f"document number {i}\n")
    return folder


def run_child_until(
    server: Any,
    flavour: str,
    args: list[str],
    kill_point: KillPoint,
    base_url: str | None = None,
    script: str = CHILD,
) -> bool:
    """Run the batch (`script`) in a child with the `flavour` client; SIGKILL it at
    `kill_point`. True if it was killed."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, flavour, server.api_key, base_url or server.base_url, *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_PROXY": "127.0.0.1"},
    )
    assert child.stdout is not None
    killed = False
    for line in child.stdout:
        if line.startswith("finished"):
            break
        done, failed, in_flight = (int(part) for part in line.split())
        if kill_point(done, failed, in_flight):
            os.kill(child.pid, signal.SIGKILL)
            killed = True
            break
    child.stdout.close()
    child.wait(timeout=60)
    return killed


class KillOnCreatedProxy:
    """A TCP proxy to the server that SIGKILLs the child the moment the server answers
    its first creation (201): the jobs exist, and the child never learns their ids."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.child_pid: int | None = None
        self.killed = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        with source, target:
            while chunk := _receive(source):
                if answers and chunk.startswith(b"HTTP/1.1 201") and self.child_pid:
                    os.kill(self.child_pid, signal.SIGKILL)
                    self.killed.set()
                    return
                target.sendall(chunk)

    def close(self) -> None:
        self._listener.close()


def _receive(sock: socket.socket) -> bytes:
    try:
        return sock.recv(1 << 16)
    except OSError:
        return b""


def server_jobs(server: Any) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{server.base_url}/v1/jobs/parse-jobs/", headers={"X-API-Key": server.api_key}
    )
    answer.raise_for_status()
    jobs: list[dict[str, Any]] = answer.json()["parse_jobs"]
    return jobs


def test_a_child_killed_after_the_server_created_its_jobs_leaves_no_duplicate(
    open_client: OpenClient,
    run: Run,
    flavour: str,
    byteit_server_factory: Any,
    documents: Path,
    tmp_path: Path,
) -> None:
    """The one window only the server can close: jobs made, their ids never recorded.
    The second run sends the same group under the same Idempotency-Key."""
    server = byteit_server_factory(workers=4, processing_delay=0.05)
    out, state = tmp_path / "out", tmp_path / "run.batch"
    port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    proxy = KillOnCreatedProxy(port)
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, flavour, server.api_key, f"http://127.0.0.1:{proxy.port}",
             str(documents), str(out), str(state)],
            stdout=subprocess.DEVNULL,
            env={**os.environ, "NO_PROXY": "127.0.0.1"},
        )  # fmt: skip
        proxy.child_pid = child.pid
        child.wait(timeout=60)
    finally:
        proxy.close()
    assert proxy.killed.is_set()
    assert len(server_jobs(server)) > 0  # the server made jobs the child never recorded
    assert '"e":"job"' not in state.read_text()
    with open_client(server) as client:
        results = run(client.process_documents([documents], output_dir=out, state_file=state))
    assert all(result.ok for result in results)
    names = sorted(job["metadata"]["original_filename"] for job in server_jobs(server))
    assert names == sorted(f"doc{i:02}.txt" for i in range(DOCUMENTS))


@pytest.mark.parametrize("moment", sorted(KILL_POINTS))
@pytest.mark.parametrize("killed", ["sync", "async"], ids=["killed-sync", "killed-async"])
def test_a_batch_killed_and_run_again_makes_one_job_per_document(
    open_client: OpenClient,
    run: Run,
    byteit_server_factory: Any,
    documents: Path,
    tmp_path: Path,
    moment: str,
    killed: str,
) -> None:
    """Whichever client was killed (`killed`), either client (`flavour`) finishes the run."""
    server = byteit_server_factory(workers=4, processing_delay=0.05)
    out, state = tmp_path / "out", tmp_path / "run.batch"
    args = [str(documents), str(out), str(state)]
    assert run_child_until(server, killed, args, KILL_POINTS[moment]), "the child finished first"

    with open_client(server) as client:
        results = run(client.process_documents([documents], output_dir=out, state_file=state))

    assert all(result.ok for result in results)
    jobs = server_jobs(server)
    names = sorted(job["metadata"]["original_filename"] for job in jobs)
    assert names == sorted(f"doc{i:02}.txt" for i in range(DOCUMENTS))  # one job each
    expected = [out / f"part{i % 3}" / f"doc{i:02}.txt.txt" for i in range(DOCUMENTS)]
    for i, written in enumerate(expected):
        assert written.read_text().strip() == f"document number {i}"
    # nothing else: no half-written output, no temporary file of the killed run
    assert sorted(path for path in out.rglob("*") if path.is_file()) == sorted(expected)
