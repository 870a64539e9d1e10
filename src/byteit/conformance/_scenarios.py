"""Scenario files: read (YAML or JSON), checked against ``scenario.schema.json``, unpacked.

A file that breaks the schema is refused whole, with its path and the first
schema error: a half-read suite would pass rules it never tested.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import yaml

SCHEMA_FILE = "scenario.schema.json"
SCENARIO_DIR = "scenarios"
FORMAT_VERSION = 1


class ScenarioFileError(Exception):
    """A scenario file that cannot be used: unreadable, or against the schema."""


@attrs.frozen
class Step:
    operation: str
    arguments: Mapping[str, Any]


@attrs.frozen
class Scenario:
    """One scenario: the server's script, the client's call(s), the expectations."""

    id: str
    rules: tuple[str, ...]
    steps: tuple[Step, ...]
    server: Sequence[Mapping[str, Any]]
    expect: Mapping[str, Any]
    timing: Mapping[str, float]
    source: Path
    description: str = ""
    api_key: str | None = None
    base_url_host: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any], source: Path) -> Scenario:
        if "steps" in data:
            steps = tuple(Step(s["operation"], s.get("arguments", {})) for s in data["steps"])
        else:
            steps = (Step(data["operation"], data.get("arguments", {})),)
        return cls(
            id=data["id"],
            rules=tuple(data["rules"]),
            steps=steps,
            server=data["server"],
            expect=data["expect"],
            timing=data.get("timing", {}),
            source=source,
            description=data.get("description", ""),
            api_key=data.get("api_key"),
            base_url_host=data.get("base_url_host"),
        )


def load_schema(suite: Path) -> dict[str, Any]:
    path = suite / SCHEMA_FILE
    try:
        schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioFileError(f"{path}: cannot read the scenario schema: {exc}") from None
    return schema


def load_file(path: Path, schema: Mapping[str, Any]) -> list[Scenario]:
    """The scenarios of one file, or a `ScenarioFileError` naming the file and what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioFileError(f"{path}: cannot be read: {exc}") from None
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(data)
    )
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise ScenarioFileError(f"{path}: at {where}: {error.message}")
    return [Scenario.from_data(item, path) for item in data["scenarios"]]


def load_suite(suite: Path, files: Sequence[Path] = ()) -> list[Scenario]:
    """Every scenario of `suite`'s ``scenarios/`` folder (or of `files`), ids unique."""
    schema = load_schema(suite)
    paths = list(files) or sorted((suite / SCENARIO_DIR).glob("*.y*ml"))
    if not paths:
        raise ScenarioFileError(f"{suite / SCENARIO_DIR}: no scenario files (*.yaml)")
    scenarios = [scenario for path in paths for scenario in load_file(path, schema)]
    seen: dict[str, Path] = {}
    for scenario in scenarios:
        if scenario.id in seen:
            other = seen[scenario.id]
            raise ScenarioFileError(
                f"{scenario.source}: scenario id {scenario.id!r} is also in {other}"
            )
        seen[scenario.id] = scenario.source
    return scenarios
