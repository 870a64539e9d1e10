"""The public API: what `byteit` exports is exactly what the README documents, named by
its public path, and still pickles and resolves its type hints."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import traceback
import typing
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import attrs
import pydantic
import pytest

import byteit
import byteit.connectors
import byteit.exceptions
import byteit.models
import byteit.options
import byteit.polling
import byteit.retry

README = Path(__file__).resolve().parents[2] / "README.md"
_NAME = re.compile(r"^\s*[-*]\s+`([A-Za-z_][A-Za-z0-9_]*)`")
T = TypeVar("T")


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


# Public-named classes that byteit deliberately does not export, and why.
INTERNAL = {
    "PollTimer": "the polling of one job; the clients make it from a PollSchedule",
    "RetryState": "the retry bookkeeping of one call; the clients make it via RetryPolicy.start",
    "RetryBudget": "the batch engine's shared retry reserve; no public call accepts one",
    "ResultSink": "what an OutputConnector.sink returns; connector authors get it from "
    "byteit.connectors",
}
PUBLIC_MODULES = (byteit.models, byteit.exceptions, byteit.options, byteit.polling, byteit.retry)


def public_classes(module: ModuleType) -> set[str]:
    """The non-underscore classes `module` defines (exported ones now say ``byteit``)."""
    homes = {module.__name__, "byteit"}
    return {
        name
        for name, obj in vars(module).items()
        if isinstance(obj, type) and not name.startswith("_") and obj.__module__ in homes
    }


def exported_objects() -> list[Any]:
    return [getattr(byteit, name) for name in byteit.__all__ if name != "__version__"]


def test_all_is_sorted() -> None:
    assert byteit.__all__ == sorted(byteit.__all__)


def test_public_classes_finder_sees_exported_and_unexported_classes() -> None:
    found = public_classes(byteit.polling)
    assert found == {"PollSchedule", "PollTimer"}


def test_every_public_class_is_exported() -> None:
    connectors = {
        name
        for name in byteit.connectors.__all__
        if isinstance(getattr(byteit.connectors, name), type)
    }
    public = connectors.union(*(public_classes(module) for module in PUBLIC_MODULES))
    assert sorted(public - set(byteit.__all__) - INTERNAL.keys()) == []


def test_the_internal_list_is_not_stale() -> None:
    """An INTERNAL entry that was renamed, removed or exported is stale."""
    public = public_classes(byteit.polling) | public_classes(byteit.retry)
    public |= set(byteit.connectors.__all__)
    assert INTERNAL.keys() <= public
    assert INTERNAL.keys().isdisjoint(byteit.__all__)


@pytest.mark.parametrize("name", [name for name in byteit.__all__ if name != "__version__"])
def test_exported_objects_show_the_public_path(name: str) -> None:
    obj = getattr(byteit, name)
    assert (obj.__module__, obj.__qualname__) == ("byteit", name)


def test_a_class_repr_shows_the_public_path() -> None:
    assert repr(byteit.Job) == "<class 'byteit.Job'>"


def test_a_traceback_names_the_public_exception_path() -> None:
    error = byteit.ValidationError("page_range 'x' is not valid")
    shown = traceback.format_exception_only(type(error), error)
    assert shown == ["byteit.ValidationError: page_range 'x' is not valid\n"]


def test_reprs_of_models_and_exceptions_use_the_bare_class_name() -> None:
    assert repr(byteit.JobMetadata(page_count=2)).startswith("JobMetadata(original_filename=None")
    assert repr(byteit.RateLimitError("slow down", status_code=429)) == (
        "RateLimitError('slow down', status_code=429)"
    )


def round_trip(value: T) -> T:
    restored: T = pickle.loads(pickle.dumps(value))
    assert type(restored) is type(value)
    return restored


@pytest.mark.parametrize(
    "error",
    [
        byteit.ValidationError("bad", status_code=400, body={"detail": "bad"}, request_id="r-1"),
        byteit.RateLimitError("slow down", retry_after=2.5, status_code=429, request_id="r-2"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_an_exception_with_fields_pickles(error: byteit.ByteITError) -> None:
    restored = round_trip(error)
    assert restored.args == error.args
    assert vars(restored) == vars(error)


@pytest.mark.parametrize(
    "error",
    [
        byteit.JobProcessingError("failed", job_id="j-1", processing_error="bad scan"),
        byteit.JobTimeoutError("too slow", job_id="j-1", waited=60.0),
        byteit.BatchError("1 of 1 failed", results=[]),
        byteit.ExtractionValidationError("bad data", raw={"a": 1}, job_id="x-1", errors=[]),
        byteit.BudgetExceededError("over budget", max_credits=5.0, spent=5.5),
    ],
    ids=lambda error: type(error).__name__,
)
def test_an_exception_with_required_fields_pickles(error: byteit.ByteITError) -> None:
    restored = round_trip(error)
    assert vars(restored) == vars(error)


def test_a_job_pickles() -> None:
    job = byteit.Job(
        id="j-1",
        processing_status="completed",
        created_at=datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc),
        processing_options={"languages": ["en"]},
        metadata=byteit.JobMetadata(original_filename="a.pdf", page_count=3),
        extra={"queue": "fast"},
    )
    assert round_trip(job) == job


def test_processing_options_pickle() -> None:
    options = byteit.ProcessingOptions(
        output_format="md", languages=["eng", "de"], page_range="1-3"
    )
    assert round_trip(options) == options


def test_processing_options_validate_serialize_and_copy() -> None:
    options = byteit.ProcessingOptions.model_validate({"languages": ["eng"], "page_range": "1, 3"})
    assert (options.languages, options.page_range) == (["en"], "1,3")
    assert byteit.ProcessingOptions.model_validate_json(options.model_dump_json()) == options
    assert options.model_copy(update={"output_format": "md"}).output_format == "md"
    with pytest.raises(byteit.ValidationError, match="unknown option 'colour'"):
        byteit.ProcessingOptions.coerce({"colour": "red"})


def test_processing_options_rebuild_and_subclass_still_resolve_their_fields() -> None:
    byteit.ProcessingOptions.model_rebuild(force=True)
    assert byteit.ProcessingOptions(languages=["deu"]).languages == ["de"]

    class Strict(byteit.ProcessingOptions):
        note: str = ""

    with pytest.raises(pydantic.ValidationError):
        Strict(output_format="pdf")
    assert Strict(note="x", languages=["eng"]).languages == ["en"]


@pytest.mark.parametrize(
    "method",
    [byteit.ByteITClient.process_document, byteit.AsyncByteITClient.process_document],
    ids=["sync", "async"],
)
def test_client_method_type_hints_resolve(method: Any) -> None:
    hints = typing.get_type_hints(method)
    assert hints["output_connector"] == byteit.OutputConnector | None
    assert byteit.ProcessingOptions in typing.get_args(hints["processing_options"])


MODELS = [
    obj
    for obj in exported_objects()
    if attrs.has(obj) or (isinstance(obj, type) and issubclass(obj, pydantic.BaseModel))
]


def test_the_dataclass_like_models_are_found() -> None:
    expected = {"BatchStats", "ItemResult", "Job", "JobList", "JobMetadata", "JobStatus"}
    expected |= {"PollSchedule", "ProcessingOptions", "RetryPolicy"}
    expected |= {"CustomJob", "ExtractJob", "Extraction", "SavedSchema"}
    assert {model.__name__ for model in MODELS} == expected


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_model_type_hints_resolve_to_every_field(model: Any) -> None:
    hints = typing.get_type_hints(model)
    fields = attrs.fields_dict(model) if attrs.has(model) else model.model_fields
    assert fields.keys() <= hints.keys()
    assert not any(isinstance(hint, (str, typing.ForwardRef)) for hint in hints.values())


def test_model_type_hints_are_the_real_types() -> None:
    assert typing.get_type_hints(byteit.Job)["created_at"] == datetime | None
    assert typing.get_type_hints(byteit.Job)["metadata"] == byteit.JobMetadata | None
    assert typing.get_type_hints(byteit.JobList)["jobs"] == list[byteit.Job]
    attrs.resolve_types(byteit.Job)
    assert attrs.fields(byteit.Job).created_at.type == datetime | None


# --- loaded on first use ----------------------------------------------------------------

HEAVY = ("pydantic", "byteit_api", "byteit._batch._scheduler", "byteit._clients._async_client")


def in_fresh_interpreter(statement: str, shown: str) -> set[str]:
    """The words of ``str(shown)`` after a fresh interpreter has run `statement`."""
    script = f"import sys\n{statement}\nprint(' '.join({shown}))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def test_import_byteit_loads_no_heavy_module() -> None:
    assert in_fresh_interpreter("import byteit", "sys.modules").isdisjoint(HEAVY)


def test_an_exported_name_loads_its_module_on_first_access() -> None:
    loaded = in_fresh_interpreter("import byteit\nbyteit.BatchStats", "sys.modules")
    assert "byteit._batch._scheduler" in loaded
    assert "byteit._clients._async_client" not in loaded


def test_dir_lists_every_exported_name_before_it_is_loaded() -> None:
    assert set(byteit.__all__) <= in_fresh_interpreter("import byteit", "dir(byteit)")


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'byteit' has no attribute 'Nope'"):
        byteit.Nope  # type: ignore[attr-defined]  # noqa: B018


def test_the_public_modules_are_attributes_of_byteit() -> None:
    assert byteit.options is sys.modules["byteit.options"]
