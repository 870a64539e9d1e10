"""What the split_pages end-to-end tests need in the server's worker processes.

The functions are module-level so that the spawned extraction workers can import them.
"""

from __future__ import annotations

from pathlib import Path

from byteit_server.engine import ExtractionSummary, ExtractionTask, extract_to_file

FLAKY_RANGE = "4-6"


def fail_pages_4_to_6_once(task: ExtractionTask) -> ExtractionSummary:
    """Extract as the server does, but fail the first job on pages 4-6 of any document."""
    marker = Path(task.result_dir).parent / "pages-4-6-failed-once"
    if task.page_range == FLAKY_RANGE and not marker.exists():
        from byteit_server.extraction import ExtractionError  # noqa: PLC0415 (in the worker)

        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        raise ExtractionError("simulated failure of pages 4-6")
    return extract_to_file(task)
