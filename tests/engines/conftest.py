"""What the distributed tests share: a server of the test's own, the workers' key in
their environment (inherited by Dask's worker processes), and counting its jobs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from byteit.distributed import WorkerSettings
from byteit_server.config import DEV_API_KEY

JobCount = Callable[[Any], int]

# Warnings Ray and Dask raise about themselves (the suite runs with warnings as errors):
# each named, so that one raised about byteit's own use of them still fails a test.
ENGINE_WARNINGS = [
    pytest.mark.filterwarnings(f"ignore:{message}")
    for message in (
        # Ray Data's context warns of its own deprecated settings whenever it is copied.
        ":DeprecationWarning:ray.data.context",
    )
]


@pytest.fixture
def server(byteit_server_factory: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A server of the test's own (its jobs are counted); the workers' key in the env."""
    started = byteit_server_factory()
    monkeypatch.setenv("BYTEIT_API_KEY", started.api_key)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return started


@pytest.fixture
def settings(server: Any) -> WorkerSettings:
    return WorkerSettings(base_url=server.base_url, poll_interval=0.02)


@pytest.fixture(scope="session")
def ray_session() -> Iterator[Any]:
    """One local Ray for the session (``ray.init(num_cpus=2)``, no dashboard), the
    workers' key in their environment as a deployment gives it (``runtime_env``): the
    development key every test server accepts."""
    ray = pytest.importorskip("ray", reason='needs the ray extra: pip install "byteit[ray]"')
    data = pytest.importorskip("ray.data", reason='needs the ray extra: pip install "byteit[ray]"')
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level="ERROR",
        runtime_env={"env_vars": {"BYTEIT_API_KEY": DEV_API_KEY, "NO_PROXY": "127.0.0.1"}},
    )
    context = data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    yield ray
    ray.shutdown()


@pytest.fixture
def job_count() -> JobCount:
    """How many parse jobs a server holds."""

    def count(server: Any) -> int:
        answer = httpx.get(
            f"{server.base_url}/v1/jobs/parse-jobs/", headers={"X-API-Key": server.api_key}
        )
        answer.raise_for_status()
        return len(answer.json()["parse_jobs"])

    return count


def make_documents(folder: Path, count: int) -> list[str]:
    """`count` small distinct text documents in three subfolders, as sorted paths."""
    paths = []
    for i in range(count):
        sub = folder / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"doc{i:03}.txt"
        path.write_text(f"document {i}\n")
        paths.append(str(path))
    return paths


def expected_text(path: str) -> str:
    return f"document {int(Path(path).stem[3:])}\n"
