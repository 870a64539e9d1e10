"""The sync client is generated from the async one, and the checked-in copy is current."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "unasync.py"
SYNC_CLIENT = ROOT / "src" / "byteit" / "_clients" / "_sync_client.py"


def _unasync_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("unasync_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_checked_in_sync_client_is_what_the_generator_makes() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_sync_client_never_touches_asyncio() -> None:
    tree = ast.parse(SYNC_CLIENT.read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert "asyncio" not in imported
    assert "byteit._io._sync" in imported
    assert "byteit._io._async" not in imported
    awaits = [n for n in ast.walk(tree) if isinstance(n, (ast.Await, ast.AsyncFunctionDef))]
    assert awaits == []


@pytest.mark.parametrize(
    ("async_source", "sync_source"),
    [
        ("await self._call(x)", "self._call(x)"),
        ("async with entered(m) as v:", "with entered(m) as v:"),
        ("async for chunk in r.aiter_bytes(9):", "for chunk in r.iter_bytes(9):"),
        ("await response.aclose()", "response.close()"),
        ("await clock.asleep(d)", "clock.sleep(d)"),
        ("http: httpx.AsyncClient", "http: httpx.Client"),
        ("contextlib.aclosing(g)", "contextlib.closing(g)"),
        ("from byteit._io._async import send", "from byteit._io._sync import send"),
        ("AsyncByteITClient(", "ByteITClient("),
        ("-> AsyncIterator[T]", "-> Iterator[T]"),
        ("async def __aenter__(self)", "def __enter__(self)"),
        ("asyncio_name = 1", "asyncio_name = 1"),  # whole words only
    ],
)
def test_each_rule_rewrites_whole_words(async_source: str, sync_source: str) -> None:
    generated = _unasync_module().unasync(f'"""doc"""\n{async_source}\n')
    assert generated.splitlines()[-1] == sync_source
