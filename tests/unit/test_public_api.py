"""The public API: what `byteit` exports is exactly what the README documents."""

from __future__ import annotations

import re
from pathlib import Path

import byteit

README = Path(__file__).resolve().parents[2] / "README.md"
_NAME = re.compile(r"^\s*[-*]\s+`([A-Za-z_][A-Za-z0-9_]*)`")


def documented_names(text: str) -> set[str] | None:
    """The names listed as ``- `Name` `` under ``## Public API``, or None without that section."""
    match = re.search(r"^## Public API[ \t]*$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if match is None:
        return None
    return {m.group(1) for line in match.group(1).splitlines() if (m := _NAME.match(line))}


def test_every_exported_name_exists() -> None:
    missing = [name for name in byteit.__all__ if not hasattr(byteit, name)]
    assert missing == []


def test_exports_have_no_duplicates() -> None:
    assert len(byteit.__all__) == len(set(byteit.__all__))


def test_documented_names_parser_reads_a_public_api_section() -> None:
    text = (
        "# x\n\n## Public API\n\n- `ByteITClient`: the client\n* `Job`\n"
        "text `Nope`\n\n## Next\n- `Other`\n"
    )
    assert documented_names(text) == {"ByteITClient", "Job"}
    assert documented_names("# x\n## Usage\n- `A`\n") is None


def test_all_matches_the_readme_public_api_section() -> None:
    assert README.exists(), f"{README} is missing"
    documented = documented_names(README.read_text(encoding="utf-8"))
    assert documented is not None, (
        f"{README.name} has no '## Public API' section listing the exported names as "
        "'- `Name`' lines; add one that matches byteit.__all__"
    )
    exported = set(byteit.__all__)
    assert documented == exported, (
        f"README documents but byteit does not export: {sorted(documented - exported)}; "
        f"byteit exports but README does not document: {sorted(exported - documented)}"
    )


def test_version_is_a_string() -> None:
    assert isinstance(byteit.__version__, str)
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", byteit.__version__)
