"""Fixtures for the extraction tests: the sample documents, written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from byteit_server.samples import make_samples


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample documents by file name (invoice.pdf, report.docx, ...)."""
    paths = make_samples(tmp_path_factory.mktemp("samples"))
    return {path.name: path for path in paths}
