"""How soon results are fetched once their jobs finish: in a batch, and for one document.

The local server runs 16 workers whose jobs take a seeded spread of 0.1 to 0.5 s
(``processing_delay`` to ``processing_delay_max``), so a client tuned to one
constant duration gains nothing. Both parts use default settings.

- lag in a batch: BATCH documents through ``process_documents``. For each job,
  the time from its completion on the server (``finished_processing_at`` in the
  server's record) to the client's first request for its result (an httpx
  request hook, on the same machine's clock). Target: median <= 40 ms.
- time to first result: SINGLES ``process_document`` calls, one after another,
  each a fresh document. Each call's wall time against its job's
  ``processing_time_seconds`` from the server's record (after one call, not
  counted, that starts the server's worker processes). Target: every call
  within processing time + 100 ms, with two requests (create, result) when the
  first poll finds the job done.

Timestamps are ISO 8601 with milliseconds, so lags are good to a millisecond.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import httpx

from bench.batch import API_KEY, TIMEOUT, server_process, write_documents
from byteit import AsyncByteITClient
from byteit_server import ServerConfig

BATCH = 200
SINGLES = 12
WORKERS = 16
SPREAD = (0.1, 0.5)  # seconds of processing per job, drawn with a seed
SEED = 13
LAG_TARGET = 0.040
FIRST_RESULT_MARGIN = 0.100


class ResultRequests:
    """An httpx hook noting when each job's result was first asked for, and every request."""

    def __init__(self) -> None:
        self.first_asked: dict[str, float] = {}
        self.count = 0

    async def __call__(self, request: httpx.Request) -> None:
        self.count += 1
        path = request.url.path
        if path.endswith("/result/"):
            self.first_asked.setdefault(path.split("/")[-3], time.time())


def config(folder: Path) -> ServerConfig:
    low, high = SPREAD
    return ServerConfig(
        data_dir=folder,
        port=0,
        workers=WORKERS,
        processing_delay=low,
        processing_delay_max=high,
        processing_seed=SEED,
        api_keys=(API_KEY,),
    )


async def jobs_on_server(http: httpx.AsyncClient, base_url: str) -> dict[str, dict[str, object]]:
    answer = await http.get(f"{base_url}/v1/jobs/parse-jobs/", headers={"X-API-Key": API_KEY})
    return {job["id"]: job for job in answer.raise_for_status().json()["parse_jobs"]}


def finished_at(job: dict[str, object]) -> float:
    return datetime.fromisoformat(
        str(job["finished_processing_at"]).replace("Z", "+00:00")
    ).timestamp()


async def batch_lags(base_url: str, paths: Sequence[Path]) -> tuple[list[float], float, bool]:
    """Each job's lag from completion to its result request; requests per document."""
    hook = ResultRequests()
    async with httpx.AsyncClient(timeout=TIMEOUT, event_hooks={"request": [hook]}) as http:
        async with AsyncByteITClient(API_KEY, base_url=base_url, http_client=http) as client:
            results = await client.process_documents(list(paths), on_error="return")
        jobs = await jobs_on_server(http, base_url)
    lags = [asked - finished_at(jobs[job_id]) for job_id, asked in hook.first_asked.items()]
    # The single calls ran first, under the same key: one job each, then the batch's.
    ok = all(result.ok for result in results) and len(jobs) == len(paths) + 1 + SINGLES
    return lags, hook.count / len(paths), ok


async def first_results(base_url: str, paths: Sequence[Path]) -> list[tuple[float, float, int]]:
    """(wall, processing time, requests) of one process_document per document."""
    runs = []
    for path in paths:
        hook = ResultRequests()
        async with httpx.AsyncClient(timeout=TIMEOUT, event_hooks={"request": [hook]}) as http:
            async with AsyncByteITClient(API_KEY, base_url=base_url, http_client=http) as client:
                start = time.perf_counter()
                await client.process_document(path)
                wall = time.perf_counter() - start
            requests = hook.count
            [job_id] = hook.first_asked
            answer = await http.get(
                f"{base_url}/v1/jobs/parse-jobs/{job_id}/", headers={"X-API-Key": API_KEY}
            )
        processing = float(answer.raise_for_status().json()["parse_job"]["processing_time_seconds"])
        runs.append((wall, processing, requests))
    return runs


def measure(
    paths: Sequence[Path],
) -> tuple[list[float], float, bool, list[tuple[float, float, int]]]:
    with (
        tempfile.TemporaryDirectory(prefix="byteit-latency-") as folder,
        server_process(config(Path(folder))) as base_url,
    ):
        asyncio.run(first_results(base_url, paths[BATCH : BATCH + 1]))  # starts the workers
        singles = asyncio.run(first_results(base_url, paths[BATCH + 1 :]))
        lags, per_document, ok = asyncio.run(batch_lags(base_url, paths[:BATCH]))
    return lags, per_document, ok, singles


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="byteit-docs-") as folder:
        paths = write_documents(Path(folder), BATCH + 1 + SINGLES)
        lags, per_document, ok, singles = measure(paths)
    low, high = SPREAD
    print(f"latency (server: {WORKERS} workers, jobs of {low}-{high} s, seed {SEED})")
    median = statistics.median(lags)
    p90 = statistics.quantiles(lags, n=10)[-1]
    print(
        f"  batch of {BATCH}: completion to result request median {median * 1000:.0f} ms, "
        f"p90 {p90 * 1000:.0f} ms, {per_document:.2f} requests/document   "
        f"target median <= {LAG_TARGET * 1000:.0f} ms: {_verdict(median <= LAG_TARGET and ok)}"
    )
    over = [wall - processing for wall, processing, _ in singles]
    worst = max(wall / (processing + FIRST_RESULT_MARGIN) for wall, processing, _ in singles)
    requests = statistics.mean(count for _, _, count in singles)
    print(
        f"  process_document x{len(singles)}: wall - processing time median "
        f"{statistics.median(over) * 1000:.0f} ms, max {max(over) * 1000:.0f} ms; "
        f"worst wall/(processing + 100 ms) {worst:.2f}; {requests:.1f} requests/call   "
        f"target <= 1.0: {_verdict(worst <= 1.0)}"
    )
    if not ok:
        print("  FAILED: the batch's results or job count are wrong")


if __name__ == "__main__":
    main()
