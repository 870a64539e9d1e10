"""One result per batch item, and turning a batch's results into values or a `BatchError`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import attrs

from byteit.exceptions import BatchError

T = TypeVar("T")


@attrs.frozen
class ItemResult(Generic[T]):
    """The outcome of one batch item: its value, or the error it met.

    Attributes:
        index: The item's position in the input.
        input: The item as given.
        value: The result when it succeeded.
        error: The error when it failed.
    """

    index: int
    input: Any
    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def raise_for_failures(results: Sequence[ItemResult[Any]], what: str) -> None:
    """A `BatchError` holding every result (in input order), if any item failed."""
    failures = [r for r in results if not r.ok]
    if failures:
        first = failures[0]
        raise BatchError(
            f"{len(failures)} of {len(results)} {what} failed; first, item {first.index} "
            f"({first.input}): {first.error}",
            results=results,
        )


def values_or_raise(results: Sequence[ItemResult[T]], what: str) -> list[T]:
    """Every value in input order, or a `BatchError` holding every result."""
    raise_for_failures(results, what)
    return [r.value for r in results]  # type: ignore[misc]
