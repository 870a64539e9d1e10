"""The peer, side by side: the vendor's byteit 1.3.0 against ours, same server and documents.

The vendor's client runs from its own venv (``.venv-vendor/``, built by ``make
install``; see ``byteit_server.vendor_peer``) and times itself inside that
process, so its interpreter start-up is not counted. Ours runs as shipped,
with default settings. Every run gets a fresh, warmed-up server (16 workers,
0.2 s a job, in a process of its own) and is checked as in ``bench.batch``: one
job per document, every result correct.

- batch: the vendor's ``parse_async`` with the list of files (packed 25 a
  request, 1 s between requests), then its own waiting (the polling ``parse``
  uses: at once, then after 1, 1.5, 2.25... s) and a download, job by job;
  ours: ``AsyncByteITClient.process_documents``.
- ``parse()`` loop: the vendor's ``parse`` of each file in turn. It is
  sequential, so it runs on the first LOOP_SAMPLE documents and is
  extrapolated to 40 and 500, labelled as such.
- time to first result: one document, the vendor's ``parse`` against ours
  ``process_document``.

A ratio vendor/ours above 1 means ours is ahead; the goal is ahead on every figure.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.batch import (
    API_KEY,
    CONCURRENCY,
    DOCUMENTS,
    PROCESSING_DELAY,
    Run,
    timed_run,
    write_documents,
)
from byteit import AsyncByteITClient
from byteit_server.vendor_peer import run_vendor, vendor_python

SIZES = (40, DOCUMENTS)
LOOP_SAMPLE = 20


@dataclass
class VendorWay:
    """A way of ``bench.batch`` that runs a driver command of the vendor's client."""

    python: Path
    command: str
    answer: dict[str, Any] = field(default_factory=dict)

    async def __call__(
        self, http: httpx.AsyncClient, base_url: str, paths: Sequence[Path], poll: float
    ) -> list[bytes]:
        arguments = {"base_url": base_url, "api_key": API_KEY, "paths": [str(p) for p in paths]}
        self.answer = await asyncio.to_thread(run_vendor, self.python, self.command, arguments)
        return [text.encode() for text in self.answer["texts"]]

    def run(self, paths: Sequence[Path]) -> Run:
        """Run on a fresh server; the time and requests are the ones the driver measured."""
        checked = timed_run(self, paths)
        return Run(self.answer["seconds"], self.answer["requests"], checked.problems)


async def ours_batch(
    http: httpx.AsyncClient, base_url: str, paths: Sequence[Path], poll: float
) -> list[bytes]:
    """``process_documents`` with default settings."""
    async with AsyncByteITClient(API_KEY, base_url=base_url, http_client=http) as client:
        results = await client.process_documents(list(paths), on_error="return")
    return [r.value if isinstance(r.value, bytes) else repr(r.error).encode() for r in results]


async def ours_first(
    http: httpx.AsyncClient, base_url: str, paths: Sequence[Path], poll: float
) -> list[bytes]:
    """One ``process_document`` with default settings."""
    async with AsyncByteITClient(API_KEY, base_url=base_url, http_client=http) as client:
        result = await client.process_document(paths[0])
    return [result if isinstance(result, bytes) else str(result).encode()]


@dataclass
class Figures:
    """What one run of this bench measured, in seconds (requests beside the batches)."""

    ours: dict[str, Run] = field(default_factory=dict)
    vendor: dict[str, Run] = field(default_factory=dict)


def measure(python: Path, paths: Sequence[Path]) -> Figures:
    """Every run, ours and the vendor's interleaved, each on a fresh server."""
    figures = Figures()
    for size in SIZES:
        figures.vendor[f"batch {size}"] = VendorWay(python, "batch").run(paths[:size])
        figures.ours[f"batch {size}"] = timed_run(ours_batch, paths[:size])
    figures.vendor["loop sample"] = VendorWay(python, "loop").run(paths[:LOOP_SAMPLE])
    first = VendorWay(python, "loop")
    checked = first.run(paths[:1])
    figures.vendor["first"] = Run(first.answer["first_result"], checked.requests, checked.problems)
    figures.ours["first"] = timed_run(ours_first, paths[:1])
    return figures


def report(figures: Figures) -> None:
    """Print vendor, ours and vendor/ours for each figure."""
    print(
        f"vendor client byteit 1.3.0 against ours, same server ({CONCURRENCY} workers, "
        f"{PROCESSING_DELAY} s/job) and documents; vendor/ours > 1: ours ahead"
    )
    loop = figures.vendor["loop sample"]
    for size in SIZES:
        batch, ours = figures.vendor[f"batch {size}"], figures.ours[f"batch {size}"]
        _line(f"{size} documents, vendor batch", batch, ours, size)
        estimate = Run(loop.seconds / LOOP_SAMPLE * size, loop.requests, [])
        note = f"EXTRAPOLATED from {LOOP_SAMPLE} documents ({loop.seconds:.1f} s)"
        _line(f"{size} documents, vendor parse() loop", estimate, ours, size, note)
    _line("time to first result, one document", figures.vendor["first"], figures.ours["first"])


def _line(name: str, vendor: Run, ours: Run, documents: int = 0, note: str = "") -> None:
    ratio = vendor.seconds / ours.seconds
    verdict = "ahead" if ratio > 1 else "BEHIND"
    print(f"  {name:<38} vendor {vendor.seconds:7.2f} s  ours {ours.seconds:6.2f} s  "
          f"vendor/ours {ratio:6.2f} ({verdict})")  # fmt: skip
    if documents and not note:
        print(f"  {'':<38} requests/document: vendor {vendor.requests / documents:.2f}, "
              f"ours {ours.requests / documents:.2f}")  # fmt: skip
    if note:
        print(f"  {'':<38} {note}")


def main() -> None:
    python = vendor_python()
    if python is None:
        print("vendor bench skipped: .venv-vendor/ is missing (run `make install`)")
        return
    with tempfile.TemporaryDirectory(prefix="byteit-docs-") as folder:
        figures = measure(python, write_documents(Path(folder), max(SIZES)))
    report(figures)
    problems = [
        f"{side} {name}: {problem}"
        for side, runs in (("vendor", figures.vendor), ("ours", figures.ours))
        for name, run in runs.items()
        for problem in run.problems
    ]
    for problem in problems:
        print(f"  FAILED {problem}", file=sys.stderr)
    if problems:
        print("vendor benchmark: CORRECTNESS CHECK FAILED", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
