"""Saved schemas: create, list, get, delete, by percent-encoded name."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import httpx
import pytest

SCHEMA = {"type": "object", "properties": {"total": {"type": "number"}}}


def unique(prefix: str = "invoice") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_create_answers_201_with_the_saved_schema(api: httpx.Client) -> None:
    name = unique()
    answer = api.post("/v1/schemas/", json={"name": name, "schema_json": SCHEMA})
    assert answer.status_code == 201
    assert answer.json() == {"name": name, "schema_json": SCHEMA}


def test_duplicate_name_is_a_400(api: httpx.Client) -> None:
    name = unique()
    api.post("/v1/schemas/", json={"name": name, "schema_json": SCHEMA})
    answer = api.post("/v1/schemas/", json={"name": name, "schema_json": {}})
    assert answer.status_code == 400
    assert "already exists" in answer.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"schema_json": SCHEMA},
        {"name": "", "schema_json": SCHEMA},
        {"name": "x"},
        {"name": "x", "schema_json": []},
    ],
)
def test_bad_schema_body_is_a_400(api: httpx.Client, body: dict[str, object]) -> None:
    assert api.post("/v1/schemas/", json=body).status_code == 400


def test_list_get_and_delete_by_encoded_name(api: httpx.Client) -> None:
    name = unique("tax/2024 100%")
    api.post("/v1/schemas/", json={"name": name, "schema_json": SCHEMA})
    listed = api.get("/v1/schemas/").json()
    assert {"name": name, "schema_json": SCHEMA} in listed["schemas"]
    assert listed["count"] == len(listed["schemas"])
    path = f"/v1/schemas/{quote(name, safe='')}/"
    assert api.get(path).json() == {"name": name, "schema_json": SCHEMA}
    deleted = api.delete(path)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert api.get(path).status_code == 404
    assert api.delete(path).status_code == 404


def test_schemas_belong_to_their_owner(byteit_server_factory, connect) -> None:
    server = byteit_server_factory(api_keys=("alice.key", "bob.key"))
    alice, bob = connect(server, "alice.key"), connect(server, "bob.key")
    alice.post("/v1/schemas/", json={"name": "mine", "schema_json": SCHEMA})
    assert bob.get("/v1/schemas/mine/").status_code == 404
    assert bob.post("/v1/schemas/", json={"name": "mine", "schema_json": {}}).status_code == 201
