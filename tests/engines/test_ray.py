"""`byteit.ray` on a real local Ray instance (``ray.init(num_cpus=2)``, started once per
session) against the local server: 300 documents, all correct and in order, one job each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from byteit.distributed import WorkerSettings
from byteit_server.config import DEV_API_KEY

from .conftest import ENGINE_WARNINGS, JobCount, expected_text, make_documents

ray = pytest.importorskip("ray", reason='needs the ray extra: pip install "byteit[ray]"')
pytest.importorskip("ray.data", reason='needs the ray extra: pip install "byteit[ray]"')
byteit_ray = pytest.importorskip("byteit.ray")

pytestmark = [
    pytest.mark.distributed,
    pytest.mark.e2e,
    *ENGINE_WARNINGS,
]

DOCUMENTS = 300


def test_300_documents_through_two_actors_make_exactly_300_jobs(
    ray_session: Any, server: Any, job_count: JobCount, settings: WorkerSettings, tmp_path: Path
) -> None:
    assert server.api_key == DEV_API_KEY
    documents = make_documents(tmp_path / "docs", DOCUMENTS)
    dataset = ray.data.from_items([{"input": path} for path in documents])
    results = byteit_ray.process_dataset(
        dataset, settings=settings, run_name="ray-300", concurrency=2, batch_size=50
    )
    rows = results.take_all()
    assert [row["input"] for row in rows] == documents
    assert [row["error"] for row in rows if not row["ok"]] == []
    assert [row["output"] for row in rows] == [expected_text(path) for path in documents]
    assert job_count(server) == DOCUMENTS
