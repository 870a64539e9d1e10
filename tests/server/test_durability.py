"""Concurrency, restarts and failures: jobs are never lost or stuck, the server keeps serving."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from byteit_server.runner import WORKER_CRASHED

from .helpers import crash_worker, create_job, upload, wait_for


def test_fifty_concurrent_creates_all_succeed(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(processing_delay=30))
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda n: upload(client, f"doc{n}.txt", b"x"), range(50)))
    assert [answer.status_code for answer in answers] == [201] * 50
    assert client.get("/v1/jobs/parse-jobs/").json()["count"] == 50


def test_a_job_interrupted_by_a_restart_completes_after_it(
    byteit_server_factory, connect, tmp_path
) -> None:
    data_dir = tmp_path / "data"
    first = byteit_server_factory(data_dir=data_dir, processing_delay=60)
    job_id = create_job(connect(first), "a.txt", b"survives")
    wait_for(connect(first), job_id, ("processing",))
    first.stop()
    second = connect(byteit_server_factory(data_dir=data_dir))
    assert wait_for(second, job_id)["processing_status"] == "completed"
    assert second.get(f"/v1/jobs/parse-jobs/{job_id}/result/").text.startswith("survives")


def test_a_corrupt_document_fails_its_job_and_the_server_keeps_serving(api) -> None:
    broken = create_job(api, "broken.docx", b"PK\x03\x04 not a real archive")
    status = wait_for(api, broken)
    assert status["processing_status"] == "failed"
    job = api.get(f"/v1/jobs/parse-jobs/{broken}/").json()["parse_job"]
    assert job["processing_error"]
    answer = api.get(f"/v1/jobs/parse-jobs/{broken}/result/")
    assert answer.status_code == 400
    assert answer.json()["detail"] == f"job failed: {job['processing_error']}"
    assert wait_for(api, create_job(api))["processing_status"] == "completed"


def test_a_crashing_worker_fails_the_job_and_the_pool_recovers(
    byteit_server_factory, connect
) -> None:
    client = connect(byteit_server_factory(extract=crash_worker))
    job_id = create_job(client, "crash.txt")
    assert wait_for(client, job_id)["processing_status"] == "failed"
    job = client.get(f"/v1/jobs/parse-jobs/{job_id}/").json()["parse_job"]
    assert job["processing_error"] == WORKER_CRASHED
    assert wait_for(client, create_job(client, "fine.txt"))["processing_status"] == "completed"
