"""Running a client's adapter: one JSON line in on stdin, one JSON line out on stdout.

An adapter that crashes, hangs past its time limit or prints no JSON object is
a failed call, reported with what it did print; the runner carries on.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

_SHOWN = 400  # characters of an adapter's stderr quoted in a failure


@attrs.frozen
class AdapterReply:
    """What an adapter answered: its JSON object, or why there is none (`problem`)."""

    answer: Mapping[str, Any] | None
    problem: str | None
    stdout: str
    stderr: str

    @property
    def unsupported(self) -> bool:
        return self.answer is not None and "unsupported" in self.answer


def call_adapter(command: Sequence[str], request: Mapping[str, Any], limit: float) -> AdapterReply:
    """Run `command` once with `request` on stdin; at most `limit` seconds.

    The adapter runs in a session of its own, so that a hung one is killed with
    whatever it started (a shell's child would otherwise hold the pipes open).
    """
    line = json.dumps(request) + "\n"
    try:
        process = subprocess.Popen(  # noqa: S603  (the command is the runner's user's own)
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except OSError as exc:
        return AdapterReply(None, f"could not start {shlex.join(command)}: {exc}", "", "")
    try:
        stdout, stderr = process.communicate(line, timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_session(process)
        stdout, stderr = process.communicate()
        return AdapterReply(None, f"no answer within {limit:g} s", stdout, stderr)
    return _read_reply(process.returncode, stdout, stderr)


def _kill_session(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _read_reply(returncode: int, stdout: str, stderr: str) -> AdapterReply:
    last = next((ln for ln in reversed(stdout.splitlines()) if ln.strip()), "")
    try:
        answer = json.loads(last)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not ({"value", "error_kind", "unsupported"} & answer.keys()):
        tail = stderr.strip()[-_SHOWN:]
        problem = (
            f"printed no answer object (exit status {returncode}); stderr: {tail or '(empty)'}"
        )
        return AdapterReply(None, problem, stdout, stderr)
    return AdapterReply(answer, None, stdout, stderr)
