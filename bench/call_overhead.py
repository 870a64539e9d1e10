"""Per-call overhead of `get_job` against raw httpx GET + JSON decoding, same server.

Both run against one local ByteIT server on 127.0.0.1, interleaved in rounds so
that machine noise hits both alike. Target: ratio <= 1.2.
"""

from __future__ import annotations

import time

import httpx

from byteit import ByteITClient, BytesInputConnector
from byteit_server import EmbeddedServer

CALLS = 2000
ROUNDS = 10


def _timed(action: object, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    document = BytesInputConnector(b"bench document\n", filename="bench.txt")
    with (
        EmbeddedServer.temporary() as server,
        ByteITClient(server.api_key, base_url=server.base_url) as client,
        httpx.Client(base_url=server.base_url, headers={"X-API-Key": server.api_key}) as raw,
    ):
        job = client.create_job(document)
        assert not isinstance(job, list)
        url = f"/v1/jobs/parse-jobs/{job.id}/"

        def raw_get() -> None:
            raw.get(url).json()

        def facade_get() -> None:
            client.get_job(job.id)

        per_round = CALLS // ROUNDS
        raw_total = facade_total = 0.0
        _timed(raw_get, 50), _timed(facade_get, 50)  # warm up connections
        for _ in range(ROUNDS):
            raw_total += _timed(raw_get, per_round)
            facade_total += _timed(facade_get, per_round)
    ratio = facade_total / raw_total
    print(f"per-call overhead ({CALLS} calls each, interleaved)")
    print(f"  raw httpx GET + json: {raw_total / CALLS * 1e6:8.0f} us/call")
    print(f"  client.get_job:       {facade_total / CALLS * 1e6:8.0f} us/call")
    print(f"  ratio {ratio:.3f}   target <= 1.2: {'ok' if ratio <= 1.2 else 'MISSED'}")
