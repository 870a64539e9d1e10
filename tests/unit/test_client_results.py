"""get_job_result: bytes, files and folders, formats, not-ready answers, atomic downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from byteit import (
    ByteITClient,
    NetworkError,
    ResultNotReadyError,
    ValidationError,
)

from .conftest import BreakingStream, FakeClock, FakeServer, job_json, json_reply, result_reply

RESULT = r"/v1/jobs/parse-jobs/job-1/result/"
JOB = r"/v1/jobs/parse-jobs/job-1/"


def test_result_is_returned_as_bytes(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", RESULT, result_reply(b"extracted text"))
    assert client.get_job_result("job-1") == b"extracted text"


def test_default_format_is_not_sent(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", RESULT, result_reply(b"x"))
    client.get_job_result("job-1")
    assert "output_format" not in server.requests[0].url.params


@pytest.mark.parametrize("fmt", ["txt", "md", "json", "html", "zip"])
def test_output_format_is_sent_when_given(
    client: ByteITClient, server: FakeServer, fmt: str
) -> None:
    server.add("GET", RESULT, result_reply(b"x"))
    client.get_job_result("job-1", output_format=fmt)
    assert server.requests[0].url.params["output_format"] == fmt


def test_unknown_output_format_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer
) -> None:
    with pytest.raises(ValidationError, match="'docx'"):
        client.get_job_result("job-1", output_format="docx")
    assert server.requests == []


def test_result_is_written_to_a_file_path(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    server.add("GET", RESULT, result_reply(b"# title", filename="server-name.md"))
    target = tmp_path / "out" / "mine.md"
    written = client.get_job_result("job-1", target)
    assert written == str(target)
    assert target.read_bytes() == b"# title"
    assert not (tmp_path / "out" / "server-name.md").exists()


def test_result_to_a_folder_uses_the_content_disposition_name(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    server.add("GET", RESULT, result_reply(b"body", filename="report.txt"))
    written = client.get_job_result("job-1", tmp_path)
    assert written == str(tmp_path / "report.txt")
    assert Path(written).read_bytes() == b"body"


def test_result_to_a_folder_without_a_name_uses_the_job_id(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    server.add("GET", RESULT, httpx.Response(200, content=b"body"))
    written = client.get_job_result("job-1", tmp_path)
    assert Path(written).parent == tmp_path
    assert Path(written).name.startswith("job-1")
    assert Path(written).read_bytes() == b"body"


def test_server_file_name_cannot_escape_the_folder(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    server.add("GET", RESULT, result_reply(b"body", filename="../../evil.txt"))
    written = client.get_job_result("job-1", folder)
    assert written == str(folder / "evil.txt")
    assert not (tmp_path / "evil.txt").exists()


def test_rfc5987_file_name_is_used(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    """Servers send non-ASCII names only as filename*=UTF-8''..."""
    server.add(
        "GET",
        RESULT,
        httpx.Response(
            200,
            content=b"body",
            headers={"Content-Disposition": "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"},
        ),
    )
    assert client.get_job_result("job-1", tmp_path) == str(tmp_path / "résumé.txt")


def test_not_ready_answer_raises_result_not_ready(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    server.add("GET", RESULT, json_reply({"ready": False, "processing_status": "processing"}))
    with pytest.raises(ResultNotReadyError) as caught:
        client.get_job_result("job-1", tmp_path / "out.txt")
    assert caught.value.job_id == "job-1"
    assert "processing" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_json_result_with_attachment_is_returned_as_bytes(
    client: ByteITClient, server: FakeServer
) -> None:
    body = b'{"ready": false, "pages": [{"text": "hello"}]}'
    server.add(
        "GET",
        RESULT,
        httpx.Response(
            200,
            content=body,
            headers={
                "Content-Type": "application/json",
                "Content-Disposition": 'attachment; filename="report.json"',
            },
        ),
    )
    assert client.get_job_result("job-1", output_format="json") == body


def test_json_result_without_attachment_header_is_still_the_result(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    body = b'{"pages": [{"text": "hello"}]}'
    server.add(
        "GET",
        RESULT,
        httpx.Response(200, content=body, headers={"Content-Type": "application/json"}),
    )
    assert (
        Path(client.get_job_result("job-1", tmp_path / "r.json", output_format="json")).read_bytes()
        == body
    )


def test_large_result_is_written_completely(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    content = bytes(range(256)) * 20_000
    server.add("GET", RESULT, result_reply(content))
    assert Path(client.get_job_result("job-1", tmp_path / "big.bin")).read_bytes() == content


# --- downloads that break ---------------------------------------------------------------


def broken_result(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        headers={"Content-Disposition": 'attachment; filename="report.txt"'},
        stream=BreakingStream(
            b"first half of the result, ", httpx.ReadError("connection reset by peer")
        ),
    )


def test_broken_download_leaves_no_file_when_retries_are_exhausted(
    make_client: Callable[..., ByteITClient], server: FakeServer, tmp_path: Path
) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    server.add("GET", RESULT, broken_result)
    with pytest.raises(NetworkError, match="connection reset"):
        make_client(max_retries=2).get_job_result("job-1", folder)
    assert list(folder.iterdir()) == []
    assert len(server.requests) == 3


def test_broken_download_to_a_file_path_leaves_no_file(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    server.add("GET", RESULT, broken_result)
    with pytest.raises(NetworkError):
        client.get_job_result("job-1", tmp_path / "out.txt")
    assert list(tmp_path.iterdir()) == []


def test_broken_download_then_a_good_retry_writes_the_whole_file(
    client: ByteITClient, server: FakeServer, clock: FakeClock, tmp_path: Path
) -> None:
    server.add(
        "GET",
        RESULT,
        broken_result,
        broken_result,
        result_reply(b"the whole result", filename="report.txt"),
    )
    written = client.get_job_result("job-1", tmp_path)
    assert written == str(tmp_path / "report.txt")
    assert Path(written).read_bytes() == b"the whole result"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
    assert len(clock.sleeps) == 2


def test_broken_download_to_memory_then_a_good_retry_returns_only_the_good_bytes(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", RESULT, broken_result, result_reply(b"clean"))
    assert client.get_job_result("job-1") == b"clean"


def test_failed_download_leaves_an_existing_file_intact(
    make_client: Callable[..., ByteITClient], server: FakeServer, tmp_path: Path
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"yesterday's result")
    server.add("GET", RESULT, broken_result)
    with pytest.raises(NetworkError):
        make_client(max_retries=1).get_job_result("job-1", target)
    assert target.read_bytes() == b"yesterday's result"
    assert list(tmp_path.iterdir()) == [target]


def test_error_answer_leaves_an_existing_file_intact(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"yesterday's result")
    server.add("GET", RESULT, httpx.Response(400, json={"detail": "cannot convert to html"}))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "completed")}))
    with pytest.raises(ValidationError, match="cannot convert to html"):
        client.get_job_result("job-1", target, output_format="html")
    assert target.read_bytes() == b"yesterday's result"
    assert list(tmp_path.iterdir()) == [target]


def test_result_download_is_retried_after_a_503(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", RESULT, httpx.Response(503), result_reply(b"ok"))
    assert client.get_job_result("job-1") == b"ok"


def broken_json(_request: httpx.Request) -> httpx.Response:
    """Headers sent, then the connection lost before the body (a dropped answer)."""
    return httpx.Response(
        200,
        headers={"Content-Type": "application/json"},
        stream=BreakingStream(b"", httpx.ReadError("connection reset by peer")),
    )


def test_an_answer_that_breaks_off_is_sent_again_like_any_network_failure(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", JOB, broken_json, json_reply({"parse_job": job_json()}))
    assert client.get_job("job-1").id == "job-1"
    assert len(server.requests) == 2


def test_an_answer_that_keeps_breaking_off_is_a_network_error(
    make_client: Callable[..., ByteITClient], server: FakeServer
) -> None:
    server.add("GET", JOB, broken_json)
    with pytest.raises(NetworkError, match="connection reset"):
        make_client(max_retries=1).get_job("job-1")
    assert len(server.requests) == 2
