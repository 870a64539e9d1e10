"""The batch progress bar: done, failed, in flight and the rate, drawn on a terminal only."""

from __future__ import annotations

import io

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
