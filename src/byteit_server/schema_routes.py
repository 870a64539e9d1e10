"""Saved-schema endpoints: create, list, get and delete, by name per caller."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import ApiError
from .listing import list_answer
from .records import SavedSchemaRecord
from .state import owner_of, server_state
from .storage import utc_now
from .validation import read_json_object

__all__ = ["create_schema", "delete_schema", "get_schema", "list_schemas"]

_MAX_NAME_LENGTH = 255


async def create_schema(request: Request) -> Response:
    """``POST /v1/schemas/``: save ``schema_json`` under ``name``; a name in use is a 400."""
    body = await read_json_object(request)
    name, schema_json = body.get("name"), body.get("schema_json")
    if not isinstance(name, str) or not 1 <= len(name) <= _MAX_NAME_LENGTH:
        raise ApiError(400, f"name must be a string of 1 to {_MAX_NAME_LENGTH} characters")
    if not isinstance(schema_json, dict):
        raise ApiError(400, "schema_json must be a JSON Schema object")
    record = SavedSchemaRecord(owner_of(request), name, schema_json, utc_now())
    if not server_state(request).storage.insert_schema(record):
        detail = f"a schema named {name!r} already exists; delete it or pick another name"
        raise ApiError(400, detail)
    return JSONResponse(record.to_api(), status_code=201)


async def list_schemas(request: Request) -> Response:
    """``GET /v1/schemas/``: the caller's schemas, by name."""
    schemas = server_state(request).storage.list_schemas(owner_of(request))
    return list_answer("schemas", "schema", schemas)


async def get_schema(request: Request) -> Response:
    """``GET /v1/schemas/{name}/``: the saved schema itself."""
    name = _name(request)
    record = server_state(request).storage.get_schema(owner_of(request), name)
    if record is None:
        raise ApiError(404, f"no schema named {name!r}")
    return JSONResponse(record.to_api())


async def delete_schema(request: Request) -> Response:
    """``DELETE /v1/schemas/{name}/``: 204, or 404 when there is none."""
    name = _name(request)
    if not server_state(request).storage.delete_schema(owner_of(request), name):
        raise ApiError(404, f"no schema named {name!r}")
    return Response(status_code=204)


def _name(request: Request) -> str:
    # The path arrives percent-decoded, so a name may hold '/' (sent as %2F).
    return str(request.path_params["name"])
