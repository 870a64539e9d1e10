"""The conformance runner: our client passes every scenario, the Node adapter its subset,
and a bad scenario file or a bad adapter is reported, not fatal.

These run real adapter processes against the scenario server on 127.0.0.1 with
the suite's scaled timing (no scenario waits more than 2 s); the test itself
never sleeps.
"""

from __future__ import annotations

import argparse
import io
import json
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from byteit.conformance._options import add_arguments
from byteit.conformance.runner import run_command

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "conformance"
NODE_ADAPTER = SUITE / "adapters" / "node" / "adapter.mjs"
SCENARIO = """\
format_version: 1
scenarios:
  - id: {id}
    rules: [AUTH-1]
    operation: get_job
    arguments: {{job_id: job-1}}
    server:
      - match: {{method: GET, path: /v1/jobs/parse-jobs/job-1/}}
        respond: [{{json: {{parse_job: {{id: job-1, processing_status: completed}}}}}}]
    expect:
      outcome: {{value: {{job_id: job-1}}}}
"""


def run(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = io.StringIO()
    status = run_command(parser.parse_args(list(argv)), out)
    return status, out.getvalue()


def small_suite(tmp_path: Path, *ids: str) -> Path:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(SUITE / "scenario.schema.json", tmp_path)
    text = SCENARIO.format(id=ids[0]) + "".join(
        SCENARIO.format(id=i).split("scenarios:\n", 1)[1] for i in ids[1:]
    )
    (tmp_path / "scenarios" / "small.yaml").write_text(text)
    return tmp_path


def adapter(folder: Path, program: str) -> str:
    """The --client command of an adapter that runs `program`."""
    script = folder / "adapter.py"
    script.write_text(program + "\n")
    return shlex.join([sys.executable, str(script)])


def test_our_client_passes_every_scenario() -> None:
    status, output = run("--suite", str(SUITE))
    assert status == 0, output
    assert "scenario format_version 1" in output
    assert " 0 failed, 0 skipped" in output


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_node_adapter_passes_its_scenarios_and_skips_the_rest() -> None:
    status, output = run("--suite", str(SUITE), "--client", f"node {NODE_ADAPTER}")
    assert status == 0, output
    assert " 0 failed, " in output
    assert "SKIP process-document-whole-run" in output
    assert "PASS create-retry-same-key-whole-document" in output


def test_a_malformed_scenario_file_is_refused_with_its_path_and_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = small_suite(tmp_path, "fine")
    bad = suite / "scenarios" / "bad.yaml"
    bad.write_text("format_version: 1\nscenarios:\n  - id: x\n    rules: [AUTH-1]\n")
    status, _output = run("--suite", str(suite))
    assert status == 2
    error = capsys.readouterr().err
    assert str(bad) in error
    assert "'server' is a required property" in error or "is not valid" in error


@pytest.mark.parametrize(
    ("program", "problem"),
    [
        ("print('hello, not JSON')", "printed no answer object (exit status 0)"),
        ("import sys; sys.exit(3)", "printed no answer object (exit status 3)"),
        ("import time; time.sleep(30)", "no answer within 1 s"),
    ],
)
def test_a_bad_adapter_fails_its_scenarios_and_the_run_goes_on(
    tmp_path: Path, program: str, problem: str
) -> None:
    suite = small_suite(tmp_path, "first", "second")
    client = adapter(tmp_path, program)
    status, output = run("--suite", str(suite), "--client", client, "--adapter-timeout", "1")
    assert status == 1
    assert "FAIL first" in output
    assert "FAIL second" in output
    assert output.count(problem) == 2
    assert "AUTH-1      failed" in output


def test_a_wrong_answer_fails_with_what_differs(tmp_path: Path) -> None:
    suite = small_suite(tmp_path, "only")
    client = adapter(tmp_path, """print('{"value": {"job_id": "job-2"}}')""")
    status, output = run("--suite", str(suite), "--client", client)
    assert status == 1
    assert "value: job_id: expected 'job-1', got 'job-2'" in output


def test_serve_plays_one_scenario_until_interrupted() -> None:
    # Ctrl-C is how a user stops it; a test's child must not inherit an ignored SIGINT.
    command = [sys.executable, "-m", "byteit", "conformance", "serve", "retry-503-then-success"]
    with subprocess.Popen(
        [*command, "--suite", str(SUITE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    ) as served:
        assert served.stdout is not None
        request = json.loads(served.stdout.readline())
        url = request["base_url"] + "/v1/jobs/parse-jobs/job-1/"
        assert request["operation"] == "get_job"
        assert httpx.get(url).status_code == 503
        assert httpx.get(url).json()["parse_job"]["processing_status"] == "completed"
        served.send_signal(signal.SIGINT)
        out, _err = served.communicate(timeout=30)
    assert served.returncode == 0
    assert out.splitlines() == ["GET /v1/jobs/parse-jobs/job-1/"] * 2


def test_importing_byteit_and_its_command_imports_no_runner() -> None:
    code = (
        "import sys, byteit, byteit.cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('jsonschema', 'yaml', "
        "'byteit.conformance.runner', 'byteit_server.scenario_player'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
