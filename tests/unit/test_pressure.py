"""AdaptiveLimit: the depth grows while throughput grows, halves only on a share of
429/503, at most once per window, and never pauses the batch."""

from __future__ import annotations

from byteit import ByteITClient
from byteit._batch._pressure import CEILING, GROWTH, START, AdaptiveLimit


def finish_rounds(limit: AdaptiveLimit, seconds_per_document: list[float]) -> list[int]:
    """Finish documents at the given spacing, on a clock that goes on from the last
    call for the same limit; the depth after each."""
    now = CLOCKS.get(id(limit))
    if now is None:
        now = 0.0
        limit.finished(now)  # starts the first round's clock
    depths = []
    for gap in seconds_per_document:
        now += gap
        limit.finished(now)
        depths.append(limit.value)
    CLOCKS[id(limit)] = now
    return depths


CLOCKS: dict[int, float] = {}


def test_the_depth_starts_at_the_start_below_the_default_ceiling() -> None:
    assert AdaptiveLimit(CEILING).value == START == 16
    assert CEILING > START


def test_a_cap_below_the_start_is_where_the_depth_starts() -> None:
    assert AdaptiveLimit(5).value == 5


def test_the_depth_doubles_after_a_round_faster_than_the_last() -> None:
    limit = AdaptiveLimit(64, start=8)
    depths = finish_rounds(limit, [1.0] * 8)
    assert depths[-1] == 8 * GROWTH == 16  # the first round beats no round


def test_the_depth_holds_once_throughput_stops_growing() -> None:
    limit = AdaptiveLimit(64, start=8)
    finish_rounds(limit, [1.0] * 8)  # 1 document/s: grown to 16
    assert finish_rounds(limit, [1.0] * 40)[-1] == 16  # no faster: held


def test_the_depth_keeps_growing_while_throughput_keeps_growing() -> None:
    limit = AdaptiveLimit(64, start=8)
    finish_rounds(limit, [1.0] * 8)  # grown to 16
    finish_rounds(limit, [0.5] * 16)  # twice as fast: grown again
    assert limit.value == 32


def test_the_depth_never_passes_the_cap() -> None:
    limit = AdaptiveLimit(20, start=16)
    gaps = [2.0**-k for k in range(200)]  # ever faster
    assert max(finish_rounds(limit, gaps)) == 20


def test_a_round_with_many_throttled_answers_does_not_grow() -> None:
    limit = AdaptiveLimit(64, start=8)
    for _ in range(3):
        limit.throttled(now=0.0, retry_after=1.0)
    for _ in range(5):
        limit.answered()
    assert finish_rounds(limit, [1.0] * 8)[-1] == 8


def test_random_429s_and_503s_under_the_overload_share_never_halve() -> None:
    limit = AdaptiveLimit(64, start=16)
    for _ in range(100):  # one answer in five throttled, as with random faults
        limit.throttled(now=0.0, retry_after=1.0)
        for _ in range(4):
            limit.answered()
    assert limit.value == 16


def test_a_single_429_neither_halves_nor_pauses() -> None:
    limit = AdaptiveLimit(8)
    limit.throttled(now=0.0, retry_after=30.0)
    assert limit.value == 8
    assert not hasattr(limit, "not_before")


def test_a_rising_share_of_throttled_answers_halves_once_per_window() -> None:
    limit = AdaptiveLimit(64, start=32)
    for _ in range(39):
        limit.answered()
    for _ in range(16):  # 16 of the last 40 answers: not past 40%
        limit.throttled(now=0.0, retry_after=None)
    assert limit.value == 32
    limit.throttled(now=0.0, retry_after=None)  # 17 of 40: past it
    assert limit.value == 16
    for _ in range(39):
        limit.throttled(now=0.0, retry_after=None)
    assert limit.value == 16  # once: the new window (40 answers) is not full yet
    limit.throttled(now=0.0, retry_after=None)
    assert limit.value == 8


def test_the_depth_never_falls_below_one() -> None:
    limit = AdaptiveLimit(4, start=4)
    for _ in range(500):
        limit.throttled(now=0.0, retry_after=None)
    assert limit.value == 1


def test_after_a_decrease_the_depth_grows_again_when_throughput_does() -> None:
    limit = AdaptiveLimit(64, start=16)
    finish_rounds(limit, [0.1] * 16)  # 10 documents/s: grown to 32
    for _ in range(40):
        limit.throttled(now=CLOCKS[id(limit)], retry_after=None)
    assert limit.value == 16
    finish_rounds(limit, [0.2] * 16)  # slower than before, but the first round since
    assert limit.value == 32


def test_a_clients_own_connection_pool_keeps_the_deepest_default_batch_open() -> None:
    """Fewer kept-alive connections than the depth would open a new one per request."""
    with ByteITClient("bench.key", base_url="http://127.0.0.1:9") as client:
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert pool._max_keepalive_connections > CEILING
