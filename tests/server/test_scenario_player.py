"""The scenario player answers as scripted, misbehaves on cue, and records every request."""

from __future__ import annotations

import httpx
import pytest

from byteit_server.scenario_player import NOT_SCRIPTED, ScenarioServer

KEY = "kid.secret-value"
JOB = {"parse_job": {"id": "job-1", "processing_status": "completed"}}


def serve(*routes: dict[str, object]) -> ScenarioServer:
    return ScenarioServer(list(routes), api_key=KEY)


def route(
    path: str, *answers: dict[str, object], method: str = "GET", step: int | None = None
) -> dict[str, object]:
    match: dict[str, object] = {"method": method, "path": path}
    if step is not None:
        match["step"] = step
    return {"match": match, "respond": list(answers)}


def test_answers_come_in_turn_and_the_last_repeats() -> None:
    with serve(
        route("/v1/jobs/*/", {"status": 503, "json": {"detail": "busy"}}, {"json": JOB})
    ) as server:
        statuses = [httpx.get(f"{server.base_url}/v1/jobs/job-1/").status_code for _ in range(3)]
    assert statuses == [503, 200, 200]
    assert [r.path for r in server.requests] == ["/v1/jobs/job-1/"] * 3


def test_an_unscripted_request_gets_a_418() -> None:
    with serve() as server:
        assert httpx.get(f"{server.base_url}/v1/nothing/").status_code == NOT_SCRIPTED


def test_templates_fill_in_the_key_and_dates() -> None:
    answer = {
        "json": {"detail": "key {{api_key}}"},
        "headers": {"Retry-After": "{{http_date_in:5}}"},
    }
    with serve(route("/x/", answer)) as server:
        response = httpx.get(f"{server.base_url}/x/")
    assert response.json() == {"detail": f"key {KEY}"}
    assert response.headers["Retry-After"].endswith("GMT")


def test_a_dropped_connection_and_a_truncated_body() -> None:
    with serve(route("/x/", {"drop": True}, {"body": "0123456789", "truncate_at": 4})) as server:
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{server.base_url}/x/")
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{server.base_url}/x/")
    assert len(server.requests) == 2


def test_created_jobs_name_one_job_per_uploaded_file_and_the_body_is_recorded() -> None:
    with serve(route("/c/", {"created_jobs": {}}, method="POST")) as server:
        one = httpx.post(f"{server.base_url}/c/", files={"file": ("a.txt", b"alpha")})
        two = httpx.post(
            f"{server.base_url}/c/", files=[("files", ("a.txt", b"A")), ("files", ("b.txt", b"B"))]
        )
    assert one.json()["parse_job"]["id"] == "job-a.txt"
    assert [job["id"] for job in two.json()["parse_jobs"]] == ["job-a.txt", "job-b.txt"]
    assert b"alpha" in server.requests[0].body


def test_a_route_of_one_step_answers_only_in_that_step() -> None:
    with serve(route("/x/", {"body": "first"}, step=1), route("/x/", {"body": "second"})) as server:
        assert httpx.get(f"{server.base_url}/x/").text == "first"
        server.step = 2
        assert httpx.get(f"{server.base_url}/x/").text == "second"
