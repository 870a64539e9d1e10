"""A secret (an API key, an AWS secret key) held so that nothing shows it by accident.

Its repr and str are ``'***'``, so a traceback that captures frame locals, a
debugger or a log line that formats it shows nothing; it refuses to be pickled;
and it knows how to scrub itself from text a server or a library echoed back.
Only `reveal` gives the value, at the one place that sends it.
"""

from __future__ import annotations

import hmac
from typing import Any, NoReturn

REDACTED = "***"


class Secret:
    """A string that never shows itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    @classmethod
    def of(cls, value: str | Secret | None) -> Secret | None:
        """`value` as a `Secret` (None stays None)."""
        if value is None or isinstance(value, Secret):
            return value
        return cls(value)

    def reveal(self) -> str:
        """The value itself: only where it is sent."""
        return self._value

    def scrub(self, text: str) -> str:
        """`text` with every occurrence of the secret replaced by ``***``."""
        return text.replace(self._value, REDACTED) if self._value else text

    def appears_in(self, text: str) -> bool:
        return bool(self._value) and self._value in text

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled: pass the key again where it is needed")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self
