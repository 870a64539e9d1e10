"""Running one action over many inputs: bounded concurrency, results in input order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import attrs

from byteit.exceptions import BatchError, ByteITError

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


def run_in_threads(
    inputs: Sequence[Any], action: Callable[[int], T], max_workers: int
) -> list[ItemResult[T]]:
    """`action(index)` for every input, at most `max_workers` at a time; one result each,
    in input order, holding the input as the caller gave it."""

    def attempt(index: int) -> ItemResult[T]:
        try:
            return ItemResult(index, inputs[index], value=action(index))
        except ByteITError as exc:
            return ItemResult(index, inputs[index], error=exc)

    if len(inputs) == 1 or max_workers == 1:
        return [attempt(i) for i in range(len(inputs))]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(inputs))) as pool:
        return list(pool.map(attempt, range(len(inputs))))


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
    inputs: Sequence[Any], action: Callable[[int], Awaitable[T]], max_workers: int
) -> list[ItemResult[T]]:
    """The async `run_in_threads`: at most `max_workers` actions awaited at once."""
    gate = asyncio.Semaphore(max_workers)

    async def attempt(index: int) -> ItemResult[T]:
        async with gate:
            try:
                return ItemResult(index, inputs[index], value=await action(index))
            except ByteITError as exc:
                return ItemResult(index, inputs[index], error=exc)

    return list(await asyncio.gather(*(attempt(i) for i in range(len(inputs)))))
