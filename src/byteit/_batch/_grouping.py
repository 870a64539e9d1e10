"""Which documents of a batch travel together in one creation request.

The service takes several documents per request as repeated ``files`` parts,
within the upload limits of the wire contract (`byteit._contract`). Documents
go together when they share every form field (options, output, nickname), have
distinct file names (the answer is matched back to them by name) and can be
uploaded again if a retry needs it.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Sequence
from typing import Protocol, TypeVar

from byteit._contract import UploadLimits
from byteit._jobs._create import CreateRequest
from byteit._jobs._limits import request_bytes

# The limits a batch groups within: the contract's by default; a batch may be
# given tighter ones.
GroupLimits = UploadLimits


class Groupable(Protocol):
    @property
    def request(self) -> CreateRequest | None: ...

    @property
    def size(self) -> int | None: ...


G = TypeVar("G", bound=Groupable)


def can_share(item: Groupable, limits: GroupLimits) -> bool:
    """Whether `item` may travel with others: an upload of known size that can restart."""
    request = item.request
    if request is None or item.size is None or item.size > limits.max_file_bytes:
        return False
    return request.fields.input_connector == "localfile" and request.source.replayable


def take_group(
    pending: deque[G], room: int, limits: GroupLimits, *, together: bool = True
) -> list[G]:
    """Take the next group from the front of `pending`: its first item, and (when
    `together`) the compatible items after it, up to `room` documents in all."""
    first = pending.popleft()
    group = [first]
    if not together or room < 2 or not can_share(first, limits):
        return group
    names = {_name(first)}
    sizes = [first.size or 0]
    passed: list[G] = []
    scanned = 0
    while pending and len(group) < min(room, limits.max_files) and scanned < 4 * limits.max_files:
        candidate = pending.popleft()
        scanned += 1
        size = candidate.size or 0
        if _fits(candidate, first, names, request_bytes([*sizes, size]), limits):
            group.append(candidate)
            names.add(_name(candidate))
            sizes.append(size)
        else:
            passed.append(candidate)
    pending.extendleft(reversed(passed))
    return group


def _fits(
    candidate: Groupable, first: Groupable, names: set[str], total: int, limits: GroupLimits
) -> bool:
    # `total`: the request's bytes on the wire with the candidate, part headers and form counted.
    return (
        can_share(candidate, limits)
        and _name(candidate) not in names
        and _request(candidate).fields == _request(first).fields
        and total <= limits.max_request_bytes
    )


def _request(item: Groupable) -> CreateRequest:
    assert item.request is not None  # only items with a request are grouped
    return item.request


def _name(item: Groupable) -> str:
    return _request(item).source.name


def group_key(run: str, members: Sequence[tuple[str, int]]) -> str:
    """The idempotency key of a group: the run, and each member's key and attempt.

    Sending the same documents again in the same run gives the same key, so the
    server can recognise the request; any other group gets another key.
    """
    digest = hashlib.sha256(run.encode())
    for key, attempt in members:
        digest.update(f"|{key}#{attempt}".encode())
    return f"byteit-batch-{digest.hexdigest()[:40]}"
