"""The engine-neutral pieces of `byteit.distributed`, without an engine or a server:
settings that travel pickled and hold no secret, rows of every kind in and out,
and where each document's result goes."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from byteit._distributed._documents import Documents, check_output
from byteit._distributed._rows import COLUMNS, read_rows, write_rows
from byteit.connectors import S3InputConnector, S3OutputConnector
from byteit.distributed import WorkerSettings, plan_run
from byteit.exceptions import ValidationError


def _pandas() -> Any:
    return pytest.importorskip("pandas", reason="pandas comes with the dask and ray extras")


def _pyarrow() -> Any:
    return pytest.importorskip("pyarrow", reason="pyarrow comes with the dask and ray extras")


@pytest.mark.parametrize(
    ("field", "variable"),
    [
        ("api_key", "BYTEIT_API_KEY"),
        ("aws_access_key_id", "AWS_ACCESS_KEY_ID"),
        ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
    ],
)
def test_a_secret_in_the_settings_is_refused_naming_the_variable_to_set(
    field: str, variable: str
) -> None:
    with pytest.raises(ValidationError, match=variable) as caught:
        WorkerSettings(**{field: "s3cr3t-value"})
    assert "s3cr3t-value" not in str(caught.value)


def test_settings_pickle_and_compare_equal() -> None:
    settings = WorkerSettings(base_url="http://127.0.0.1:1", max_concurrency=4, input_root="/d")
    assert pickle.loads(pickle.dumps(settings)) == settings


@pytest.mark.parametrize(
    "bad",
    [{"max_concurrency": 0}, {"timeout": -1}, {"max_retries": -2}, {"s3_server_side": "yes"}],
)
def test_bad_settings_are_refused_naming_the_value(bad: dict[str, Any]) -> None:
    name = next(iter(bad))
    with pytest.raises(ValidationError, match=name):
        WorkerSettings(**bad)


def test_a_bad_option_or_run_name_is_refused_before_any_row_is_read() -> None:
    with pytest.raises(ValidationError, match="colour"):
        plan_run(WorkerSettings(), {"colour": "red"}, None, "run")
    with pytest.raises(ValidationError, match="run_name"):
        plan_run(WorkerSettings(), None, None, " ")
    with pytest.raises(ValidationError, match="WorkerSettings"):
        plan_run({"base_url": "x"}, None, None, "run")  # type: ignore[arg-type]


def test_zip_results_cannot_come_back_as_text() -> None:
    with pytest.raises(ValidationError, match="zip"):
        check_output(None, "zip")


RESULTS = [
    {"input": "a.pdf", "ok": True, "output": "text", "error_type": None, "error": None,
     "job_id": "j1", "credits": 1.0},
    {"input": "b.pdf", "ok": False, "output": None, "error_type": "ValidationError",
     "error": "bad", "job_id": None, "credits": None},
]  # fmt: skip


def test_a_list_of_dicts_comes_back_as_a_list_of_dicts() -> None:
    rows = read_rows([{"input": "a.pdf", "other": 1}, {"input": b"x", "name": "b.txt"}])
    assert rows.inputs == ["a.pdf", b"x"]
    assert rows.names == [None, "b.txt"]
    assert write_rows(rows, RESULTS) == RESULTS


def test_a_pandas_frame_comes_back_as_one_with_its_index() -> None:
    frame = _pandas().DataFrame({"input": ["a.pdf", "b.pdf"]}, index=[7, 9])
    out = write_rows(read_rows(frame), RESULTS)
    assert list(out.columns) == list(COLUMNS)
    assert list(out.index) == [7, 9]
    assert out["ok"].tolist() == [True, False]
    assert out["credits"].dtype == "float64"


def test_an_arrow_table_comes_back_typed_even_when_a_column_is_all_null() -> None:
    pyarrow = _pyarrow()
    table = pyarrow.table({"input": ["a.pdf", "b.pdf"]})
    rows = read_rows(table)
    out = write_rows(rows, [{**r, "credits": None} for r in RESULTS])
    assert out.column_names == list(COLUMNS)
    assert out.schema.field("credits").type == pyarrow.float64()
    assert out.column("error").to_pylist() == [None, "bad"]


def test_an_arrow_record_batch_comes_back_as_one_as_spark_map_in_arrow_needs() -> None:
    pyarrow = _pyarrow()
    batch = pyarrow.RecordBatch.from_pylist([{"input": "a.pdf"}, {"input": "b.pdf"}])
    out = write_rows(read_rows(batch), RESULTS)
    assert isinstance(out, pyarrow.RecordBatch)
    assert out.column("job_id").to_pylist() == ["j1", None]


def test_a_dict_of_columns_comes_back_as_numpy_columns() -> None:
    numpy = pytest.importorskip("numpy")
    out = write_rows(read_rows({"input": numpy.array(["a.pdf", "b.pdf"])}), RESULTS)
    assert out["ok"].dtype == bool
    assert out["job_id"].tolist() == ["j1", None]


def test_a_table_without_an_input_column_is_refused() -> None:
    with pytest.raises(ValidationError, match="'input' column"):
        read_rows(_pandas().DataFrame({"path": ["a.pdf"]}))
    with pytest.raises(ValidationError, match="list of dicts"):
        read_rows("a.pdf")


def test_results_mirror_the_full_path_or_the_path_below_input_root(tmp_path: Path) -> None:
    doc = tmp_path / "in" / "sub" / "a.pdf"
    plain = Documents(WorkerSettings(), tmp_path / "out", "md").document(str(doc))
    rooted = Documents(WorkerSettings(input_root=str(tmp_path / "in")), tmp_path / "out", "md")
    assert plain.path == tmp_path / "out" / f"{doc.as_posix().lstrip('/')}.md"
    assert rooted.document(str(doc)).path == tmp_path / "out" / "sub" / "a.pdf.md"


def test_a_row_that_names_no_document_gets_its_own_error(tmp_path: Path) -> None:
    documents = Documents(WorkerSettings(), None, "txt")
    assert "name" in str(documents.document(b"%PDF").error)
    assert "folder" in str(documents.document(str(tmp_path)).error)
    assert "file path" in str(documents.document(42).error)
    assert documents.document(b"hello", "a.txt").error is None


def test_s3_documents_and_outputs_follow_the_settings() -> None:
    pytest.importorskip("boto3", reason="the s3 extra")
    settings = WorkerSettings(s3_server_side=True, input_root="s3://docs/inbox/")
    document = Documents(settings, "s3://results/out", "txt").document("s3://docs/inbox/a/b.pdf")
    assert isinstance(document.source, S3InputConnector)
    assert document.source.server_side
    assert isinstance(document.output, S3OutputConnector)
    assert (document.output.bucket, document.output.prefix) == ("results", "out/a/")


def test_import_byteit_loads_no_engine_nor_dataframe_library() -> None:
    code = (
        "import sys, byteit, byteit.distributed, byteit.ray, byteit.dask;"
        "heavy = ('ray', 'dask', 'pandas', 'pyarrow', 'numpy');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "[]"
