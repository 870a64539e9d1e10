"""Turning an HTTP failure into the right `ByteITError`, at one boundary."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import httpx

from byteit._secret import Secret
from byteit.exceptions import (
    APIKeyError,
    AuthenticationError,
    ByteITError,
    NetworkError,
    RateLimitError,
    ResourceNotFoundError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from byteit.retry import parse_retry_after

_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_MAX_DETAIL = 300

_KINDS: dict[int, tuple[type[ByteITError], str]] = {
    400: (ValidationError, "The request was refused as invalid"),
    401: (
        AuthenticationError,
        "The API key was rejected; check BYTEIT_API_KEY or api_key",
    ),
    403: (APIKeyError, "The API key is not allowed to do this"),
    404: (ResourceNotFoundError, "Not found"),
    413: (ValidationError, "The upload is too large (200 MB a file, 250 MB a request)"),
    429: (RateLimitError, "Rate limited by the server; slow down or retry later"),
}


def error_from_response(
    response: httpx.Response, body: bytes, *, operation: str, secret: Secret
) -> ByteITError:
    """The error for a failed answer to `operation` (e.g. ``GET job abc``).

    `secret` (the API key) is scrubbed from anything the server echoed back.
    """
    status = response.status_code
    parsed, detail = _read_body(body, response.headers.get("content-type", ""))
    kind, summary = _classify(status)
    message = f"{summary} (HTTP {status} on {operation})"
    if detail:
        message += f": {detail}"
    message = secret.scrub(message)
    fields: dict[str, Any] = {
        "status_code": status,
        "body": _scrub(parsed, secret),
        "request_id": request_id(response.headers),
    }
    if kind is RateLimitError:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=None)
        return RateLimitError(message, retry_after=retry_after, **fields)
    return kind(message, **fields)


def error_from_transport(
    exc: httpx.TransportError, *, operation: str, secret: Secret
) -> NetworkError:
    """The error for a request that failed before a full answer arrived."""
    reason = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    detail = _scrub(str(exc) or type(exc).__name__, secret)
    return NetworkError(
        f"The connection {reason} during {operation}: {detail}. "
        "Check the network and base_url, then try again."
    )


def request_id(headers: httpx.Headers) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None


def _classify(status: int) -> tuple[type[ByteITError], str]:
    if status in _KINDS:
        return _KINDS[status]
    if status >= 500:
        return ServerError, "The server failed; it may be busy, try again later"
    if 400 <= status < 500:
        return ValidationError, "The request was refused"
    return UnexpectedResponseError, "The server gave an answer the API does not define"


def _read_body(body: bytes, content_type: str) -> tuple[Any, str]:
    text = body.decode("utf-8", errors="replace").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        return text or None, _describe_text(text, content_type)
    if isinstance(parsed, dict):
        for key in ("detail", "error", "message"):
            if parsed.get(key):
                return parsed, _shorten(_flatten(parsed[key]))
    return parsed, _shorten(text)


def _describe_text(text: str, content_type: str) -> str:
    if "html" in content_type or text.lstrip().lower().startswith(("<!doctype", "<html")):
        title = _TITLE.search(text)
        words = title.group(1) if title else _TAG.sub(" ", text)
        summary = _shorten(html.unescape(" ".join(words.split())))
        return f"the server (or a proxy in front of it) answered with an HTML page: {summary!r}"
    return _shorten(text)


def _flatten(detail: Any) -> str:
    if isinstance(detail, str):
        return detail
    return json.dumps(detail, ensure_ascii=False)


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _scrub(value: Any, secret: Secret) -> Any:
    if isinstance(value, str):
        return secret.scrub(value)
    if isinstance(value, dict):
        return {_scrub(k, secret): _scrub(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, secret) for v in value]
    return value
