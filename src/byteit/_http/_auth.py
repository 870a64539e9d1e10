"""The API key, attached to each request and never shown."""

from __future__ import annotations

from collections.abc import Generator

import httpx

from byteit._log import register_secret
from byteit._secret import Secret

HEADER = "X-API-Key"


class APIKeyAuth(httpx.Auth):
    """Sends the key in ``X-API-Key``. Its repr hides the key, and so do logs:
    it lives in no client-wide header that a debug dump could print, and byteit's
    loggers redact it from anything they are handed."""

    def __init__(self, api_key: str | Secret) -> None:
        self._api_key = Secret(api_key) if isinstance(api_key, str) else api_key
        register_secret(self._api_key.reveal())

    def __repr__(self) -> str:
        return "APIKeyAuth('***')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[HEADER] = self._api_key.reveal()
        yield request
