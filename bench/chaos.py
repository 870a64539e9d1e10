"""A batch under faults: 200 documents through a server that misbehaves, against none.

The server (8 workers, 0.2 s per job) answers a seeded share of ``/v1/``
requests badly: 10% 503 and 5% 429 (each with ``Retry-After: 1``), 5% dropped
connections, and 3% answered a second late. The same batch, with default
settings, runs against a well-behaved server and against that one.

Targets, measured side by side in one run:
- wall time under faults <= 2 x without;
- requests under faults <= 1.5 x without (retries included: the client's
  httpx hook counts every request sent);
- exactly one job per document on the server, and every result correct.

A random fault is one failed request, retried on its own; the batch neither
halves its depth nor pauses for it (see ``byteit._batch._pressure``).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.batch import API_KEY, TIMEOUT, WARM_UP_KEY, server_process, write_documents
from byteit import AsyncByteITClient
from byteit._clients._config import LIMITS
from byteit_server import ServerConfig

DOCUMENTS = 200
WORKERS = 8
PROCESSING_DELAY = 0.2
FAULTS = {
    "fault_503": 0.10,
    "fault_429": 0.05,
    "fault_drop": 0.05,
    "fault_slow": 0.03,
    "fault_slow_seconds": 1.0,
    "fault_seed": 11,
}


@dataclass(frozen=True)
class Run:
    seconds: float
    requests: int
    jobs: int
    wrong: int


async def _count(request: httpx.Request, counter: list[int]) -> None:
    counter[0] += 1


async def batch(base_url: str, paths: Sequence[Path]) -> Run:
    await _warm_up(base_url, paths[:4])
    counter = [0]
    hooks = {"request": [lambda request: _count(request, counter)]}
    async with (
        httpx.AsyncClient(timeout=TIMEOUT, limits=LIMITS, event_hooks=hooks) as http,
        AsyncByteITClient(API_KEY, base_url=base_url, http_client=http) as client,
    ):
        start = time.perf_counter()
        results = await client.process_documents(list(paths), on_error="return")
        seconds = time.perf_counter() - start
        jobs = await _job_count(client)
    wrong = sum(
        1
        for path, result in zip(paths, results, strict=True)
        if not isinstance(result.value, bytes)
        or result.value.rstrip(b"\n") != path.read_bytes().rstrip(b"\n")
    )
    return Run(seconds, counter[0], jobs, wrong)


async def _warm_up(base_url: str, paths: Sequence[Path]) -> None:
    """A few jobs under another key, so that the server's worker processes run."""
    async with AsyncByteITClient(WARM_UP_KEY, base_url=base_url) as client:
        await client.process_documents(list(paths), on_error="return")


async def _job_count(client: AsyncByteITClient) -> int:
    """The jobs the server holds for the bench key (the list is retried through faults)."""
    for _ in range(20):
        try:
            return len(await client.list_jobs())
        except Exception:
            continue
    return -1


def timed(paths: Sequence[Path], faults: dict[str, float]) -> Run:
    with tempfile.TemporaryDirectory(prefix="byteit-chaos-") as folder:
        config = ServerConfig(
            data_dir=Path(folder),
            port=0,
            workers=WORKERS,
            processing_delay=PROCESSING_DELAY,
            api_keys=(API_KEY, WARM_UP_KEY),
            **faults,  # type: ignore[arg-type]
        )
        with server_process(config) as base_url:
            return asyncio.run(batch(base_url, paths))


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="byteit-docs-") as folder:
        paths = write_documents(Path(folder), DOCUMENTS)
        calm = timed(paths, {})
        chaos = timed(paths, FAULTS)
    shares = ", ".join(f"{k[6:]} {v:g}" for k, v in FAULTS.items() if k != "fault_seed")
    print(f"chaos: {DOCUMENTS} documents, {WORKERS} workers, {PROCESSING_DELAY} s/job ({shares})")
    for name, run in (("no faults", calm), ("faults", chaos)):
        print(
            f"  {name:<10}{run.seconds:7.2f} s  {run.requests / DOCUMENTS:5.2f} requests/document"
            f"  {run.jobs} jobs  {run.wrong} wrong results"
        )
    wall, requests = chaos.seconds / calm.seconds, chaos.requests / calm.requests
    exact = chaos.jobs == DOCUMENTS and chaos.wrong == 0 and calm.wrong == 0
    print(f"  wall faults/none {wall:.2f}   target <= 2: {_verdict(wall <= 2)}")
    print(f"  requests faults/none {requests:.2f}   target <= 1.5: {_verdict(requests <= 1.5)}")
    print(f"  one job per document, all correct: {_verdict(exact)}")


if __name__ == "__main__":
    main()
