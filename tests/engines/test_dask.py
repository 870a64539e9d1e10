"""`byteit.dask` on a Dask LocalCluster against the local server: 300 documents, all
correct and in order, exactly one job each; and a worker killed with SIGKILL mid-run,
its tasks retried by Dask, then the whole job run again: still one job per document."""

from __future__ import annotations

import os
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e.test_batch_kill import KillOnCreatedProxy

from byteit.distributed import WorkerSettings

from .conftest import ENGINE_WARNINGS, JobCount, expected_text, make_documents

distributed = pytest.importorskip(
    "dask.distributed", reason='needs the dask extra: pip install "byteit[dask]"'
)
dask_bag = pytest.importorskip(
    "dask.bag", reason='needs the dask extra: pip install "byteit[dask]"'
)
byteit_dask = pytest.importorskip("byteit.dask")

pytestmark = [
    pytest.mark.distributed,
    pytest.mark.e2e,
    *ENGINE_WARNINGS,
]

DOCUMENTS = 300


@pytest.fixture
def documents(tmp_path: Path) -> list[str]:
    return make_documents(tmp_path / "docs", DOCUMENTS)


def cluster(processes: bool) -> Any:
    """Two worker processes, or two threads in this process; no dashboard."""
    if processes:
        return distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    return distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    )


def run_bag_named(
    client: Any, documents: list[str], settings: WorkerSettings, out: Path, run_name: str
) -> list[Any]:
    bag = dask_bag.from_sequence(documents, npartitions=10)
    results = byteit_dask.process_bag(bag, settings=settings, output=str(out), run_name=run_name)
    return list(client.compute(results).result(timeout=150))


def check_results(rows: list[dict[str, Any]], documents: list[str]) -> None:
    assert [row["input"] for row in rows] == documents
    assert [row["error"] for row in rows if not row["ok"]] == []
    for row in rows:
        assert Path(row["output"]).read_text() == expected_text(row["input"])


@pytest.mark.parametrize("processes", [False, True], ids=["threads", "2-processes"])
def test_300_documents_on_a_local_cluster_make_exactly_300_jobs(
    processes: bool,
    server: Any,
    job_count: JobCount,
    settings: WorkerSettings,
    documents: list[str],
    tmp_path: Path,
) -> None:
    with cluster(processes) as local, distributed.Client(local) as client:
        rows = run_bag_named(client, documents, settings, tmp_path / "out", "dask-300")
    check_results(rows, documents)
    assert job_count(server) == DOCUMENTS


def test_dask_dataframes_map_their_partitions_and_keep_the_index(
    server: Any, job_count: JobCount, settings: WorkerSettings, documents: list[str]
) -> None:
    dataframe = pytest.importorskip("dask.dataframe")
    pandas = pytest.importorskip("pandas")
    frame = dataframe.from_pandas(pandas.DataFrame({"input": documents[:30]}), npartitions=3)
    results = byteit_dask.process_dataframe(frame, settings=settings, run_name="frame")
    with cluster(processes=False) as local, distributed.Client(local):
        out = results.compute()
    assert list(out.index) == list(range(30))
    assert out["output"].tolist() == [expected_text(path) for path in documents[:30]]
    assert job_count(server) == 30


class HoldingProxy(KillOnCreatedProxy):
    """A TCP proxy to the server that, once it has passed `after` creations (201),
    holds every answer until `resume` is set: jobs exist whose ids the workers have not
    seen, the moment to kill one. (It kills nothing itself: the test does.)"""

    def __init__(self, upstream_port: int, after: int) -> None:
        self.after = after
        self.created = 0
        self.reached = threading.Event()
        self.resume = threading.Event()
        self._lock = threading.Lock()
        super().__init__(upstream_port)

    def _pump(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        try:
            with source, target:
                while chunk := source.recv(1 << 16):
                    if answers:
                        self._hold_if_due(chunk)
                    target.sendall(chunk)
        except OSError:
            return  # a worker killed mid-answer

    def _hold_if_due(self, chunk: bytes) -> None:
        with self._lock:
            if chunk.startswith(b"HTTP/1.1 201"):
                self.created += 1
            due = self.created >= self.after
        if due:
            self.reached.set()
            self.resume.wait(timeout=120)

    def close(self) -> None:
        self.resume.set()
        super().close()


@pytest.fixture
def proxy(server: Any) -> Iterator[HoldingProxy]:
    port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    holding = HoldingProxy(port, after=60)
    yield holding
    holding.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_worker_killed_mid_run_then_a_rerun_leave_one_job_per_document(
    server: Any,
    job_count: JobCount,
    proxy: HoldingProxy,
    documents: list[str],
    tmp_path: Path,
) -> None:
    through_proxy = WorkerSettings(base_url=f"http://127.0.0.1:{proxy.port}", poll_interval=0.02)
    out = tmp_path / "out"
    with cluster(processes=True) as local, distributed.Client(local) as client:
        pids = client.run(os.getpid)
        bag = dask_bag.from_sequence(documents, npartitions=10)
        future = client.compute(
            byteit_dask.process_bag(bag, settings=through_proxy, output=str(out), run_name="kill")
        )
        assert proxy.reached.wait(timeout=120)
        os.kill(next(iter(pids.values())), signal.SIGKILL)
        proxy.resume.set()
        first = list(future.result(timeout=150))
        rerun = run_bag_named(client, documents, through_proxy, out, "kill")
    check_results(first, documents)
    check_results(rerun, documents)
    assert [row["job_id"] for row in rerun] == [row["job_id"] for row in first]
    assert job_count(server) == DOCUMENTS
