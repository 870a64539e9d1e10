"""Wall time and HTTP requests of a 500-document batch: ours, a raw-httpx floor, vendor-style.

Every document is a small distinct .txt file; each way creates a parse job per
document, waits for it and downloads the txt result. The local server runs with
a 0.2 s processing delay and 16 workers, so 500 documents cannot take less than
500 x 0.2 / 16 = 6.25 s.

- floor: hand-written asyncio + raw httpx, 16 documents at a time, polling the
  light status endpoint every POLL seconds: what a careful user would write.
- ours: `AsyncByteITClient.process_documents` at the same concurrency and POLL.
  Targets: wall time <= 1.15 x the floor, fewer than 3 requests per document.

Both run at two poll intervals. At 0.1 s the floor is at its luckiest: every
job takes 0.2 s, twice the interval, so each job's own second poll lands just as
it finishes. At 0.15 s nothing lines up, as with real documents whose
processing times vary, and the floor sees a job up to a whole interval late;
ours asks about each job when jobs like it have been finishing.
- vendor-style: the vendor client's way, one document at a time, polling the
  full job at once, then after 1, 1.5, 2.25... s (at most 10), with a 1 s pause
  between documents. Strictly sequential,
  so it runs on the first VENDOR_SAMPLE documents and is extrapolated to 500.

Floor and ours run twice, interleaved, each time on a fresh server (job lists
never accumulate); the best time of each counts, to damp machine noise. Server
start-up, including its first extraction jobs (which spawn the worker
processes), is not timed. The server runs in a process of its own, as a
remote service would: the client's CPU time is not taken from the server's.
Requests are counted on the client, by an httpx request event hook. Every run
is checked: one job on the server and one correct result per document; a
failed check exits non-zero.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

from byteit import AsyncByteITClient
from byteit_server import EmbeddedServer, ServerConfig

DOCUMENTS = 500
CONCURRENCY = 16
POLLS = (0.1, 0.15)  # seconds between polls of a job, for floor and ours alike
PROCESSING_DELAY = 0.2
VENDOR_SAMPLE = 20
VENDOR_PAUSE = 1.0
API_KEY = "bench.batch-benchmark-key"
WARM_UP_KEY = "warmup.batch-benchmark-key"  # its jobs stay out of the bench key's list
TIMEOUT = httpx.Timeout(60.0, connect=10.0)
CREATE_FORM = {"processing_options": '{"languages":["en"]}', "output_format": "txt"}
TERMINAL = ("completed", "failed")
WORDS = ("invoice", "total", "amount", "due", "date", "customer", "order", "item", "price", "tax")

Way = Callable[[httpx.AsyncClient, str, Sequence[Path], float], Awaitable[list[bytes]]]


@dataclass(frozen=True)
class Run:
    """One timed run: its wall time, the requests it sent, and what went wrong."""

    seconds: float
    requests: int
    problems: list[str]


class RequestCounter:
    """An httpx request hook counting every request sent (retries included)."""

    def __init__(self) -> None:
        self.count = 0

    async def __call__(self, request: httpx.Request) -> None:
        self.count += 1


# The three ways ---------------------------------------------------------------------


async def floor(
    http: httpx.AsyncClient, base_url: str, paths: Sequence[Path], poll: float
) -> list[bytes]:
    """Raw httpx, CONCURRENCY documents at a time, polling the status every `poll` s."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(path: Path) -> bytes:
        async with gate:
            job_id = await _create(http, base_url, path)
            status = "pending"
            while status not in TERMINAL:
                await asyncio.sleep(poll)
                answer = await http.get(f"{base_url}/v1/jobs/{job_id}/status/", headers=_auth())
                status = answer.raise_for_status().json()["processing_status"]
            return await _download(http, base_url, job_id)

    return list(await asyncio.gather(*(one(path) for path in paths)))


async def ours(
    http: httpx.AsyncClient, base_url: str, paths: Sequence[Path], poll: float
) -> list[bytes]:
    """`AsyncByteITClient.process_documents` at CONCURRENCY, polling every `poll` s."""
    async with AsyncByteITClient(API_KEY, base_url=base_url, http_client=http) as client:
        results = await client.process_documents(
            list(paths),
            processing_options={"output_format": "txt"},
            max_concurrency=CONCURRENCY,
            poll_interval=poll,
            on_error="return",
        )
    # A failure becomes text that the correctness check shows.
    return [
        result.value if isinstance(result.value, bytes) else f"FAILED: {result.error!r}".encode()
        for result in results
    ]


