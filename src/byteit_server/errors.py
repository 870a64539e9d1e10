"""Error answers: always JSON ``{"detail": ...}``, always with an ``X-Request-Id``.

:class:`RequestContextMiddleware` is the outermost layer of the app: it gives
every request an id, stamps it on every answer, and turns an unhandled
exception into a 500 that says nothing of the server's internals.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "ApiError",
    "RequestContextMiddleware",
    "api_error_handler",
    "http_error_handler",
    "json_error",
]

logger = logging.getLogger("byteit_server")


class ApiError(Exception):
    """Raised by handlers to answer ``status`` with ``{"detail": detail}``."""

    def __init__(
        self, status: int, detail: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})


def json_error(status: int, detail: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The JSON error answer ``{"detail": detail}`` with ``status``."""
    return JSONResponse({"detail": detail}, status_code=status, headers=dict(headers or {}))


async def api_error_handler(request: Request, exc: Exception) -> Response:
    """Answer an :class:`ApiError` raised by a handler."""
    assert isinstance(exc, ApiError)
    return json_error(exc.status, exc.detail, exc.headers)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Answer Starlette's own errors (unknown path, wrong method) as JSON."""
    assert isinstance(exc, HTTPException)
    if exc.status_code in {204, 304}:
        return Response(status_code=exc.status_code, headers=exc.headers)
    return json_error(exc.status_code, str(exc.detail), exc.headers)


class RequestContextMiddleware:
    """Adds ``X-Request-Id`` to every answer and turns crashes into a JSON 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error in request %s", request_id)
            if started:
                raise
            detail = f"internal server error; quote request id {request_id} when reporting it"
            await json_error(500, detail)(scope, receive, send_with_id)
