"""The `byteit` command against the local server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from byteit._batch._folders import expand_inputs
from byteit.cli import main
from byteit.exceptions import ValidationError

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
    assert main(["extract", str(docs), "-o", str(out_dir), "--format", "md", *connection]) == 0
    assert (out_dir / "a.txt.md").read_text().strip() == "alpha text"
    assert "Beta" in (out_dir / "sub" / "b.md.md").read_text()
    assert "wrote" in capsys.readouterr().err


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
