"""parse_page_range: the API's page-range syntax."""

from __future__ import annotations

import pytest

from byteit_server.extraction import parse_page_range


@pytest.mark.parametrize("spec", [None, "", "   "])
def test_blank_means_all_pages(spec: str | None) -> None:
    assert parse_page_range(spec) is None


@pytest.mark.parametrize(
    ("spec", "pages"),
    [
        ("1-5", [1, 2, 3, 4, 5]),
        ("1,3,5-7", [1, 3, 5, 6, 7]),
        (" 2 - 3 , 1 ", [1, 2, 3]),
        ("4,4,2-4", [2, 3, 4]),
        ("7", [7]),
    ],
)
def test_valid_specs_give_sorted_distinct_pages(spec: str, pages: list[int]) -> None:
    assert parse_page_range(spec) == pages


def test_pages_beyond_page_count_are_dropped() -> None:
    assert parse_page_range("2-10,12", page_count=4) == [2, 3, 4]


def test_range_entirely_beyond_page_count_is_empty() -> None:
    assert parse_page_range("9-10", page_count=3) == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("5-1", "runs backwards; write it as 1-5"),
        ("a", "expected page numbers"),
        ("0", "page numbers run from 1"),
        ("1-", "expected page numbers"),
        ("1,,2", "expected page numbers"),
        ("-3", "expected page numbers"),
        ("1.5", "expected page numbers"),
        ("²", "expected page numbers"),
        ("1-999999999", "page numbers run from 1 to 100000"),
    ],
)
def test_bad_specs_raise_value_error_naming_the_spec(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_page_range(spec)
    assert repr(spec) in str(caught.value)
