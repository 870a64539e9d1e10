"""Listing custom jobs: newest first, a page at a time, through the ``before`` cursor."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from byteit_server import custom_routes
from byteit_server.records import CustomJobRecord
from byteit_server.storage import Storage

from .test_custom_jobs import create


def list_page(client: httpx.Client, before: str | None = None) -> dict:
    params = {"before": before} if before is not None else {}
    answer = client.get("/v1/jobs/custom-jobs/", params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_the_cursor_pages_through_every_job_newest_first(
    byteit_server_factory, connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(custom_routes, "PAGE_SIZE", 2)
    client = connect(byteit_server_factory())
    created = [create(client, nickname=str(n)).json()["custom_job"]["id"] for n in range(5)]
    seen, before = [], None
    while page := list_page(client, before):
        if not page["custom_jobs"]:
            break
        assert page["count"] == len(page["custom_jobs"]) <= 2
        seen += [job["id"] for job in page["custom_jobs"]]
        before = page["custom_jobs"][-1]["created_at"]
    assert seen == created[::-1]


def test_the_answer_has_a_count_and_a_detail(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory())
    create(client)
    page = list_page(client)
    assert (page["count"], page["detail"]) == (1, "1 custom job")


@pytest.mark.parametrize(
    "before", ["2999-01-01T00:00:00Z", "2999-01-01T01:00:00+01:00", "2999-01-01"]
)
def test_a_cursor_in_the_future_lists_everything(api: httpx.Client, before: str) -> None:
    create(api)
    assert list_page(api, before)["count"] >= 1


def test_a_cursor_in_the_past_lists_nothing(api: httpx.Client) -> None:
    create(api)
    assert list_page(api, "2000-01-01T00:00:00Z")["custom_jobs"] == []


def test_a_cursor_that_is_not_a_time_is_a_400(api: httpx.Client) -> None:
    answer = api.get("/v1/jobs/custom-jobs/", params={"before": "yesterday"})
    assert answer.status_code == 400
    assert "invalid before 'yesterday'" in answer.json()["detail"]


def test_jobs_created_in_the_same_instant_get_distinct_times(tmp_path) -> None:
    storage = Storage(tmp_path)
    stamp = datetime(2024, 3, 15, tzinfo=timezone.utc).isoformat().replace("+00:00", ".000000Z")
    records = [_record(str(n), stamp) for n in range(3)]
    storage.insert_jobs(custom_jobs=records)
    listed = storage.list_custom_jobs("me", before=None, limit=10)
    storage.close()
    assert [job.id for job in listed] == ["2", "1", "0"]
    assert len({job.created_at for job in listed}) == 3


def _record(job_id: str, created_at: str) -> CustomJobRecord:
    return CustomJobRecord(
        id=job_id, owner="me", status="pending", progress=0, message=None, nickname=None,
        extraction_schema=None, user_prompt=None, file_names=[], document_types=[], file_paths=[],
        total_page_count=None, processing_error=None, processing_time_seconds=None,
        credits_cost=None, result_name=None, created_at=created_at, updated_at=created_at,
        started_processing_at=None, finished_processing_at=None,
    )  # fmt: skip
