"""Extraction results and errors survive JSON storage and process-pool pickling."""

from __future__ import annotations

import json
import pickle

import pytest

from byteit_server.extraction import (
    Extraction,
    ExtractionError,
    Page,
    Table,
    UnsupportedFormatError,
)

FULL = Extraction(
    pages=[Page(2, "text", "# text"), Page(3, "more")],
    tables=[Table(2, [["a", "b"], ["c"]])],
    page_count=5,
    language="de",
    encoding="utf-16",
    title="Titel",
)


def test_to_dict_is_json_and_from_dict_restores_it() -> None:
    stored = json.dumps(FULL.to_dict())

    assert Extraction.from_dict(json.loads(stored)) == FULL


def test_from_dict_accepts_a_minimal_dict() -> None:
    restored = Extraction.from_dict({"pages": [{"page_number": 1, "text": "x"}], "page_count": 1})

    assert restored == Extraction(pages=[Page(1, "x")], page_count=1)


def test_extraction_pickles() -> None:
    assert pickle.loads(pickle.dumps(FULL)) == FULL


@pytest.mark.parametrize("error_type", [ExtractionError, UnsupportedFormatError])
def test_errors_pickle_with_their_type_and_message(error_type: type[ExtractionError]) -> None:
    restored = pickle.loads(pickle.dumps(error_type("the PDF is encrypted: remove it")))

    assert type(restored) is error_type
    assert (restored.message, str(restored)) == ("the PDF is encrypted: remove it",) * 2


def test_unsupported_format_is_an_extraction_error() -> None:
    assert issubclass(UnsupportedFormatError, ExtractionError)
