"""Optional extras, imported only when used, with an error that says how to install them."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, or raise an ImportError naming the ``pip install`` that fixes it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{purpose} needs the '{extra}' extra: pip install \"byteit[{extra}]\" "
            f"(missing: {exc.name or module})"
        ) from exc


def require_server() -> ModuleType:
    return require("byteit_server", "server", "The local ByteIT server")


def require_boto3() -> ModuleType:
    return require("boto3", "s3", "The S3 connectors")


def require_ray() -> tuple[ModuleType, ModuleType]:
    """Ray, and Ray Data."""
    return require("ray", "ray", "byteit.ray"), require("ray.data", "ray", "byteit.ray")


def require_dask() -> ModuleType:
    return require("dask.distributed", "dask", "byteit.dask")
