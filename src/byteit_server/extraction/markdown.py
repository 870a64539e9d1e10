"""Escaping literal text for Markdown, so a document's words never become structure.

A PDF line ``# x`` must stay a line of text, not become a heading, and text
``<img src=x onerror=alert(1)>`` must not reach a Markdown viewer as raw HTML.
Readers that write Markdown themselves (headings, list items, table cells) pass
the literal text through :func:`escape_markdown` before adding their markers.
"""

from __future__ import annotations

import re

# What turns a line into a block: headings, quotes, bullets, table rows, setext
# underlines, and ordered-list numbers ("1." or "1)").
_BLOCK_MARKER = re.compile(r"^([ \t]*)([#>*+\-|=]|\d{1,9}(?=[.)]))")
# Inline: code spans, and anything that opens an HTML tag, comment or entity.
_INLINE = re.compile(r"`|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
_INLINE_ESCAPES = {"`": "\\`", "<": "&lt;", "&": "&amp;"}


def escape_markdown(text: str) -> str:
    """Escape ``text`` so that Markdown renders it literally, line by line.

    Example:
        >>> escape_markdown("# not a heading")
        '\\\\# not a heading'
    """
    return "\n".join(_escape_line(line) for line in text.split("\n"))


def escape_markdown_inline(text: str) -> str:
    """Escape code spans, HTML tags and entities in ``text``, but not line-start markers.

    For text that sits after a marker already (a heading's words, a table cell).
    """
    return _INLINE.sub(lambda match: _INLINE_ESCAPES[match.group()], text)


def _escape_line(line: str) -> str:
    line = escape_markdown_inline(line)
    return _BLOCK_MARKER.sub(_escape_marker, line, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker[0].isdigit():
        # The number stays; the escaped period after it stops the list.
        return indent + marker + "\\"
    return indent + "\\" + marker
