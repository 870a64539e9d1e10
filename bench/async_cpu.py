"""Client CPU per document: `AsyncByteITClient` against `ByteITClient`, same server.

Each document is one `process_document` call on a small .txt file (create the job,
poll it, download the text). The local server runs in a process of its own, so
`time.process_time` here counts the client's CPU only (its threads included), not
the server's. Sync and async run interleaved in rounds on one warmed-up client
each, so that machine noise hits both alike. Requests are counted by an httpx
request hook, to show that both did the same work. Target: async/sync <= 1.2.

Beside it, the same ratio for bare httpx (one GET of the job list per request, no
byteit code): httpx's stock AsyncClient (httpcore over anyio), and an AsyncClient on
the pool the async client makes for itself (HTTP/1.1 straight on asyncio's
transports), so the reader sees where the async client's saving comes from.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import httpx

from bench.batch import server_process
from byteit import AsyncByteITClient, ByteITClient, BytesInputConnector, PollSchedule
from byteit._http._asyncio_connection import asyncio_http_client
from byteit_server import ServerConfig

DOCUMENTS = 300
ROUNDS = 6
API_KEY = "bench.async-cpu-benchmark-key"
POLL = PollSchedule.fixed(0.02)  # short waits: the bench measures CPU, not patience


class RequestCounter:
    """An httpx request hook counting every request sent, for either client."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, request: httpx.Request) -> None:
        self.count += 1

    async def on_async(self, request: httpx.Request) -> None:
        self.count += 1


def _document(index: int) -> BytesInputConnector:
    return BytesInputConnector(f"bench document {index}\n".encode(), filename=f"d{index}.txt")


def _sync_round(client: ByteITClient, count: int) -> float:
    start = time.process_time()
    for index in range(count):
        client.process_document(_document(index))
    return time.process_time() - start


async def _async_round(client: AsyncByteITClient, count: int) -> float:
    start = time.process_time()
    for index in range(count):
        await client.process_document(_document(index))
    return time.process_time() - start


def measure(base_url: str) -> tuple[float, float, int, int]:
    """CPU seconds of sync and async, and the requests each sent, over DOCUMENTS each.

    Each client makes its own httpx client, as users' do (the async one runs its
    connections on asyncio's transports); the counting hooks are added to those.
    """
    sync_hook, async_hook = RequestCounter(), RequestCounter()
    loop = asyncio.new_event_loop()
    sync_client = ByteITClient(API_KEY, base_url=base_url, poll_schedule=POLL)
    async_client = AsyncByteITClient(API_KEY, base_url=base_url, poll_schedule=POLL)
    sync_client._http.event_hooks = {"request": [sync_hook]}
    async_client._http.event_hooks = {"request": [async_hook.on_async]}
    sync_cpu = async_cpu = 0.0
    try:
        _sync_round(sync_client, 5)  # warm up connections and the server's workers
        loop.run_until_complete(_async_round(async_client, 5))
        sync_hook.count = async_hook.count = 0
        for _ in range(ROUNDS):
            sync_cpu += _sync_round(sync_client, DOCUMENTS // ROUNDS)
            async_cpu += loop.run_until_complete(_async_round(async_client, DOCUMENTS // ROUNDS))
    finally:
        sync_client.close()
        loop.run_until_complete(async_client.aclose())
        loop.close()
    return sync_cpu, async_cpu, sync_hook.count, async_hook.count


def _bare_round(http: httpx.Client, url: str, count: int) -> float:
    start = time.process_time()
    for _ in range(count):
        http.get(url).read()
    return time.process_time() - start


async def _bare_async_round(http: httpx.AsyncClient, url: str, count: int) -> float:
    start = time.process_time()
    for _ in range(count):
        await (await http.get(url)).aread()
    return time.process_time() - start


def bare_httpx(base_url: str) -> tuple[float, float, float]:
    """CPU seconds of httpx.Client, httpx.AsyncClient and an AsyncClient on byteit's
    pool (`asyncio_http_client`), over the same GETs, interleaved."""
    url, headers = f"{base_url}/v1/jobs/parse-jobs/", {"Authorization": f"Bearer {API_KEY}"}
    loop = asyncio.new_event_loop()
    sync_http, async_http = httpx.Client(headers=headers), httpx.AsyncClient(headers=headers)
    ours_http = asyncio_http_client()
    ours_http.headers.update(headers)
    sync_cpu = async_cpu = ours_cpu = 0.0
    try:
        _bare_round(sync_http, url, 10)
        loop.run_until_complete(_bare_async_round(async_http, url, 10))
        loop.run_until_complete(_bare_async_round(ours_http, url, 10))
        for _ in range(ROUNDS):
            count = DOCUMENTS // ROUNDS
            sync_cpu += _bare_round(sync_http, url, count)
            async_cpu += loop.run_until_complete(_bare_async_round(async_http, url, count))
            ours_cpu += loop.run_until_complete(_bare_async_round(ours_http, url, count))
    finally:
        sync_http.close()
        loop.run_until_complete(async_http.aclose())
        loop.run_until_complete(ours_http.aclose())
        loop.close()
    return sync_cpu, async_cpu, ours_cpu


def _line(name: str, cpu: float, requests: int) -> str:
    per_document = cpu / DOCUMENTS * 1e3
    return (
        f"  {name + ':':6} {per_document:6.2f} ms CPU/doc  {requests / DOCUMENTS:.2f} requests/doc"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="byteit-bench-") as folder:
        config = ServerConfig(data_dir=Path(folder), port=0, workers=4, api_keys=(API_KEY,))
        with server_process(config) as base_url:
            sync_cpu, async_cpu, sync_requests, async_requests = measure(base_url)
            bare_sync, bare_async, bare_ours = bare_httpx(base_url)
    ratio = async_cpu / sync_cpu
    print(f"client CPU per document ({DOCUMENTS} process_document calls each, interleaved)")
    print(_line("sync", sync_cpu, sync_requests))
    print(_line("async", async_cpu, async_requests))
    print(f"  ratio async/sync {ratio:.3f}   target <= 1.2: {'ok' if ratio <= 1.2 else 'MISSED'}")
    bare = [
        f"{name} {cpu / DOCUMENTS * 1e3:.2f}"
        + ("" if name == "Client" else f" (ratio {cpu / bare_sync:.3f})")
        for name, cpu in (
            ("Client", bare_sync),
            ("AsyncClient", bare_async),
            ("AsyncClient on byteit's pool", bare_ours),
        )
    ]
    print(f"  bare httpx, {DOCUMENTS} GETs each, ms CPU/request: {', '.join(bare)}")


if __name__ == "__main__":
    main()
