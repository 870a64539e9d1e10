"""Upload limits, API keys, request ids, rate limits and injected faults."""

from __future__ import annotations

import time

import httpx
import pytest

from byteit_server.config import DEV_API_KEY

from .helpers import upload


@pytest.fixture
def small_limits(byteit_server_factory, connect) -> httpx.Client:
    server = byteit_server_factory(
        max_files_per_request=2, max_file_bytes=100, max_request_bytes=1000
    )
    return connect(server)


def test_a_file_over_the_limit_is_a_413_naming_it(small_limits: httpx.Client) -> None:
    answer = upload(small_limits, "big.txt", b"x" * 101)
    assert answer.status_code == 413
    assert answer.json()["detail"] == "'big.txt' exceeds the limit of 100 bytes a file"


def test_a_request_over_the_limit_is_a_413(small_limits: httpx.Client) -> None:
    answer = upload(small_limits, "big.txt", b"x" * 5000)
    assert answer.status_code == 413
    assert "1000 bytes a request" in answer.json()["detail"]


def test_a_streamed_request_over_the_limit_is_a_413(small_limits: httpx.Client) -> None:
    boundary = "b0undary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
    body = [head.encode(), b"x" * 3000, f"\r\n--{boundary}--\r\n".encode()]
    answer = small_limits.post(
        "/v1/jobs/parse-jobs/",
        content=iter(body),  # no Content-Length: sent chunked
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status_code == 413


def test_too_many_files_is_a_413(small_limits: httpx.Client) -> None:
    files = [("files", (f"{n}.txt", b"x")) for n in range(3)]
    answer = small_limits.post("/v1/jobs/parse-jobs/", files=files)
    assert answer.status_code == 413
    assert "at most 2" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({}, "missing X-API-Key"), ({"X-API-Key": "wrong.key"}, "invalid API key")],
)
def test_a_missing_or_wrong_key_is_a_401(
    byteit_server, headers: dict[str, str], expected: str
) -> None:
    with httpx.Client(base_url=byteit_server.base_url, headers=headers) as client:
        answer = client.get("/v1/jobs/parse-jobs/")
    assert answer.status_code == 401
    assert expected in answer.json()["detail"]
    assert answer.headers["x-request-id"]


def test_configured_keys_replace_the_development_key(byteit_server_factory, connect) -> None:
    server = byteit_server_factory(api_keys=("team.secret",))
    assert connect(server, "team.secret").get("/v1/schemas/").status_code == 200
    assert connect(server, DEV_API_KEY).get("/v1/schemas/").status_code == 401


def test_every_answer_carries_a_request_id(api: httpx.Client) -> None:
    answers = [api.get("/v1/jobs/parse-jobs/"), api.get("/v1/nowhere/"), api.put("/v1/schemas/")]
    assert [answer.status_code for answer in answers] == [200, 404, 405]
    assert len({answer.headers["x-request-id"] for answer in answers}) == 3
    assert all("detail" in answer.json() for answer in answers[1:])


def test_over_the_rate_limit_is_a_429_with_retry_after(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(rate_limit=0.5, rate_limit_burst=2))
    statuses = [client.get("/v1/schemas/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get("/v1/schemas/")
    assert int(limited.headers["retry-after"]) >= 1
    assert "rate limit" in limited.json()["detail"]


@pytest.mark.parametrize(("fault", "status"), [("fault_503", 503), ("fault_429", 429)])
def test_injected_error_answers_carry_retry_after(
    byteit_server_factory, connect, fault: str, status: int
) -> None:
    client = connect(byteit_server_factory(**{fault: 1.0}, fault_seed=7))
    answer = client.get("/v1/jobs/parse-jobs/")
    assert answer.status_code == status
    assert answer.headers["retry-after"] == "1"
    assert "injected" in answer.json()["detail"]
    assert client.get("/openapi.yaml").status_code == 200  # faults strike only /v1/


def test_an_injected_drop_is_a_connection_error(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(fault_drop=1.0, fault_seed=7))
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/v1/jobs/parse-jobs/")


def test_an_injected_slow_answer_is_delayed(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(fault_slow=1.0, fault_slow_seconds=0.3, fault_seed=7))
    started = time.monotonic()
    assert client.get("/v1/jobs/parse-jobs/").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_seed_makes_the_faults_reproducible(byteit_server_factory, connect) -> None:
    def statuses() -> list[int]:
        client = connect(byteit_server_factory(fault_503=0.5, fault_seed=42))
        return [client.get("/v1/schemas/").status_code for _ in range(12)]

    first = statuses()
    assert set(first) == {200, 503}
    assert statuses() == first
