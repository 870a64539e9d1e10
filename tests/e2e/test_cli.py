"""The `byteit` command against the local server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest

from byteit._batch._folders import expand_inputs
from byteit.cli import main
from byteit.exceptions import ValidationError
from byteit_server.samples import IMAGE_TEXT, make_samples

from .pdfs import write_pdf

pytestmark = pytest.mark.e2e


@pytest.fixture
def connection(byteit_server: object) -> list[str]:
    return [
        "--api-key",
        byteit_server.api_key,  # type: ignore[attr-defined]
        "--base-url",
        byteit_server.base_url,  # type: ignore[attr-defined]
    ]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("alpha text\n")
    (folder / "sub" / "b.md").write_text("# Beta\n")
    (folder / ".hidden.txt").write_text("never sent\n")
    return folder


def test_extract_prints_each_document_and_a_summary(
    connection: list[str], docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(docs), *connection]) == 0
    out, err = capsys.readouterr()
    assert f"==> {docs / 'a.txt'} <==\nalpha text" in out
    assert "Beta" in out
    assert "never sent" not in out
    assert "2 extracted, 0 failed" in err


def test_a_failed_document_is_named_with_its_reason_and_the_exit_is_non_zero(
    connection: list[str], docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (docs / "tool.exe").write_bytes(b"MZ")
    (docs / "empty.txt").write_bytes(b"")
    assert main(["extract", str(docs), *connection]) == 1
    out, err = capsys.readouterr()
    assert "alpha text" in out
    assert "2 extracted, 2 failed" in err
    assert f"FAILED {docs / 'tool.exe'}: " in err
    assert "unsupported document type" in err
    assert f"FAILED {docs / 'empty.txt'}: " in err
    assert "empty" in err


def test_extract_writes_results_mirroring_the_folder(
    connection: list[str], docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    command = ["extract", str(docs), "-o", str(out_dir), "--format", "md", "-v", *connection]
    assert main(command) == 0
    assert (out_dir / "a.txt.md").read_text().strip() == "alpha text"
    assert "Beta" in (out_dir / "sub" / "b.md.md").read_text()
    assert "wrote" in capsys.readouterr().err


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for number in range(6):
        (folder / f"doc{number}.txt").write_text(f"text {number}\n")
    return folder


def test_by_default_a_written_batch_prints_only_its_summary(
    connection: list[str], batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(batch), "-o", str(tmp_path / "out"), *connection]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("", "6 extracted, 0 failed; 6 credits\n")  # one page each
    assert len(list((tmp_path / "out").iterdir())) == 6


def test_verbose_lists_every_file_written_in_input_order(
    connection: list[str], batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    assert main(["extract", str(batch), "-o", str(out_dir), "-v", *connection]) == 0
    written = [f"wrote {out_dir / f'doc{number}.txt.txt'}" for number in range(6)]
    assert capsys.readouterr().err.splitlines() == [*written, "6 extracted, 0 failed; 6 credits"]


def test_quiet_prints_nothing_on_success(
    connection: list[str], batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(batch), "-o", str(tmp_path / "out"), "-q", *connection]) == 0
    assert capsys.readouterr() == ("", "")
    assert len(list((tmp_path / "out").iterdir())) == 6


def test_quiet_still_prints_the_texts_it_was_asked_for(
    connection: list[str], batch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(batch), "-q", *connection]) == 0
    out, err = capsys.readouterr()
    assert f"==> {batch / 'doc5.txt'} <==\ntext 5\n" in out
    assert err == ""


@pytest.mark.parametrize(
    ("flags", "summary"),
    [
        ([], ["4 extracted, 2 failed; 4 credits"]),
        (["-v"], ["4 extracted, 2 failed; 4 credits"]),
        (["-q"], []),
    ],
)
def test_failures_are_always_printed_and_the_exit_is_non_zero(
    connection: list[str],
    batch: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    summary: list[str],
) -> None:
    (batch / "doc1.txt").write_bytes(b"")
    (batch / "doc4.txt").unlink()
    (batch / "doc4.exe").write_bytes(b"MZ")
    out_dir = tmp_path / "out"
    assert main(["extract", str(batch), "-o", str(out_dir), *flags, *connection]) == 1
    lines = capsys.readouterr().err.splitlines()
    failures = [line for line in lines if line.startswith("FAILED ")]
    assert len(failures) == 2
    assert failures[0].startswith(f"FAILED {batch / 'doc1.txt'}: ")
    assert failures[1].startswith(f"FAILED {batch / 'doc4.exe'}: ")
    assert "unsupported document type" in failures[1]
    written = [line for line in lines if line.startswith("wrote ")]
    assert len(written) == (4 if flags == ["-v"] else 0)
    assert [line for line in lines if line not in failures + written] == summary


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("flags", "bar_drawn"), [([], True), (["-q"], False)])
def test_quiet_draws_no_progress_bar_even_on_a_terminal(
    connection: list[str],
    batch: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    bar_drawn: bool,
) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    assert main(["extract", str(batch), "-o", str(tmp_path / "out"), *flags, *connection]) == 0
    assert ("6/6" in screen.getvalue()) is bar_drawn
    assert (screen.getvalue() == "") is not bar_drawn


def test_verbose_and_quiet_together_are_refused(
    docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["extract", str(docs), "-v", "-q"])
    assert exited.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_jobs_list_get_and_result(
    connection: list[str], docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(docs / "a.txt"), *connection]) == 0
    capsys.readouterr()
    assert main(["jobs", "list", *connection]) == 0
    listing = capsys.readouterr().out.splitlines()
    job_id = next(line.split("\t")[0] for line in listing if line.endswith("\ta.txt"))
    assert main(["jobs", "get", job_id, *connection]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == job_id
    target = tmp_path / "result.txt"
    assert main(["jobs", "result", job_id, "-o", str(target), *connection]) == 0
    assert target.read_text().strip() == "alpha text"


def test_a_bad_key_fails_with_a_message_that_hides_it(
    byteit_server: object, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base_url = byteit_server.base_url  # type: ignore[attr-defined]
    assert main(["jobs", "list", "--api-key", "bad.sekrit", "--base-url", base_url]) == 1
    err = capsys.readouterr().err
    assert "HTTP 401" in err
    assert "sekrit" not in err


def test_local_runs_the_main_job_with_no_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`byteit extract --local`: an embedded server, no key in the environment."""
    monkeypatch.delenv("BYTEIT_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "note.txt").write_text("offline works\n")
    assert main(["extract", "note.txt", "--local"]) == 0
    assert "offline works" in capsys.readouterr().out


def test_the_samples_extract_locally_with_ocr_from_pip_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make run`: every sample, the scan read exactly, on a machine without tesseract."""
    monkeypatch.delenv("BYTEIT_API_KEY", raising=False)
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.chdir(tmp_path)
    make_samples(tmp_path / "samples")

    assert main(["extract", "samples", "--local", "--format", "md"]) == 0
    out, err = capsys.readouterr()
    scan = out.split("==> samples/scan.png <==\n")[1].split("\n==> ")[0]
    assert scan.strip().splitlines() == list(IMAGE_TEXT)
    assert "6 extracted, 0 failed" in err


def test_help_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("extract", "jobs", "serve", "--local"):
        assert command in out


def test_a_missing_path_is_refused_before_any_request(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no such file or folder"):
        expand_inputs([tmp_path / "missing.pdf"])


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="holds no file"):
        expand_inputs([tmp_path])


def test_a_state_file_makes_a_second_run_send_nothing(
    connection: list[str], docs: Path, tmp_path: Path, byteit_server: object
) -> None:
    out_dir, state = tmp_path / "out", tmp_path / "run.batch"
    command = ["extract", str(docs), "-o", str(out_dir), "--state-file", str(state), *connection]
    assert main(command) == 0
    jobs_before = _job_count(byteit_server)
    (out_dir / "a.txt.txt").unlink()  # a lost output is fetched again, from the same job
    assert main(command) == 0
    assert _job_count(byteit_server) == jobs_before
    assert (out_dir / "a.txt.txt").read_text().strip() == "alpha text"


def _job_count(server: object) -> int:
    answer = httpx.get(
        f"{server.base_url}/v1/jobs/parse-jobs/",  # type: ignore[attr-defined]
        headers={"X-API-Key": server.api_key},  # type: ignore[attr-defined]
    )
    return int(answer.json()["count"])


def test_extract_splits_big_pdfs_with_split_pages(
    connection: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = write_pdf(tmp_path / "cli-split.pdf")
    assert main(["extract", str(pdf), "--split-pages", "4", *connection]) == 0
    out, _ = capsys.readouterr()
    assert all(f"Chapter {n}" in out for n in range(1, 10))
    client = httpx.Client(headers={"X-API-Key": connection[1]}, base_url=connection[3])
    with client:
        jobs = client.get("/v1/jobs/parse-jobs/").json()["parse_jobs"]
    ranges = sorted(
        job["processing_options"]["page_range"]
        for job in jobs
        if job["metadata"]["original_filename"] == pdf.name
    )
    assert ranges == ["1-4", "5-8", "9"]


def test_a_bad_split_pages_is_a_usage_error(
    connection: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["extract", str(tmp_path), "--split-pages", "many", *connection])
    assert exited.value.code == 2
    assert "a number of pages or 'auto', not 'many'" in capsys.readouterr().err


# --- structured extraction and saved schemas ---------------------------------------------

MODELS = """
from pydantic import BaseModel


class Note(BaseModel):
    number: int
"""


@pytest.fixture
def numbered(tmp_path: Path) -> Path:
    folder = tmp_path / "numbered"
    folder.mkdir()
    for number in range(3):
        (folder / f"n{number}.txt").write_text(f"Number: {number}\n")
    return folder


def test_extract_with_a_model_writes_one_json_file_per_document_and_the_credits(
    connection: list[str], numbered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models.py"
    models.write_text(MODELS)
    out = tmp_path / "out"
    args = ["extract", str(numbered), "--schema", f"{models}:Note", "-o", str(out), *connection]
    assert main(args) == 0
    for number in range(3):
        assert json.loads((out / f"n{number}.txt.extract.json").read_text()) == {"number": number}
    assert capsys.readouterr().err == "3 extracted, 0 failed; 6 credits (3 parse, 3 extract)\n"


def test_extract_with_a_json_schema_file_prints_the_data_without_output(
    connection: list[str], numbered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "note.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"number": {"type": "integer"}}}))
    assert main(["extract", str(numbered / "n2.txt"), "--schema", str(schema), *connection]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line == {"input": str(numbered / "n2.txt"), "data": {"number": 2}}


def test_schemas_save_list_get_use_and_delete(
    connection: list[str], numbered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models.py"
    models.write_text(MODELS)
    assert main(["schemas", "save", "cli-note", f"{models}:Note", *connection]) == 0
    assert main(["schemas", "list", *connection]) == 0
    assert "cli-note\n" in capsys.readouterr().out
    assert main(["schemas", "get", "cli-note", *connection]) == 0
    saved = json.loads(capsys.readouterr().out)
    assert saved["schema_json"]["properties"] == {"number": {"type": "integer"}}
    assert main(["extract", str(numbered / "n1.txt"), "--schema", "cli-note", *connection]) == 0
    assert json.loads(capsys.readouterr().out)["data"] == {"number": 1}
    assert main(["schemas", "delete", "cli-note", *connection]) == 0
    assert main(["schemas", "get", "cli-note", *connection]) == 1
    assert "no schema named 'cli-note'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("given", "message"),
    [("{dir}/missing.py:Note", "no such file"), ("{dir}/models.py:Nope", "not a pydantic model")],
)
def test_a_bad_schema_argument_fails_with_its_reason(
    connection: list[str],
    numbered: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    given: str,
    message: str,
) -> None:
    (tmp_path / "models.py").write_text(MODELS)
    schema = given.format(dir=tmp_path)
    assert main(["extract", str(numbered), "--schema", schema, *connection]) == 1
    assert message in capsys.readouterr().err
