"""``byteit extract --engine dask|ray``: the same files, texts and summary as the local run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from byteit.cli import main

from .conftest import ENGINE_WARNINGS, JobCount, make_documents

pytestmark = [
    pytest.mark.distributed,
    pytest.mark.e2e,
    *ENGINE_WARNINGS,
]


def said(err: str) -> list[str]:
    """What byteit says on stderr (an engine may log its own lines there too)."""
    ours = ("FAILED ", "wrote ")
    return [line for line in err.splitlines() if line.startswith(ours) or " extracted, " in line]


def extract(server: Any, folder: Path, out: Path, *extra: str) -> int:
    return main(["extract", str(folder), "-o", str(out), "--base-url", server.base_url,
                 "--api-key", server.api_key, *extra])  # fmt: skip


@pytest.mark.parametrize("engine", ["dask", "ray"])
def test_an_engine_run_prints_what_the_local_run_prints_and_writes_the_same_files(
    engine: str,
    server: Any,
    job_count: JobCount,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    pytest.importorskip(
        "dask.distributed" if engine == "dask" else "ray.data",
        reason=f'needs the {engine} extra: pip install "byteit[{engine}]"',
    )
    if engine == "ray":
        request.getfixturevalue("ray_session")  # the CLI joins a running Ray, as on a cluster
    folder = tmp_path / "docs"
    make_documents(folder, 8)
    (folder / "part1" / "empty.txt").write_bytes(b"")
    assert extract(server, folder, tmp_path / "local", "-v") == 1
    local = capsys.readouterr()
    code = extract(server, folder, tmp_path / "engine", "-v", "--engine", engine, "--workers", "2")
    remote = capsys.readouterr()
    assert code == 1
    assert said(remote.err.replace("/engine/", "/local/")) == said(local.err)
    assert "8 extracted, 1 failed" in remote.err
    written = sorted(p.relative_to(tmp_path / "engine") for p in (tmp_path / "engine").rglob("*"))
    assert written == sorted(
        p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*")
    )
    assert job_count(server) == 16  # another destination: other keys, other jobs


def test_an_engine_run_again_makes_no_second_job(
    server: Any, job_count: JobCount, tmp_path: Path
) -> None:
    pytest.importorskip(
        "dask.distributed", reason='needs the dask extra: pip install "byteit[dask]"'
    )
    folder = tmp_path / "docs"
    make_documents(folder, 6)
    for _ in range(2):
        assert extract(server, folder, tmp_path / "out", "-q", "--engine", "dask") == 0
    assert job_count(server) == 6
