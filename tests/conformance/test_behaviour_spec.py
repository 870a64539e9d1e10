"""docs/client-behaviour.md and the scenario files name the same rules and scenarios."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from byteit.conformance._scenarios import load_suite

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "client-behaviour.md"
RULE = re.compile(r"^### ([A-Z]+-\d+) ", re.MULTILINE)


def spec_rules() -> dict[str, set[str]]:
    """Each rule of the spec and the scenarios its "Scenarios:" line names."""
    text = SPEC.read_text(encoding="utf-8")
    heads = list(RULE.finditer(text))
    rules = {}
    for head, after in zip(heads, [*heads[1:], None], strict=True):
        section = text[head.end() : after.start() if after else len(text)]
        line = next(ln for ln in section.splitlines() if ln.startswith("Scenarios:"))
        rules[head.group(1)] = set(re.findall(r"`([a-z0-9-]+)`", line))
    return rules


def scenario_rules() -> dict[str, set[str]]:
    rules: dict[str, set[str]] = {}
    for scenario in load_suite(ROOT / "conformance"):
        for rule in scenario.rules:
            rules.setdefault(rule, set()).add(scenario.id)
    return rules


def test_every_rule_has_a_scenario_and_the_spec_names_them_all() -> None:
    assert spec_rules() == scenario_rules()


def test_the_suite_is_at_least_forty_scenarios() -> None:
    assert len(load_suite(ROOT / "conformance")) >= 40


def test_the_scenario_schema_is_a_valid_json_schema() -> None:
    schema = json.loads((ROOT / "conformance" / "scenario.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
