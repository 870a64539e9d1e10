"""The batch progress bar: done, failed, in flight and the rate, drawn on a terminal only."""

from __future__ import annotations

import io
import itertools
import re

import pytest

from byteit._batch._progress import ProgressReporter
from byteit._batch._scheduler import BatchStats


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_done_failed_in_flight_and_rate_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    seen: list[BatchStats] = []
    reporter = ProgressReporter(4, callback=seen.append, bar=True)
    reporter.report(BatchStats(4, 0, 0, 2, 0.1))
    reporter.report(BatchStats(4, 0, 0, 2, 0.2))  # unchanged counts: not reported again
    reporter.report(BatchStats(4, 3, 1, 0, 2.0))
    reporter.close()
    drawn = screen.getvalue()
    assert "done=3" in drawn
    assert "failed=1" in drawn
    assert "in_flight=0" in drawn
    assert "doc/s" in drawn
    assert [(s.done, s.failed, s.in_flight) for s in seen] == [(0, 0, 2), (3, 1, 0)]


def test_no_bar_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr("sys.stderr", screen)
    reporter = ProgressReporter(2, callback=None, bar=True)
    reporter.report(BatchStats(2, 2, 0, 0, 1.0))
    reporter.close()
    assert screen.getvalue() == ""


def test_every_frame_shows_the_position_its_counts_add_up_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bar's position is done + failed in every frame drawn, never one behind."""
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    ticks = itertools.count()
    monkeypatch.setattr("tqdm.std.time", lambda: float(next(ticks)))  # every update draws
    reporter = ProgressReporter(60, callback=None, bar=True)
    for finished in range(60):
        failed = finished // 10
        reporter.report(BatchStats(60, finished - failed, failed, 4, finished / 10))
        reporter.report(BatchStats(60, finished + 1 - failed, failed, 3, finished / 10))
    reporter.close()
    frames = [_position_and_counts(frame) for frame in screen.getvalue().split("\r")]
    drawn = [frame for frame in frames if frame is not None]
    assert len(drawn) > 60
    assert all(position == done + failed for position, done, failed in drawn), drawn
    assert drawn[-1] == (60, 55, 5)


def _position_and_counts(frame: str) -> tuple[int, int, int] | None:
    found = re.search(r" (\d+)/60 \[.*done=(\d+), failed=(\d+)", frame)
    return None if found is None else (int(found[1]), int(found[2]), int(found[3]))
