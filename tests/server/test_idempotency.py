"""Idempotency-Key: a repeated request returns the first answer and creates nothing."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from .helpers import create_job


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def post_document(client: httpx.Client, key: str) -> httpx.Response:
    return client.post("/v1/jobs/parse-jobs/", files={"file": ("a.txt", b"a")}, headers=keyed(key))


def count_jobs(client: httpx.Client) -> int:
    return int(client.get("/v1/jobs/parse-jobs/").json()["count"])


def test_a_repeated_create_returns_the_first_job(api: httpx.Client) -> None:
    key = uuid.uuid4().hex
    first = post_document(api, key)
    before = count_jobs(api)
    again = post_document(api, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["parse_job"]["id"] == first.json()["parse_job"]["id"]
    assert count_jobs(api) == before


def test_concurrent_creates_with_one_key_make_one_job(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory())
    key = uuid.uuid4().hex
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: post_document(client, key), range(8)))
    assert sorted(answer.status_code for answer in answers) == [200] * 7 + [201]
    assert len({answer.json()["parse_job"]["id"] for answer in answers}) == 1
    assert count_jobs(client) == 1


def test_a_several_file_answer_is_replayed_with_its_failed_files(api: httpx.Client) -> None:
    key = uuid.uuid4().hex
    files = [("files", ("a.txt", b"a")), ("files", ("b.exe", b"b"))]
    first = api.post("/v1/jobs/parse-jobs/", files=files, headers=keyed(key)).json()
    again = api.post("/v1/jobs/parse-jobs/", files=files, headers=keyed(key)).json()
    assert [job["id"] for job in again["parse_jobs"]] == [job["id"] for job in first["parse_jobs"]]
    assert again["failed_files"] == first["failed_files"]


def test_keys_are_per_owner(byteit_server_factory, connect) -> None:
    server = byteit_server_factory(api_keys=("alice.key", "bob.key"))
    alice, bob = connect(server, "alice.key"), connect(server, "bob.key")
    first, second = post_document(alice, "same"), post_document(bob, "same")
    assert second.status_code == 201
    assert first.json()["parse_job"]["id"] != second.json()["parse_job"]["id"]


def test_a_failed_request_does_not_use_up_the_key(api: httpx.Client) -> None:
    key = uuid.uuid4().hex
    refused = api.post("/v1/jobs/parse-jobs/", files={"file": ("a.exe", b"a")}, headers=keyed(key))
    assert refused.status_code == 400
    assert post_document(api, key).status_code == 201


def test_a_key_reused_for_another_operation_is_a_400(api: httpx.Client) -> None:
    key = uuid.uuid4().hex
    job_id = post_document(api, key).json()["parse_job"]["id"]
    body = {"parse_job_id": job_id, "schema": {"properties": {}}}
    answer = api.post("/v1/jobs/extract-jobs/", json=body, headers=keyed(key))
    assert answer.status_code == 400


def test_a_repeated_extract_job_returns_the_first(api: httpx.Client) -> None:
    key = uuid.uuid4().hex
    body = {"parse_job_id": create_job(api), "schema": {"properties": {}}}
    first = api.post("/v1/jobs/extract-jobs/", json=body, headers=keyed(key))
    again = api.post("/v1/jobs/extract-jobs/", json=body, headers=keyed(key))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["extract_job"]["id"] == first.json()["extract_job"]["id"]


def test_an_overlong_key_is_a_400(api: httpx.Client) -> None:
    assert post_document(api, "k" * 256).status_code == 400
