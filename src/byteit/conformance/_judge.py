"""Judging one scenario run: the requests the server recorded, the answer, the files left.

Each problem found is a sentence; a scenario passes when there is none.
Expected values match as subsets: a dict names only the keys it cares about,
``"*"`` stands for any value that is present, and ``{between: [low, high]}`` for
a number in that range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

import attrs

from byteit.conformance._adapter import AdapterReply
from byteit.conformance._timing import seconds
from byteit_server.scenario_player import Recorded, path_matches

ANY = "*"
SLACK = 0.02  # seconds of clock granularity forgiven in a spacing bound


@attrs.frozen
class Run:
    """What one scenario run produced."""

    requests: Sequence[Recorded]
    replies: Sequence[AdapterReply]
    files: list[str] | None  # the output folder's names afterwards; None if there is none
    api_key: str
    timing: Mapping[str, Any]


def judge(expect: Mapping[str, Any], run: Run) -> list[str]:
    """Every way `run` falls short of `expect` (empty: it passed)."""
    problems = [f"adapter: {reply.problem}" for reply in run.replies if reply.problem]
    if problems:
        return problems
    problems += _secret_shown(run)
    problems += _outcome(expect["outcome"], run.replies[-1].answer or {})
    if "requests" in expect:
        problems += _requests(expect["requests"], run)
    if "request_counts" in expect:
        problems += _counts(expect["request_counts"], run.requests)
    if "files" in expect:
        problems += _files(expect["files"], run.files)
    return problems


def _secret_shown(run: Run) -> list[str]:
    key = run.api_key
    if not key:
        return []
    shown = any(key in reply.stdout or key in reply.stderr for reply in run.replies)
    return ["the API key appears in the adapter's output or logs"] if shown else []


def _outcome(expected: Mapping[str, Any], answer: Mapping[str, Any]) -> list[str]:
    if "value" in expected:
        if "value" not in answer:
            return [f"expected a value, got {_brief(answer)}"]
        return [f"value: {p}" for p in mismatches(expected["value"], answer["value"])]
    kind = answer.get("error_kind")
    if kind != expected["error_kind"]:
        return [f"expected error {expected['error_kind']}, got {_brief(answer)}"]
    fields = answer.get("fields", {})
    return [f"error fields: {p}" for p in mismatches(expected.get("fields", {}), fields)]


def mismatches(expected: Any, actual: Any, where: str = "") -> list[str]:
    """How `actual` differs from `expected`, read as a subset (see the module docstring)."""
    label = where or "value"
    if expected == ANY:
        return [] if actual is not None else [f"{label} is missing"]
    if isinstance(expected, Mapping):
        if set(expected) == {"between"}:
            return _outside(expected["between"], actual, label)
        if not isinstance(actual, Mapping):
            return [f"{label}: expected an object, got {actual!r}"]
        pairs = [
            (value, actual.get(key), f"{where}.{key}".lstrip("."))
            for key, value in expected.items()
        ]
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{label}: expected {len(expected)} items, got {actual!r}"]
        pairs = [
            (want, got, f"{where}[{i}]")
            for i, (want, got) in enumerate(zip(expected, actual, strict=True))
        ]
    else:
        return [] if expected == actual else [f"{label}: expected {expected!r}, got {actual!r}"]
    return [problem for want, got, at in pairs for problem in mismatches(want, got, at)]


def _outside(bounds: Sequence[float], actual: Any, label: str) -> list[str]:
    low, high = bounds
    inside = isinstance(actual, (int, float)) and low <= actual <= high
    return [] if inside else [f"{label}: expected {low} to {high}, got {actual!r}"]


def _how_many(matcher: Mapping[str, Any]) -> tuple[int, float]:
    """The least and most requests a matcher takes: ``count``, else ``min``..``max``."""
    if "count" in matcher:
        return int(matcher["count"]), int(matcher["count"])
    if "min" not in matcher and "max" not in matcher:
        return 1, 1
    return int(matcher.get("min", 0)), float(matcher.get("max", float("inf")))


def _requests(matchers: Sequence[Mapping[str, Any]], run: Run) -> list[str]:
    sent, problems, same = list(run.requests), [], {}  # type: ignore[var-annotated]
    position = 0
    for number, matcher in enumerate(matchers, 1):
        low, high = _how_many(matcher)
        taken = 0
        while taken < high and position < len(sent) and _is(matcher, sent[position]):
            problems += _check(matcher, sent, position, run, same)
            position, taken = position + 1, taken + 1
        if taken < low:
            label = f"{matcher['method']} {matcher['path']}"
            got = _describe(sent[position]) if position < len(sent) else "no more requests"
            return [
                *problems,
                f"request matcher {number} ({label}): {taken} of at least {low}; next: {got}",
            ]
    if position < len(sent):
        extra = ", ".join(_describe(r) for r in sent[position:][:4])
        problems.append(f"{len(sent) - position} unexpected request(s): {extra}")
    return problems


def _is(matcher: Mapping[str, Any], request: Recorded) -> bool:
    return request.method == matcher["method"] and path_matches(matcher["path"], request.path)


def _check(
    matcher: Mapping[str, Any],
    sent: Sequence[Recorded],
    position: int,
    run: Run,
    same: dict[str, str],
) -> list[str]:
    request, label = sent[position], f"request {position + 1} ({_describe(sent[position])})"
    problems = _headers(matcher, request, run.api_key)
    for name in matcher.get("same_headers", ()):
        value = request.header(name) or ""
        if same.setdefault(name, value) != value:
            problems.append(f"{name} is {value!r}, not the {same[name]!r} sent before")
    for name in matcher.get("distinct_headers", ()):
        new = request.header(name)
        if new is None or any(new == earlier.header(name) for earlier in sent[:position]):
            problems.append(f"{name} must be new, not {new!r}")
    problems += _query(matcher.get("query", {}), request)
    body = request.body.decode("utf-8", "replace")
    problems += [
        f"body lacks {text!r}" for text in matcher.get("body_contains", ()) if text not in body
    ]
    if position > 0:
        problems += _spacing(matcher, request.received - sent[position - 1].answered, run)
    return [f"{label}: {problem}" for problem in problems]


def _spacing(matcher: Mapping[str, Any], gap: float, run: Run) -> list[str]:
    problems = []
    if "gap_at_least" in matcher:
        bound = seconds(matcher["gap_at_least"], run.timing)
        if gap + SLACK < bound:
            problems.append(
                f"sent {gap:.3f} s after the previous answer, sooner than {bound:.3f} s"
            )
    if "gap_at_most" in matcher:
        bound = seconds(matcher["gap_at_most"], run.timing)
        if gap > bound:
            problems.append(f"sent {gap:.3f} s after the previous answer, later than {bound:.3f} s")
    return problems


def _counts(wanted: Sequence[Mapping[str, Any]], sent: Sequence[Recorded]) -> list[str]:
    problems = []
    for want in wanted:
        text = want.get("body_contains")
        found = sum(
            _is(want, r) and (text is None or text in r.body.decode("utf-8", "replace"))
            for r in sent
        )
        low, high = want.get("min", 0), want.get("max", float("inf"))
        if not low <= found <= high:
            what = f"{want['method']} {want['path']}" + (f" with {text!r}" if text else "")
            problems.append(f"{found} request(s) {what}, expected {low} to {high}")
    return problems


def _headers(matcher: Mapping[str, Any], request: Recorded, api_key: str) -> list[str]:
    problems = []
    for name, given in matcher.get("headers", {}).items():
        value, wanted = request.header(name), given.replace("{{api_key}}", api_key)
        if value is None:
            problems.append(f"header {name} is missing")
        elif wanted not in (ANY, value):
            shown, due = _redacted(value, api_key), _redacted(wanted, api_key)
            problems.append(f"header {name} is {shown!r}, not {due!r}")
    problems += [
        f"header {n} must not be sent"
        for n in matcher.get("absent_headers", ())
        if request.header(n) is not None
    ]
    return problems


def _query(wanted: Mapping[str, str], request: Recorded) -> list[str]:
    query = {k: v[-1] for k, v in parse_qs(request.query).items()}
    return [
        f"query {k}={query.get(k)!r}, not {v!r}" for k, v in wanted.items() if query.get(k) != v
    ]


def _files(expected: Sequence[str], files: list[str] | None) -> list[str]:
    found = sorted(files or [])
    return (
        []
        if sorted(expected) == found
        else [f"output folder holds {found}, expected {sorted(expected)}"]
    )


def _redacted(text: str, api_key: str) -> str:
    return text.replace(api_key, "<api key>") if api_key else text


def _describe(request: Recorded) -> str:
    return f"{request.method} {request.path}"


def _brief(answer: Mapping[str, Any]) -> str:
    text = repr(dict(answer))
    return text if len(text) < 300 else text[:299] + "…"
