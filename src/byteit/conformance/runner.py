"""``byteit conformance run``: every scenario against one client, and a table of rules.

For each scenario a fresh scenario server plays the script on 127.0.0.1, the
client's adapter is run once per step (with the scaled timing and a workdir of
its own), and the recorded requests, the answer and the files left are judged.
A scenario whose adapter answers ``{"unsupported": ...}`` is skipped.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import shlex
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from byteit.conformance._adapter import AdapterReply, call_adapter
from byteit.conformance._judge import Run, judge
from byteit.conformance._options import add_arguments
from byteit.conformance._scenarios import (
    FORMAT_VERSION,
    Scenario,
    ScenarioFileError,
    Step,
    load_suite,
)
from byteit.conformance._timing import timing_for
from byteit_server.scenario_player import ScenarioServer

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
OUTPUT_FOLDER = "out"
# The key handed to clients: well-formed, and unlike anything else in a log, so that the
# judge can find it wherever it leaks.
API_KEY = "cnf7.conformance-secret-3f9a"


@attrs.frozen
class Verdict:
    scenario: Scenario
    status: str
    problems: list[str]
    seconds: float


def run_command(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run the suite as `args` say; 0 when nothing failed, 1 otherwise, 2 for a bad suite."""
    try:
        scenarios = load_suite(args.suite, args.files)
    except ScenarioFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.only:
        scenarios = [s for s in scenarios if s.id in set(args.only)]
    command = shlex.split(args.client) if args.client else default_client()
    print(f"scenario format_version {FORMAT_VERSION}; client: {shlex.join(command)}", file=out)
    started = time.monotonic()
    verdicts = []

    def play(scenario: Scenario) -> Verdict:
        return run_scenario(scenario, command, scale=args.scale, limit=args.adapter_timeout)

    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for verdict in pool.map(play, scenarios):
            _print_verdict(verdict, out)
            verdicts.append(verdict)
    print_table(verdicts, out)
    counts = {s: sum(v.status == s for v in verdicts) for s in (PASSED, FAILED, SKIPPED)}
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    print(f"{len(verdicts)} scenarios: {summary} in {elapsed:.1f} s", file=out)
    return 1 if counts[FAILED] else 0


def default_client() -> list[str]:
    return [sys.executable, "-m", "byteit.conformance.python_adapter"]


@attrs.frozen
class Session:
    """What every adapter call of one scenario shares (see the adapter protocol)."""

    base_url: str
    api_key: str
    timing: dict[str, Any]
    workdir: str

    def request(self, step: Step) -> dict[str, Any]:
        return {
            "operation": step.operation,
            "arguments": dict(step.arguments),
            "base_url": self.base_url,
            "api_key": self.api_key,
            "timing": self.timing,
            "workdir": self.workdir,
            "output_dir": str(Path(self.workdir) / OUTPUT_FOLDER),
        }


def run_scenario(
    scenario: Scenario, command: Sequence[str], *, scale: float, limit: float
) -> Verdict:
    """Play one scenario against the adapter `command`, each call at most `limit` seconds."""
    started = time.monotonic()
    api_key = API_KEY if scenario.api_key is None else scenario.api_key
    timing = timing_for(scenario.timing, scale)
    with tempfile.TemporaryDirectory(prefix="byteit-conformance-") as workdir:
        server = ScenarioServer(scenario.server, api_key=api_key)
        with server:  # leaving it waits for the requests under way: all are recorded
            base_url = f"http://{scenario.base_url_host or '127.0.0.1'}:{server.port}"
            session = Session(base_url, api_key, timing, workdir)
            replies = _play_steps(scenario, session, server, command, limit)
        out = Path(workdir) / OUTPUT_FOLDER
        files = sorted(p.name for p in out.iterdir()) if out.is_dir() else None
        requests = sorted(server.requests, key=lambda r: r.received)
        run = Run(requests, replies, files, api_key, timing)
    elapsed = time.monotonic() - started
    last = replies[-1]
    if last.unsupported and last.answer is not None:
        return Verdict(scenario, SKIPPED, [str(last.answer["unsupported"])], elapsed)
    problems = judge(scenario.expect, run)
    return Verdict(scenario, FAILED if problems else PASSED, problems, elapsed)


def _play_steps(
    scenario: Scenario,
    session: Session,
    server: ScenarioServer,
    command: Sequence[str],
    limit: float,
) -> list[AdapterReply]:
    """Each step's adapter call in turn, stopping at one that fails or is unsupported."""
    replies: list[AdapterReply] = []
    for number, step in enumerate(scenario.steps, 1):
        server.step = number
        reply = call_adapter(command, session.request(step), limit)
        replies.append(reply)
        if reply.problem or reply.unsupported:
            break
    return replies


def serve_command(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Play one scenario's script until Ctrl-C, for a client's author to debug against:
    print what an adapter would be given, then each request the server saw."""
    try:
        found = [s for s in load_suite(args.suite) if s.id == args.scenario]
    except ScenarioFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not found:
        print(f"error: no scenario {args.scenario!r} in {args.suite}", file=sys.stderr)
        return 2
    scenario = found[0]
    api_key = API_KEY if scenario.api_key is None else scenario.api_key
    with tempfile.TemporaryDirectory(prefix="byteit-conformance-") as workdir:
        server = ScenarioServer(scenario.server, api_key=api_key)
        with server:
            base_url = f"http://{scenario.base_url_host or '127.0.0.1'}:{server.port}"
            session = Session(base_url, api_key, timing_for(scenario.timing, args.scale), workdir)
            for step in scenario.steps:
                print(json.dumps(session.request(step)), file=out, flush=True)
            print("serving; Ctrl-C to stop", file=sys.stderr)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
        for request in sorted(server.requests, key=lambda r: r.received):
            print(f"{request.method} {request.path} {request.query}".rstrip(), file=out)
    return 0


def _print_verdict(verdict: Verdict, out: TextIO) -> None:
    mark = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP"}[verdict.status]
    rules = ",".join(verdict.scenario.rules)
    print(f"{mark} {verdict.scenario.id} [{rules}] {verdict.seconds:.2f} s", file=out)
    for problem in verdict.problems:
        print(f"     - {problem}", file=out)


def rule_statuses(verdicts: Sequence[Verdict]) -> dict[str, str]:
    """Each rule's status: failed if any of its scenarios failed, passed if one passed."""
    seen: dict[str, set[str]] = {}
    for verdict in verdicts:
        for rule in verdict.scenario.rules:
            seen.setdefault(rule, set()).add(verdict.status)
    order = (FAILED, PASSED, SKIPPED)
    return {
        rule: next(s for s in order if s in got)
        for rule, got in sorted(seen.items(), key=_rule_key)
    }


def print_table(verdicts: Sequence[Verdict], out: TextIO) -> None:
    statuses = rule_statuses(verdicts)
    print("\nrule        status   scenarios (passed/failed/skipped)", file=out)
    for rule, status in statuses.items():
        mine = [v for v in verdicts if rule in v.scenario.rules]
        counts = "/".join(str(sum(v.status == s for v in mine)) for s in (PASSED, FAILED, SKIPPED))
        print(f"{rule:<11} {status:<8} {counts}", file=out)


def _rule_key(item: tuple[str, Any]) -> tuple[str, int]:
    area, _, number = item[0].partition("-")
    return area, int(number)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="byteit conformance run", description=__doc__)
    add_arguments(parser)
    return run_command(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
