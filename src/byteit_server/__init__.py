"""A local ByteIT-compatible server, speaking ``openapi/byteit.yaml``.

Needs the ``server`` extra (``pip install "byteit[server]"``). The names below
load on first use, so this package (and its pytest plugin) imports without it.

Example:
    >>> from byteit_server import EmbeddedServer
    >>> with EmbeddedServer.temporary() as server:
    ...     print(server.base_url, server.api_key)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .config import DEV_API_KEY, ServerConfig, ServerConfigError
    from .server import EmbeddedServer, add_serve_arguments, config_from_args, serve

__all__ = [
    "DEV_API_KEY",
    "EmbeddedServer",
    "ServerConfig",
    "ServerConfigError",
    "add_serve_arguments",
    "config_from_args",
    "create_app",
    "serve",
]

_HOMES = {
    "DEV_API_KEY": ".config",
    "ServerConfig": ".config",
    "ServerConfigError": ".config",
    "create_app": ".app",
    "EmbeddedServer": ".server",
    "add_serve_arguments": ".server",
    "config_from_args": ".server",
    "serve": ".server",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'byteit_server' has no attribute {name!r}")
    try:
        module = importlib.import_module(home, __name__)
    except ImportError as exc:
        raise ImportError(
            "The local ByteIT server needs the 'server' extra: "
            f'pip install "byteit[server]" (missing: {exc.name})'
        ) from exc
    return getattr(module, name)
