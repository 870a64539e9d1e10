"""`process_partition` with ``s3://`` documents and results against the local server and a
moto bucket: read and written by the service (server-side) or by the worker (client-side)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from byteit.distributed import WorkerSettings, process_partition
from byteit_server.server import EmbeddedServer

from .conftest import REGION
from .test_s3_local_server import s3_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.s3


def jobs_on(server: EmbeddedServer) -> int:
    answer = httpx.get(
        f"{server.base_url}/v1/jobs/parse-jobs/", headers={"X-API-Key": server.api_key}
    )
    return int(answer.raise_for_status().json()["count"])


@pytest.mark.parametrize("server_side", [True, False], ids=["server-side", "client-side"])
def test_s3_documents_go_to_an_s3_prefix_once_however_often_the_partition_runs(
    server_side: bool,
    s3_server: EmbeddedServer,  # noqa: F811
    s3: Any,
    bucket: str,
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BYTEIT_API_KEY", s3_server.api_key)
    for i in range(3):
        s3.put_object(
            Bucket=bucket, Key=f"inbox/sub/doc{i}.txt", Body=f"s3 document {i}\n".encode()
        )
    settings = WorkerSettings(
        base_url=s3_server.base_url,
        poll_interval=0.05,
        input_root=f"s3://{bucket}/inbox/",
        s3_server_side=server_side,
        s3_endpoint_url=None if server_side else moto_endpoint,
        s3_region=REGION,
    )
    rows = [{"input": f"s3://{bucket}/inbox/sub/doc{i}.txt"} for i in range(3)]
    run = {"settings": settings, "output": f"s3://{bucket}/results/", "run_name": "s3"}
    first = process_partition(rows, **run)
    again = process_partition(rows, **run)
    assert [r["error"] for r in first + again if not r["ok"]] == []
    assert [r["output"] for r in first] == [
        f"s3://{bucket}/results/sub/doc{i}.txt.txt" for i in range(3)
    ]
    assert [r["job_id"] for r in again] == [r["job_id"] for r in first]
    for i in range(3):
        body = s3.get_object(Bucket=bucket, Key=f"results/sub/doc{i}.txt.txt")["Body"].read()
        assert body == f"s3 document {i}\n".encode()
    assert jobs_on(s3_server) == 3
