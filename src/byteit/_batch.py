"""Running one action over many inputs: bounded concurrency, results in input order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import attrs

from byteit.exceptions import BatchError, ByteITError

T = TypeVar("T")
In = TypeVar("In")


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


def run_in_threads(
    items: Sequence[In], action: Callable[[In], T], max_workers: int
) -> list[ItemResult[T]]:
    """Apply `action` to every item, at most `max_workers` at a time; one result each."""

    def attempt(index: int, item: In) -> ItemResult[T]:
        try:
            return ItemResult(index, item, value=action(item))
        except ByteITError as exc:
            return ItemResult(index, item, error=exc)

    if len(items) == 1 or max_workers == 1:
        return [attempt(i, item) for i, item in enumerate(items)]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items))) as pool:
        futures = [pool.submit(attempt, i, item) for i, item in enumerate(items)]
        return [future.result() for future in futures]


def values_or_raise(results: Sequence[ItemResult[T]], what: str) -> list[T]:
    """Every value in input order, or a `BatchError` holding every result."""
    failures = [r for r in results if not r.ok]
    if failures:
        first = failures[0]
        raise BatchError(
            f"{len(failures)} of {len(results)} {what} failed; first, item {first.index}: "
            f"{first.error}",
            results=results,
        )
    return [r.value for r in results]  # type: ignore[misc]


async def run_in_tasks(
    items: Sequence[In], action: Callable[[In], Awaitable[T]], max_workers: int
) -> list[ItemResult[T]]:
    """The async `run_in_threads`: at most `max_workers` actions awaited at once."""
    gate = asyncio.Semaphore(max_workers)

    async def attempt(index: int, item: In) -> ItemResult[T]:
        async with gate:
            try:
                return ItemResult(index, item, value=await action(item))
            except ByteITError as exc:
                return ItemResult(index, item, error=exc)

    return list(await asyncio.gather(*(attempt(i, item) for i, item in enumerate(items))))
