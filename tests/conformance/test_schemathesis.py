"""The local server against openapi/byteit.yaml, with generated requests (schemathesis).

Every operation of the spec is exercised with valid and invalid requests; a
failure means the server and the spec disagree. A request naming a job is
sent twice: with the generated id (usually unknown: a 404) and with the id of
a real, completed job, so the success answers are checked too. Runs are
deterministic (derandomized) and small.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from byteit_server.config import ServerConfig
from byteit_server.server import EmbeddedServer

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "byteit.yaml"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_path(SPEC)


@pytest.fixture(scope="module")
def conformance_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    config = ServerConfig(data_dir=tmp_path_factory.mktemp("conformance"), port=0)
    with EmbeddedServer(config) as server:
        yield server


@pytest.fixture(scope="module")
def known_jobs(conformance_server: EmbeddedServer) -> dict[str, str]:
    """A completed parse job and extract job, by kind."""
    headers = {"X-API-Key": conformance_server.api_key}
    with httpx.Client(base_url=conformance_server.base_url, headers=headers) as client:
        document = {"file": ("invoice.txt", b"Total: 12\n")}
        parse_id = client.post("/v1/jobs/parse-jobs/", files=document).json()["parse_job"]["id"]
        body = {"parse_job_id": parse_id, "schema": {"properties": {"total": {"type": "integer"}}}}
        extract_id = client.post("/v1/jobs/extract-jobs/", json=body).json()["extract_job"]["id"]
        deadline = time.monotonic() + 10
        while (
            client.get(f"/v1/jobs/{extract_id}/status/").json()["processing_status"] != "completed"
        ):
            assert time.monotonic() < deadline
            time.sleep(0.02)
    return {"parse": parse_id, "extract": extract_id}


def test_every_operation_is_covered() -> None:
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert len(operations) == 17


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_server_conforms_to_the_spec(
    case: schemathesis.Case, conformance_server: EmbeddedServer, known_jobs: dict[str, str]
) -> None:
    options = {
        "base_url": conformance_server.base_url,
        "headers": {"X-API-Key": conformance_server.api_key},
        "checks": CHECKS,
    }
    case.call_and_validate(**options)
    if case.path_parameters and "job_id" in case.path_parameters:
        kind = "extract" if "extract-jobs" in case.path else "parse"
        case.path_parameters["job_id"] = known_jobs[kind]
        case.call_and_validate(**options)
