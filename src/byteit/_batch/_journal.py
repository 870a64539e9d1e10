"""A batch's state file: an append-only journal that survives ``kill -9``.

Each record is one JSON line, written with a single ``os.write`` on an
``O_APPEND`` descriptor before the step it announces goes on. A kill at any
moment leaves every earlier line intact and at most a torn last line, which the
next run drops. What each record promises:

- ``submit``: these documents are being created together under this
  idempotency key; a run that finds no ``job`` after it sends the same group
  with the same key again, so a server that honours keys creates nothing twice.
- ``job``: the document's job exists; a later run picks it up by id.
- ``done``: the result was delivered (to a path, to a location, or as bytes
  that a later run downloads again without a new job).
- ``failed``: the job itself failed; a later run tries once more, with a new key.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

import attrs

from byteit.exceptions import ValidationError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, runs are not guarded against each other
    fcntl = None  # type: ignore[assignment]

FORMAT = 1


@attrs.define
class ItemRecord:
    """What the journal knows of one document."""

    job_id: str | None = None
    group: str | None = None
    members: tuple[str, ...] = ()
    done: dict[str, Any] | None = None
    attempt: int = 0


class Journal:
    """The state file of one batch; see the module docstring for what it records."""

    def __init__(self, path: Path, fd: int, run: str, items: dict[str, ItemRecord]) -> None:
        self.path = path
        self.run = run
        self.items = items
        self._fd = fd

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r}, items={len(self.items)})"

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Journal:
        """Open (or start) a state file, taking its lock.

        Raises:
            ValidationError: The file is not a byteit state file, or another run holds it.
        """
        target = Path(path)
        fd = _open_locked(target)
        try:
            lines = _read_whole_lines(fd)
            if not lines:
                run = secrets.token_hex(8)
                os.write(fd, _line({"byteit_batch": FORMAT, "run": run}))
                return cls(target, fd, run, {})
            run, items = _fold(target, lines)
            return cls(target, fd, run, items)
        except BaseException:
            os.close(fd)
            raise

    def record(self, *entries: dict[str, Any]) -> None:
        """Append records in one write (a group of them lands whole or torn last)."""
        if entries:
            os.write(self._fd, b"".join(_line(entry) for entry in entries))

    def submitted(self, group: str, members: list[str]) -> None:
        self.record({"e": "submit", "group": group, "items": members})

    def created(self, pairs: list[tuple[str, str]]) -> None:
        self.record(*({"e": "job", "item": item, "job": job} for item, job in pairs))

    def done(self, item: str, job_id: str, value: dict[str, Any]) -> None:
        self.record({"e": "done", "item": item, "job": job_id, "value": value})

    def failed(self, item: str, job_id: str, error: str) -> None:
        self.record({"e": "failed", "item": item, "job": job_id, "error": error[:500]})

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.fsync(self._fd)
        os.close(self._fd)


def _line(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, separators=(",", ":")).encode() + b"\n"


def _open_locked(path: Path) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise ValidationError(f"{path}: cannot open the state file: {exc.strerror}") from None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise ValidationError(
                f"{path}: another batch is running with this state file; wait for it to "
                "finish or give a different state_file"
            ) from None
    return fd


def _read_whole_lines(fd: int) -> list[bytes]:
    """The file's complete lines; a torn last line (a kill mid-write) is cut off."""
    with os.fdopen(os.dup(fd), "rb") as reader:
        data = reader.read()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) != len(data):
        os.ftruncate(fd, len(whole))
    return whole.splitlines()


def _fold(path: Path, lines: list[bytes]) -> tuple[str, dict[str, ItemRecord]]:
    try:
        header = json.loads(lines[0])
    except ValueError:
        header = None
    if (
        not isinstance(header, dict)
        or header.get("byteit_batch") != FORMAT
        or not isinstance(header.get("run"), str)
    ):
        raise ValidationError(
            f"{path}: not a byteit batch state file; give a new path or remove this file"
        )
    items: dict[str, ItemRecord] = {}
    for raw in lines[1:]:
        try:
            _apply(items, _decode(path, raw))
        except (KeyError, TypeError):
            raise ValidationError(
                f"{path}: the state file is damaged (a record lacks a field)"
            ) from None
    return header["run"], items


def _decode(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(raw)
    except ValueError:
        entry = None
    if not isinstance(entry, dict):
        raise ValidationError(f"{path}: the state file is damaged (a line is not a JSON object)")
    return entry


def _apply(items: dict[str, ItemRecord], entry: dict[str, Any]) -> None:
    kind = entry.get("e")
    if kind == "submit":
        members = tuple(entry.get("items", ()))
        for key in members:
            record = items.setdefault(key, ItemRecord())
            record.group, record.members = entry["group"], members
        return
    record = items.setdefault(str(entry.get("item")), ItemRecord())
    if kind == "job":
        record.job_id, record.group, record.members = entry["job"], None, ()
    elif kind == "done":
        record.job_id, record.done = entry["job"], entry["value"]
    elif kind == "failed":
        record.attempt += 1
        record.job_id, record.done, record.group, record.members = None, None, None, ()
