"""The README's pytest-plugin example, as written there, runs."""

from __future__ import annotations

from pathlib import Path

from byteit import ByteITClient


def test_extracts(byteit_client: ByteITClient, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    assert byteit_client.process_document(tmp_path / "a.txt") == b"hello\n"
