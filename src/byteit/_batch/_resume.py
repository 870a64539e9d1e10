"""Where each document of a batch starts, given what its state file recorded.

Delivered already (its file is still there, or it went to a location): done.
A job recorded: picked up by its id. Announced in a group but no job recorded:
the group goes again exactly as it was, under its key, so a server that made the
jobs answers with them. Anything else, or a group only partly in this batch:
sent anew (new groups, new keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from byteit._batch._items import Item
from byteit._batch._journal import Journal


@attrs.frozen
class Starts:
    """The batch's documents, sorted by where they start."""

    done: list[tuple[Item, Path | str]] = attrs.Factory(list)
    running: list[tuple[Item, str]] = attrs.Factory(list)
    resend: list[tuple[tuple[Item, ...], str]] = attrs.Factory(list)
    new: list[Item] = attrs.Factory(list)


def starting_points(items: Sequence[Item], journal: Journal | None) -> Starts:
    """Where each of `items` (all sendable) starts; with no journal, all are new."""
    starts = Starts()
    waiting: dict[str, list[Item]] = {}
    for item in items:
        record = journal.items.get(item.key) if journal else None
        if record is None:
            starts.new.append(item)
            continue
        item.attempt = record.attempt
        restored = _restored_value(record.done)
        if restored is not None:
            starts.done.append((item, restored))
        elif record.job_id is not None:
            starts.running.append((item, record.job_id))
        elif record.group is not None:
            _rejoin(starts, waiting, item, record.group, record.members)
        else:
            starts.new.append(item)
    for gathered in waiting.values():  # groups only partly here
        starts.new.extend(gathered)
    return starts


def _rejoin(
    starts: Starts,
    waiting: dict[str, list[Item]],
    item: Item,
    group: str,
    members: tuple[str, ...],
) -> None:
    gathered = waiting.setdefault(group, [])
    gathered.append(item)
    if len(gathered) == len(members) and {m.key for m in gathered} == set(members):
        by_key = {member.key: member for member in waiting.pop(group)}
        starts.resend.append((tuple(by_key[key] for key in members), group))


def describe(value: Any) -> dict[str, Any]:
    """How the state file records a delivered result."""
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, str):
        return {"location": value}
    return {"bytes": True}  # kept in memory: a later run downloads it again


def _restored_value(done: dict[str, Any] | None) -> Path | str | None:
    """A delivered result that needs no new download: a file still there, or a location."""
    if not done:
        return None
    if "path" in done:
        path = Path(done["path"])
        return path if path.is_file() else None
    location = done.get("location")
    return location if isinstance(location, str) else None