async def vendor_style(
    http: httpx.AsyncClient, base_url: str, paths: Sequence[Path], poll: float
) -> list[bytes]:
    """One document at a time, re-polled after min(1.5^(n-1), 10) s; 1 s between documents."""
    texts: list[bytes] = []
    for index, path in enumerate(paths):
        if index:
            await asyncio.sleep(VENDOR_PAUSE)
        job_id = await _create(http, base_url, path)
        poll = 1
        # Like the vendor's poll loop: ask at once, then sleep before each next ask.
        while await _vendor_status(http, base_url, job_id) not in TERMINAL:
            await asyncio.sleep(min(1.5 ** (poll - 1), 10))
            poll += 1
        texts.append(await _download(http, base_url, job_id))
    return texts


def _auth(key: str = API_KEY) -> dict[str, str]:
    return {"X-API-Key": key}


async def _create(http: httpx.AsyncClient, base_url: str, path: Path, key: str = API_KEY) -> str:
    files = {"file": (path.name, path.read_bytes())}  # whole file in memory: small documents
    answer = await http.post(
        f"{base_url}/v1/jobs/parse-jobs/", headers=_auth(key), data=CREATE_FORM, files=files
    )
    return str(answer.raise_for_status().json()["parse_job"]["id"])


async def _vendor_status(http: httpx.AsyncClient, base_url: str, job_id: str) -> str:
    answer = await http.get(f"{base_url}/v1/jobs/parse-jobs/{job_id}/", headers=_auth())
    return str(answer.raise_for_status().json()["parse_job"]["processing_status"])


async def _download(
    http: httpx.AsyncClient, base_url: str, job_id: str, key: str = API_KEY
) -> bytes:
    answer = await http.get(
        f"{base_url}/v1/jobs/parse-jobs/{job_id}/result/",
        params={"output_format": "txt"},
        headers=_auth(key),
    )
    return answer.raise_for_status().content


# Running and checking -----------------------------------------------------------------


def write_documents(folder: Path, count: int = DOCUMENTS) -> list[Path]:
    """`count` distinct .txt documents of a few hundred bytes each."""
    paths = []
    for index in range(count):
        dice = random.Random(index)
        lines = [f"Document {index:03d}"]
        lines += [
            " ".join(dice.choices(WORDS, k=8)) + f" {dice.randint(1, 9999)}" for _ in range(6)
        ]
        path = folder / f"doc-{index:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def timed_run(way: Way, paths: Sequence[Path], poll: float = POLLS[0]) -> Run:
    """Run `way` over `paths` against a fresh, warmed-up server; time it and check it."""
    with tempfile.TemporaryDirectory(prefix="byteit-bench-") as folder:
        config = ServerConfig(
            data_dir=Path(folder),
            port=0,
            workers=CONCURRENCY,
            processing_delay=PROCESSING_DELAY,
            api_keys=(API_KEY, WARM_UP_KEY),
        )
        with server_process(config) as base_url:
            return asyncio.run(_measure(way, base_url, paths, poll))


@contextlib.contextmanager
def server_process(config: ServerConfig) -> Iterator[str]:
    """A local server in a child process (spawned, not a daemon: it has workers of its own)."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(config, theirs))
    process.start()
    theirs.close()  # the child holds its end: if it dies, recv() ends rather than waits forever
    try:
        try:
            base_url = ours.recv()
        except EOFError:
            process.join()
            raise RuntimeError(
                f"the bench's server process exited with code {process.exitcode} before it "
                "started (a spawned child re-imports __main__: guard scripts with "
                "if __name__ == '__main__')"
            ) from None
        yield base_url
    finally:
        if process.is_alive():
            ours.send("stop")
        process.join(timeout=60)


def _serve(config: ServerConfig, pipe: Connection) -> None:
    with EmbeddedServer(config) as server:
        pipe.send(server.base_url)
        pipe.recv()


async def _measure(way: Way, base_url: str, paths: Sequence[Path], poll: float) -> Run:
    await _warm_up(base_url, paths[:4])
    counter = RequestCounter()
    async with httpx.AsyncClient(timeout=TIMEOUT, event_hooks={"request": [counter]}) as http:
        start = time.perf_counter()
        texts = await way(http, base_url, paths, poll)
        seconds = time.perf_counter() - start
    problems = _wrong_results(paths, texts) + await _wrong_job_count(base_url, len(paths))
    return Run(seconds, counter.count, problems)


async def _warm_up(base_url: str, paths: Sequence[Path]) -> None:
    """A few jobs under another key, so that the server's worker processes are running."""
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:

        async def one(path: Path) -> None:
            job_id = await _create(http, base_url, path, key=WARM_UP_KEY)
            while True:
                await asyncio.sleep(POLLS[0])
                answer = await http.get(
                    f"{base_url}/v1/jobs/{job_id}/status/", headers=_auth(WARM_UP_KEY)
                )
                if answer.raise_for_status().json()["processing_status"] in TERMINAL:
                    break
            await _download(http, base_url, job_id, key=WARM_UP_KEY)

        await asyncio.gather(*(one(path) for path in paths))


