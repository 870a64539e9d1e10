"""A 400-page PDF as one job against split_pages: what spreading it over workers gains.

The local server runs in a child process with 8 workers and a simulated
PAGE_DELAY seconds of work per extracted page (a 2-core machine cannot show
real parallel extraction). The same PDF goes once as one job and once with
``split_pages=CHUNK_PAGES`` (8 jobs of 50 pages, run at once), each timed by
wall clock around `process_document`, polling every POLL seconds. Before the
timing a small job starts the server's extraction processes. Target: split at
least 4x faster than one job, with a txt result byte for byte the same; a
different result exits non-zero.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.batch import server_process
from bench.big_pdf import make_pdf
from byteit import ByteITClient
from byteit_server import ServerConfig

PAGES = 400
WORKERS = 8
PAGE_DELAY = 0.05  # seconds per page: 20 s of simulated work for the whole document
CHUNK_PAGES = 50
POLL = 0.1
MIN_RATIO = 4.0
API_KEY = "bench.split-benchmark-key"


def _timed(client: ByteITClient, path: Path, split: int | None) -> tuple[float, bytes]:
    start = time.perf_counter()
    result = client.process_document(path, poll_interval=POLL, split_pages=split)
    seconds = time.perf_counter() - start
    assert isinstance(result, bytes)
    return seconds, result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.pdf"
        make_pdf(path, PAGES)
        warm_up = Path(folder) / "warm-up.pdf"
        make_pdf(warm_up, 2)
        config = ServerConfig(
            data_dir=Path(folder) / "data", port=0, workers=WORKERS, page_delay=PAGE_DELAY,
            api_keys=(API_KEY,),
        )  # fmt: skip
        with server_process(config) as base_url, ByteITClient(API_KEY, base_url=base_url) as client:
            client.process_document(warm_up, poll_interval=POLL, split_pages=1)
            whole_time, whole = _timed(client, path, None)
            split_time, split = _timed(client, path, CHUNK_PAGES)
    ratio = whole_time / split_time
    same = split == whole
    print(f"{PAGES}-page PDF, {WORKERS} server workers, {PAGE_DELAY * 1000:.0f} ms per page")
    print(f"  one job                  {whole_time:7.2f} s")
    print(f"  split_pages={CHUNK_PAGES:<4}         {split_time:7.2f} s")
    verdict = "ok" if ratio >= MIN_RATIO else "MISSED"
    print(f"  one job / split {ratio:.2f}x   target >= {MIN_RATIO}x: {verdict}")
    print(f"  txt byte-identical ({len(whole)} bytes): {'ok' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
