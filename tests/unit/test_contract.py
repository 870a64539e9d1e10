"""The wire contract: it agrees with the spec, its rules hold, and it is the
only private client module the server imports."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from byteit._contract import (
    CREATION_FORMATS,
    DOCUMENT_TYPES,
    MEGABYTE,
    OUTPUT_FORMATS,
    RESULT_CONTENT_TYPES,
    TYPE_ALIASES,
    UPLOAD_LIMITS,
    is_loopback,
    normalize_type,
    result_name,
)

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "byteit.yaml"
SERVER = ROOT / "src" / "byteit_server"
ALLOWED_PRIVATE = {"byteit._contract"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def test_output_formats_are_the_specs_result_formats(spec: dict[str, Any]) -> None:
    assert sorted(OUTPUT_FORMATS) == sorted(schema(spec, "ResultFormat")["enum"])


def test_creation_formats_are_the_specs_creation_formats(spec: dict[str, Any]) -> None:
    assert sorted(CREATION_FORMATS) == sorted(schema(spec, "CreationFormat")["enum"])


def test_every_result_format_is_served_as_a_content_type_the_spec_lists(
    spec: dict[str, Any],
) -> None:
    result = spec["paths"]["/v1/jobs/parse-jobs/{job_id}/result/"]["get"]
    listed = set(result["responses"]["200"]["content"])
    assert set(RESULT_CONTENT_TYPES) == set(OUTPUT_FORMATS)
    assert set(RESULT_CONTENT_TYPES.values()) <= listed


def test_the_file_count_limit_is_the_specs(spec: dict[str, Any]) -> None:
    files = schema(spec, "CreateParseJobForm")["properties"]["files"]
    assert files["maxItems"] == UPLOAD_LIMITS.max_files


def test_the_size_limits_are_the_ones_the_spec_states(spec: dict[str, Any]) -> None:
    create = spec["paths"]["/v1/jobs/parse-jobs/"]["post"]["description"]
    too_large = spec["components"]["responses"]["PayloadTooLarge"]["description"]
    in_create = re.search(r"up to (\d+) repeated `files` parts \((\d+) MB each,\s+(\d+) MB", create)
    in_413 = re.search(r"\((\d+) MB a file, (\d+) MB a request\)", too_large)
    assert in_create, "the spec no longer states the limits where this test reads them"
    assert in_413, "the spec no longer states the size limits in its 413 answer"
    limits = (UPLOAD_LIMITS.max_file_bytes, UPLOAD_LIMITS.max_request_bytes)
    assert int(in_create.group(1)) == UPLOAD_LIMITS.max_files
    assert tuple(int(n) * MEGABYTE for n in in_create.group(2, 3)) == limits
    assert tuple(int(n) * MEGABYTE for n in in_413.group(1, 2)) == limits


def test_the_result_name_follows_the_specs_example(spec: dict[str, Any]) -> None:
    described = spec["info"]["description"]
    rule = re.search(r"`<path><original file name>\.<format>`,\s+e\.g\.\s+`([^`]+)`", described)
    assert rule is not None, "the spec no longer gives an example of the result name"
    folder, _, name = rule.group(1).rpartition("/")
    original, _, output_format = name.rpartition(".")
    assert f"{folder}/{result_name(original, 'job-1', output_format)}" == rule.group(1)


def test_every_plain_http_server_in_the_spec_is_loopback(spec: dict[str, Any]) -> None:
    urls = [urlsplit(server["url"]) for server in spec["servers"]]
    plain = [url.hostname or "" for url in urls if url.scheme == "http"]
    assert plain, "the spec lists no local server"
    assert all(is_loopback(host) for host in plain)
    assert not any(is_loopback(url.hostname or "") for url in urls if url.scheme == "https")


def test_every_alias_names_an_accepted_type_and_hides_none() -> None:
    assert set(TYPE_ALIASES.values()) <= set(DOCUMENT_TYPES)
    assert not set(TYPE_ALIASES) & set(DOCUMENT_TYPES)


@pytest.mark.parametrize(
    ("spelling", "kind"),
    [(".PDF", "pdf"), (" docx ", "docx"), ("htm", "html"), (".TIF", "tiff"),
     ("markdown", "md"), (".text", "txt")],
)  # fmt: skip
def test_normalize_type_reads_extensions_and_aliases(spelling: str, kind: str) -> None:
    assert normalize_type(spelling) == kind


@pytest.mark.parametrize(("given", "shown"), [(".exe", "'.exe'"), ("", "'(no extension)'")])
def test_an_unknown_type_is_refused_naming_it_and_the_accepted_ones(given: str, shown: str) -> None:
    with pytest.raises(ValueError, match=rf"type {re.escape(shown)}; ByteIT accepts: bmp, docx"):
        normalize_type(given)


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd", "passwd.txt"),
        ("a/b\\c:d.pdf", "b_c_d.pdf.txt"),
        ("..", "job-7.txt"),
        (".hidden.pdf", "hidden.pdf.txt"),
        ("Quarterly Report.pdf", "Quarterly Report.pdf.txt"),
        (None, "job-7.txt"),
    ],
)
def test_result_name_is_a_safe_plain_name(original: str | None, expected: str) -> None:
    assert result_name(original, "job-7", "txt") == expected


@pytest.mark.parametrize(
    "host", ["localhost", "LocalHost", "127.0.0.1", "127.8.9.10", "::1", "[::1]"]
)
def test_loopback_hosts_are_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", ["byteit.ai", "0.0.0.0", "10.0.0.1", "::", "localhost.example", ""]
)
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def private_client_imports(source: str) -> list[str]:
    """The private ``byteit`` modules ``source`` imports, but the contract."""
    imported: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.append(node.module)
            if node.module == "byteit":  # `from byteit import _http` names a module too
                imported += [f"byteit.{alias.name}" for alias in node.names]
    return [name for name in imported if _is_private(name) and name not in ALLOWED_PRIVATE]


def _is_private(module: str) -> bool:
    first, *rest = module.split(".")
    return first == "byteit" and any(part.startswith("_") for part in rest)


def test_private_client_imports_finds_every_form_of_import() -> None:
    source = (
        "import byteit._batch\nfrom byteit._http._settings import is_loopback\n"
        "from byteit import _jobs, models\nfrom byteit._contract import MEGABYTE\n"
        "from byteit.exceptions import ByteITError\nfrom .config import MEGABYTE\n"
        "def f():\n    from byteit._checks import check_job_id\n"
    )
    assert private_client_imports(source) == [
        "byteit._batch",
        "byteit._http._settings",
        "byteit._jobs",
        "byteit._checks",
    ]


def test_the_server_imports_no_private_client_module_but_the_contract() -> None:
    found = {
        f"{path.relative_to(SERVER)}: {name}"
        for path in sorted(SERVER.rglob("*.py"))
        for name in private_client_imports(path.read_text(encoding="utf-8"))
    }
    assert found == set(), "import these facts from byteit._contract instead"
