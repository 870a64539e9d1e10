"""extract_documents against the local server: a batch of 50 killed with ``kill -9`` and
run again (one parse job and one extract job per document, every output), and a
credit cap that stops a batch."""

from __future__ import annotations

import json
import signal
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from byteit import BudgetExceededError

from .conftest import OpenClient, Run
from .test_batch_kill import run_child_until, server_jobs

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

DOCUMENTS = 50
SCHEMA = {"type": "object", "properties": {"number": {"type": "integer"}}}
CHILD = textwrap.dedent(
    f"""
    import asyncio
    import sys
    from byteit import AsyncByteITClient, ByteITClient

    flavour, api_key, base_url, folder, out, state = sys.argv[1:]
    schema = {SCHEMA!r}

    def report(stats):
        print(f"{{stats.done}} {{stats.failed}} {{stats.in_flight}}", flush=True)

    options = dict(
        output_dir=out, state_file=state, max_concurrency=8, poll_interval=0.05,
        on_progress=report,
    )

    async def run_async():
        async with AsyncByteITClient(api_key, base_url=base_url) as client:
            await client.extract_documents([folder], schema, **options)

    if flavour == "async":
        asyncio.run(run_async())
    else:
        with ByteITClient(api_key, base_url=base_url) as client:
            client.extract_documents([folder], schema, **options)
    print("finished", flush=True)
    """
)


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(DOCUMENTS):
        (folder / f"doc{i:02}.txt").write_text(f"Number: {i}\n")
    return folder


def extract_jobs(server: Any) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{server.base_url}/v1/jobs/extract-jobs/", headers={"X-API-Key": server.api_key}
    )
    answer.raise_for_status()
    jobs: list[dict[str, Any]] = answer.json()["extract_jobs"]
    return jobs


def test_a_batch_of_50_killed_and_run_again_makes_one_job_of_each_kind_per_document(
    open_client: OpenClient,
    run: Run,
    flavour: str,
    byteit_server_factory: Any,
    documents: Path,
    tmp_path: Path,
) -> None:
    """The other client is killed (`flavour` finishes the run): both kinds are covered."""
    killed = "async" if flavour == "sync" else "sync"
    server = byteit_server_factory(workers=4, processing_delay=0.05)
    out, state = tmp_path / "out", tmp_path / "run.batch"
    args = [str(documents), str(out), str(state)]
    midway = lambda done, _failed, _in_flight: done >= 20  # noqa: E731
    assert run_child_until(server, killed, args, midway, script=CHILD), "the child finished first"

    with open_client(server) as client:
        results = run(
            client.extract_documents([documents], SCHEMA, output_dir=out, state_file=state)
        )

    assert all(result.ok for result in results)
    parses = server_jobs(server)
    names = sorted(job["metadata"]["original_filename"] for job in parses)
    assert names == sorted(f"doc{i:02}.txt" for i in range(DOCUMENTS))  # one parse each
    extracts = extract_jobs(server)
    assert sorted(job["input_job_id"] for job in extracts) == sorted(job["id"] for job in parses)
    expected = [out / f"doc{i:02}.txt.extract.json" for i in range(DOCUMENTS)]
    for i, written in enumerate(expected):
        assert json.loads(written.read_text()) == {"number": i}
    assert sorted(path for path in out.rglob("*") if path.is_file()) == sorted(expected)


def test_a_credit_cap_stops_the_batch_and_a_higher_one_finishes_it(
    open_client: OpenClient, run: Run, byteit_server_factory: Any, documents: Path, tmp_path: Path
) -> None:
    """The local server charges a credit per page parsed and one per extraction."""
    server = byteit_server_factory(workers=2)
    first_ten = sorted(documents.iterdir())[:10]
    state = tmp_path / "run.batch"
    with open_client(server) as client:
        capped = run(
            client.extract_documents(
                first_ten, SCHEMA, max_credits=6, state_file=state, on_error="return"
            )
        )
        refused = [r.index for r in capped if isinstance(r.error, BudgetExceededError)]
        assert refused
        assert all(r.ok for r in capped if r.index not in refused)
        spent = len(server_jobs(server)) + len(extract_jobs(server))
        assert spent <= 6 + 2  # at most the cap, plus jobs in flight when it was reached
        again = run(client.extract_documents(first_ten, SCHEMA, max_credits=100, state_file=state))
    assert [r.value.data for r in again] == [{"number": i} for i in range(10)]
    assert len(server_jobs(server)) == 10
    assert len(extract_jobs(server)) == 10