def _wrong_results(paths: Sequence[Path], texts: Sequence[bytes]) -> list[str]:
    # The server's txt of a .txt file is its text with exactly one trailing newline.
    if len(texts) != len(paths):
        return [f"{len(texts)} results for {len(paths)} documents"]
    wrong = [
        f"{path.name}: got {text[:60]!r}"
        for path, text in zip(paths, texts, strict=True)
        if text.rstrip(b"\n") != path.read_bytes().rstrip(b"\n")
    ]
    return wrong[:3] + ([f"... {len(wrong)} wrong results in all"] if len(wrong) > 3 else [])


async def _wrong_job_count(base_url: str, expected: int) -> list[str]:
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:
        answer = await http.get(f"{base_url}/v1/jobs/parse-jobs/", headers=_auth())
    count = answer.raise_for_status().json()["count"]
    return [] if count == expected else [f"the server holds {count} jobs, not {expected}"]


# Report -------------------------------------------------------------------------------


def _line(name: str, run: Run, documents: int, note: str = "") -> str:
    per_document = run.requests / documents
    return f"  {name:<13}{run.seconds:8.2f} s   {per_document:5.2f} requests/document{note}"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(runs: dict[float, dict[str, list[Run]]], vendor: Run) -> None:
    """Print the figures and ratios (best of the interleaved runs), per poll interval."""
    ideal = DOCUMENTS * PROCESSING_DELAY / CONCURRENCY
    print(
        f"batch of {DOCUMENTS} documents (server: {CONCURRENCY} workers, {PROCESSING_DELAY} s/job)"
        f"; theoretical minimum {ideal:.2f} s"
    )
    best_ours = vendor
    for poll, ways in runs.items():
        floors, ourses = ways["floor"], ways["ours"]
        best_floor = min(floors, key=lambda run: run.seconds)
        best_ours = min(ourses, key=lambda run: run.seconds)
        print(f" polling every {poll} s, best of {len(floors)} interleaved runs:")
        print(_line("floor", best_floor, DOCUMENTS, f"   runs: {_seconds(floors)}"))
        print(_line("ours", best_ours, DOCUMENTS, f"   runs: {_seconds(ourses)}"))
        ratio = best_ours.seconds / best_floor.seconds
        pairs = ", ".join(
            f"{o.seconds / f.seconds:.3f}" for f, o in zip(floors, ourses, strict=True)
        )
        verdict = _verdict(ratio <= 1.15)
        print(f"  ours/floor {ratio:.3f} (each pair: {pairs})   target <= 1.15: {verdict}")
        requests = best_ours.requests / DOCUMENTS
        print(f"  ours requests/document {requests:.2f}   target < 3: {_verdict(requests < 3)}")
    vendor_500 = Run(vendor.seconds / VENDOR_SAMPLE * DOCUMENTS, vendor.requests, [])
    note = f"   EXTRAPOLATED from {VENDOR_SAMPLE} documents ({vendor.seconds:.1f} s)"
    print(_line("vendor-style", vendor_500, VENDOR_SAMPLE, note))
    print(f"  vendor-style (extrapolated)/ours {vendor_500.seconds / best_ours.seconds:.1f}")


def _seconds(runs: Sequence[Run]) -> str:
    return ", ".join(f"{run.seconds:.2f}" for run in runs)


def _check(name: str, run: Run) -> bool:
    for problem in run.problems:
        print(f"  FAILED {name}: {problem}", file=sys.stderr)
    return not run.problems


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="byteit-docs-") as folder:
        paths = write_documents(Path(folder))
        runs: dict[float, dict[str, list[Run]]] = {}
        for poll in POLLS:
            runs[poll] = {"floor": [], "ours": []}
            for _ in range(2):
                runs[poll]["floor"].append(timed_run(floor, paths, poll))
                runs[poll]["ours"].append(timed_run(ours, paths, poll))
        vendor = timed_run(vendor_style, paths[:VENDOR_SAMPLE])
    report(runs, vendor)
    checks = [
        _check(name, run) for ways in runs.values() for name, group in ways.items() for run in group
    ]
    if not all([*checks, _check("vendor-style", vendor)]):
        print("batch benchmark: CORRECTNESS CHECK FAILED", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
