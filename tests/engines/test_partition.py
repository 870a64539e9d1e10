"""`process_partition` against the local server, without an engine: one row per input in
order, per-row errors, the worker's key from its environment, and one job per document
however often a partition runs (as an engine's retried task, or Spark's mapInPandas)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

from byteit.distributed import WorkerSettings, process_partition, process_partitions
from byteit.exceptions import APIKeyError, AuthenticationError, ValidationError

from .conftest import JobCount

pytestmark = pytest.mark.e2e


@pytest.fixture
def documents(tmp_path: Path) -> list[str]:
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = []
    for i in range(12):
        path = folder / f"doc{i:02}.txt"
        path.write_text(f"document {i}\n")
        paths.append(str(path))
    return paths


def test_rows_come_back_in_order_with_each_failure_in_its_place(
    server: Any, job_count: JobCount, settings: WorkerSettings, documents: list[str], tmp_path: Path
) -> None:
    rows = [
        *({"input": path} for path in documents[:3]),
        {"input": str(tmp_path / "missing.txt")},
        {"input": b"raw bytes", "name": "note.txt"},
        {"input": 3.5},
    ]
    out = process_partition(rows, settings=settings, run_name="order")
    assert [row["input"] for row in out] == [row["input"] for row in rows]
    assert [row["ok"] for row in out] == [True, True, True, False, True, False]
    assert [row["output"] for row in out[:3]] == ["document 0\n", "document 1\n", "document 2\n"]
    assert out[4]["output"] == "raw bytes\n"
    assert out[3]["error_type"] == "ValidationError"
    assert "missing.txt" in out[3]["error"]
    assert all(row["job_id"] and row["credits"] for row in out if row["ok"])
    assert job_count(server) == 4


def test_a_partition_run_again_makes_no_second_job_and_rewrites_each_output_whole(
    server: Any, job_count: JobCount, settings: WorkerSettings, documents: list[str], tmp_path: Path
) -> None:
    """As an engine's retried task would: same run name, same documents, same output."""
    out_dir = tmp_path / "out"
    rows = [{"input": path} for path in documents]
    run = {"settings": WorkerSettings(base_url=server.base_url, poll_interval=0.02,
                                      input_root=str(Path(documents[0]).parent)),
           "output": str(out_dir), "run_name": "retried"}  # fmt: skip
    first = process_partition(rows, **run)
    second = process_partition(list(reversed(rows[:5])), **run)  # a task of other shape
    third = process_partition(rows, **run)
    assert job_count(server) == len(documents)
    assert [r["job_id"] for r in third] == [r["job_id"] for r in first]
    assert [r["job_id"] for r in second] == [r["job_id"] for r in reversed(first[:5])]
    for i, row in enumerate(third):
        assert row["output"] == str(out_dir / f"doc{i:02}.txt.txt")
        assert Path(row["output"]).read_text() == f"document {i}\n"
    assert not [p for p in out_dir.iterdir() if p.name.endswith(".part")]


def test_another_run_name_or_other_options_make_new_jobs(
    server: Any, job_count: JobCount, settings: WorkerSettings, documents: list[str]
) -> None:
    rows = [{"input": path} for path in documents[:4]]
    process_partition(rows, settings=settings, run_name="one")
    process_partition(rows, settings=settings, run_name="two")
    process_partition(rows, settings=settings, run_name="two", processing_options={
        "output_format": "md"})  # fmt: skip
    assert job_count(server) == 12


def test_pandas_and_arrow_partitions_come_back_as_their_own_kind(
    settings: WorkerSettings, documents: list[str]
) -> None:
    pandas = pytest.importorskip("pandas", reason="pandas comes with the dask and ray extras")
    pyarrow = pytest.importorskip("pyarrow", reason="pyarrow comes with the dask and ray extras")
    frame = process_partition(
        pandas.DataFrame({"input": documents[:3]}), settings=settings, run_name="kinds"
    )
    table = process_partition(
        pyarrow.table({"input": documents[:3]}), settings=settings, run_name="kinds"
    )
    assert frame["output"].tolist() == table.column("output").to_pylist()
    assert frame["output"].tolist() == [f"document {i}\n" for i in range(3)]


def test_spark_map_in_pandas_shape_iterator_of_frames_in_one_frame_out_per_frame(
    server: Any, job_count: JobCount, settings: WorkerSettings, documents: list[str]
) -> None:
    """What ``df.mapInPandas(fn, schema=SPARK_SCHEMA)`` hands a Python worker, without Spark."""
    pandas = pytest.importorskip("pandas", reason="pandas comes with the dask and ray extras")

    def frames() -> Iterator[Any]:
        for start in range(0, len(documents), 5):
            yield pandas.DataFrame({"input": documents[start : start + 5]})

    def spark_udf(batches: Iterator[Any]) -> Iterator[Any]:
        return process_partitions(batches, settings=settings, run_name="spark")

    out = list(spark_udf(frames()))
    assert [len(frame) for frame in out] == [5, 5, 2]
    texts = [text for frame in out for text in frame["output"].tolist()]
    assert texts == [f"document {i}\n" for i in range(len(documents))]
    assert job_count(server) == len(documents)


def test_no_key_in_the_worker_environment_raises_for_the_partition(
    settings: WorkerSettings, documents: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BYTEIT_API_KEY")
    with pytest.raises(APIKeyError, match="BYTEIT_API_KEY"):
        process_partition([{"input": documents[0]}], settings=settings, run_name="nokey")


def test_a_rejected_key_raises_for_the_partition_rather_than_fail_every_row(
    settings: WorkerSettings, documents: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYTEIT_API_KEY", "wrong.key-that-the-server-does-not-know")
    with pytest.raises((AuthenticationError, APIKeyError)) as caught:
        process_partition([{"input": path} for path in documents], settings=settings,
                          run_name="badkey")  # fmt: skip
    assert "wrong.key" not in str(caught.value)


def test_a_bad_option_raises_before_any_job(
    server: Any, job_count: JobCount, settings: WorkerSettings, documents: list[str]
) -> None:
    with pytest.raises(ValidationError, match="page_range"):
        process_partition([{"input": documents[0]}], settings=settings, run_name="opt",
                          processing_options={"page_range": "last"})  # fmt: skip
    assert job_count(server) == 0


def test_a_partition_polls_job_by_job_unless_told_to_read_the_job_list(
    byteit_server_factory: Any,
    documents: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The account's job list holds every job it made: by default no partition reads it."""
    slow = byteit_server_factory(processing_delay=0.2)
    monkeypatch.setenv("BYTEIT_API_KEY", slow.api_key)
    sent: list[tuple[str, str]] = []
    send = httpx.Client.send

    def recording(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        sent.append((request.method, request.url.path))
        return send(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", recording)
    rows = [{"input": path} for path in documents[:6]]
    settings = WorkerSettings(base_url=slow.base_url, poll_interval=0.05)
    assert all(r["ok"] for r in process_partition(rows, settings=settings, run_name="each"))
    assert ("GET", "/v1/jobs/parse-jobs/") not in sent
    assert any(path.endswith("/status/") for _method, path in sent)
    sent.clear()
    listing = attrs.evolve(settings, job_list=True)
    assert all(r["ok"] for r in process_partition(rows, settings=listing, run_name="listed"))
    assert ("GET", "/v1/jobs/parse-jobs/") in sent
