"""Where the client's API key and base URL come from, checked before any request."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import attrs

from byteit._contract import is_loopback
from byteit._secret import Secret
from byteit.exceptions import APIKeyError, ValidationError

DEFAULT_BASE_URL = "https://byteit.ai"
API_KEY_ENV = "BYTEIT_API_KEY"
BASE_URL_ENV = "BYTEIT_BASE_URL"

# `<id>.<secret>`, printable and free of white space (it travels in a header).
_KEY_SHAPE = re.compile(r"^[\x21-\x7e]+\.[\x21-\x7e]+$")


@attrs.frozen(repr=False)
class Settings:
    """A checked API key and base URL. Its repr never shows the key."""

    api_key: Secret
    base_url: str

    def __repr__(self) -> str:
        return f"Settings(base_url={self.base_url!r}, api_key='***')"


def resolve_settings(api_key: str | Secret | None, base_url: str | None) -> Settings:
    """Resolve the key (argument, else ``BYTEIT_API_KEY``) and URL (argument, else
    ``BYTEIT_BASE_URL``, else https://byteit.ai), refusing bad values."""
    key = Secret.of(api_key if api_key is not None else os.environ.get(API_KEY_ENV))
    url = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return Settings(api_key=check_api_key(key), base_url=check_base_url(url))


def check_api_key(key: Secret | None) -> Secret:
    if not key:
        raise APIKeyError(
            f"No API key: pass api_key=... or set the {API_KEY_ENV} environment variable. "
            "For a local server, `byteit serve` prints its development key."
        )
    if not isinstance(key.reveal(), str):
        raise APIKeyError(f"The API key must be a string, not {type(key.reveal()).__name__}")
    if not _KEY_SHAPE.fullmatch(key.reveal()):
        raise APIKeyError(
            "The API key is malformed: ByteIT keys look like '<id>.<secret>' with no spaces. "
            "Copy it again from your ByteIT account."
        )
    return key


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"base_url {url!r} is not an http(s) URL such as 'https://byteit.ai'")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(
            f"Refusing to send the API key over plain http to {parts.hostname}: use https, "
            "or a loopback address (127.0.0.1, localhost, ::1) for a local server."
        )
    return url.rstrip("/")
