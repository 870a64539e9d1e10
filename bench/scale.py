"""A batch of 10,000 documents to ``output_dir``: memory, throughput and requests at scale.

The local server runs with no processing delay (16 workers), so the client's
own costs show. The client runs in a process of its own, started afresh for
each run, so that its peak RSS (``VmHWM``) is the batch's alone; the server runs
in another. The same batch of SMALL documents runs first, side by side.

Targets:
- client peak RSS <= 150 MB for 10,000 documents;
- throughput (documents per second) within 15% of the SMALL run's;
- requests per document <= 2.
Client CPU per document is reported (user + system time of the client process).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

from bench.batch import API_KEY, TIMEOUT, server_process, write_documents
from byteit_server import ServerConfig

LARGE = 10_000
SMALL = 800
WORKERS = 16
RSS_TARGET_MB = 150


@dataclass(frozen=True)
class Run:
    documents: int
    seconds: float
    requests: int
    cpu: float
    peak_mb: float
    failed: int

    @property
    def rate(self) -> float:
        return self.documents / self.seconds


def _client(base_url: str, folder: str, output: str, pipe: Connection) -> None:
    """The child process: one batch, then its figures down the pipe."""
    from byteit import AsyncByteITClient  # noqa: PLC0415  (imported in the child alone)
    from byteit._clients._config import LIMITS  # noqa: PLC0415

    counter = [0]

    async def count(_request: httpx.Request) -> None:
        counter[0] += 1

    async def run() -> tuple[float, int]:
        hooks = {"request": [count]}
        async with (
            httpx.AsyncClient(timeout=TIMEOUT, limits=LIMITS, event_hooks=hooks) as http,
            AsyncByteITClient(API_KEY, base_url=base_url, http_client=http) as client,
        ):
            start = time.perf_counter()
            results = await client.process_documents([folder], output_dir=output, on_error="return")
            seconds = time.perf_counter() - start
        return seconds, sum(1 for result in results if not result.ok)

    before = resource.getrusage(resource.RUSAGE_SELF)
    seconds, failed = asyncio.run(run())
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    pipe.send((seconds, counter[0], cpu, _peak_mb(), failed))


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(count: int) -> Run:
    with tempfile.TemporaryDirectory(prefix="byteit-scale-") as scratch:
        root = Path(scratch)
        (root / "docs").mkdir()
        write_documents(root / "docs", count)
        config = ServerConfig(
            data_dir=root / "server", port=0, workers=WORKERS, api_keys=(API_KEY,)
        )
        with server_process(config) as base_url:
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            args = (base_url, str(root / "docs"), str(root / "out"), theirs)
            process = context.Process(target=_client, args=args)
            process.start()
            seconds, requests, cpu, peak, failed = ours.recv()
            process.join()
    return Run(count, seconds, requests, cpu, peak, failed)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    small, large = measure(SMALL), measure(LARGE)
    print(f"scale: batches to output_dir (server: {WORKERS} workers, no processing delay)")
    for run in (small, large):
        print(
            f"  {run.documents:>6} documents {run.seconds:7.2f} s  {run.rate:6.1f} documents/s"
            f"  {run.requests / run.documents:4.2f} requests/document"
            f"  client CPU {1000 * run.cpu / run.documents:5.2f} ms/document"
            f"  peak RSS {run.peak_mb:6.1f} MB  {run.failed} failed"
        )
    ratio = large.rate / small.rate
    per_document = large.requests / large.documents
    print(f"  peak RSS {large.peak_mb:.0f} MB   target <= {RSS_TARGET_MB}: "
          f"{_verdict(large.peak_mb <= RSS_TARGET_MB)}")  # fmt: skip
    print(f"  throughput {LARGE}/{SMALL} {ratio:.2f}   target >= 0.85: {_verdict(ratio >= 0.85)}")
    print(f"  requests/document {per_document:.2f}   target <= 2: {_verdict(per_document <= 2)}")
    if small.failed or large.failed:
        print("  FAILED: some documents failed")


if __name__ == "__main__":
    main()
