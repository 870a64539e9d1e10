"""The results of a split document's page-range jobs merged, in page order, into the
result one job on the whole document gives (see `_split`).

Each format is the pages' blocks joined with a separator:
- ``txt`` and ``md``: pages separated by a blank line, one newline at the end
  (Markdown's ``<!-- page N -->`` markers come with each page, numbered by
  the service, which saw the whole document);
- ``json``: an object whose lists (``pages``, ``tables``) run over the pages;
  the rest (``document``: name, page count, title) is the same in every chunk;
- ``html``: one ``<section>`` per page between the document's head and end.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from byteit.exceptions import UnexpectedResponseError

_BODY_START = b"<body>\n"
_BODY_END = b"\n</body>"


def merge_results(output_format: str, parts: Sequence[bytes]) -> bytes:
    """One result from the chunks' results, given in page order.

    Raises:
        UnexpectedResponseError: A chunk's result is not of the form its format has.
    """
    if len(parts) == 1:
        return parts[0]
    return _MERGERS[output_format](parts)


def _text(parts: Sequence[bytes]) -> bytes:
    return b"\n\n".join(part.removesuffix(b"\n") for part in parts) + b"\n"


def _json(parts: Sequence[bytes]) -> bytes:
    try:
        objects: list[dict[str, Any]] = [json.loads(part) for part in parts]
    except ValueError as exc:
        raise UnexpectedResponseError(f"a chunk's json result is not JSON: {exc}") from None
    merged = dict(objects[0])
    for key, value in merged.items():
        if isinstance(value, list):
            merged[key] = [entry for chunk in objects for entry in chunk.get(key, [])]
    return json.dumps(merged, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _html(parts: Sequence[bytes]) -> bytes:
    bodies = []
    for part in parts:
        _head, start, rest = part.partition(_BODY_START)
        body, end, _tail = rest.rpartition(_BODY_END)
        if not (start and end):
            raise UnexpectedResponseError("a chunk's html result has no <body> to merge")
        bodies.append(body)
    head = parts[0].partition(_BODY_START)[0]
    tail = parts[0].rpartition(_BODY_END)[2]
    return head + _BODY_START + b"\n".join(bodies) + _BODY_END + tail


_MERGERS: dict[str, Callable[[Sequence[bytes]], bytes]] = {
    "txt": _text,
    "md": _text,
    "json": _json,
    "html": _html,
}
