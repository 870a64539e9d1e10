"""The sample-document generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from byteit_server.samples import main, make_samples


def test_samples_are_written_in_a_fixed_order(tmp_path: Path) -> None:
    paths = make_samples(tmp_path / "new")

    assert [p.name for p in paths] == [
        "invoice.pdf",
        "report.docx",
        "prices.html",
        "scan.png",
        "notes.txt",
        "readme.md",
    ]
    assert all(p.stat().st_size > 0 for p in paths)


def test_samples_are_byte_for_byte_reproducible(tmp_path: Path, samples: dict[str, Path]) -> None:
    again = {p.name: p.read_bytes() for p in make_samples(tmp_path)}

    assert again == {name: path.read_bytes() for name, path in samples.items()}


def test_main_writes_samples_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path)]) == 0

    assert capsys.readouterr().out.splitlines()[0] == str(tmp_path / "invoice.pdf")


def test_main_without_a_folder_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2

    assert "usage: python -m byteit_server.samples OUT_DIR" in capsys.readouterr().err
