"""The pytest plugin's fixtures, and the crash guard that no fixture reaches."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from byteit_server.app import create_app
from byteit_server.config import ServerConfig


def test_byteit_client_fixture_talks_to_the_session_server(byteit_client, tmp_path: Path) -> None:
    document = tmp_path / "hello.txt"
    document.write_text("hello from the client\n", encoding="utf-8")
    job = byteit_client.create_job(document)
    byteit_client.wait_for_job(job.id, poll_interval=0.05, max_wait_time=10)
    assert byteit_client.get_job_result(job.id) == b"hello from the client\n"


def test_factory_servers_are_separate(byteit_server, byteit_server_factory) -> None:
    other = byteit_server_factory()
    assert other.base_url != byteit_server.base_url
    assert other.config.data_dir != byteit_server.config.data_dir


def test_an_unhandled_error_is_a_json_500_without_internals(tmp_path: Path) -> None:
    app = create_app(ServerConfig(data_dir=tmp_path))

    def explode(owner: str) -> None:
        raise RuntimeError("secret internals")

    app.state.byteit.storage.list_parse_jobs = explode

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app)
        headers = {"X-API-Key": "byteit-dev.local-development-key"}
        async with httpx.AsyncClient(transport=transport, headers=headers) as client:
            return await client.get("http://byteit.test/v1/jobs/parse-jobs/")

    answer = asyncio.run(call())
    app.state.byteit.storage.close()
    assert answer.status_code == 500
    assert "secret" not in answer.text
    assert answer.headers["x-request-id"] in answer.json()["detail"]
