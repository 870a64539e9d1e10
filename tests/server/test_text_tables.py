"""Tables written in text: tab-separated blocks and Markdown pipe tables."""

from __future__ import annotations

from byteit_server.text_tables import text_tables


def test_pipe_tables_drop_the_separator_row_and_unescape_pipes() -> None:
    text = "| Name | Note |\n|:---|---:|\n| Ada | a \\| b |\n\nafter"
    assert text_tables(text) == [[["Name", "Note"], ["Ada", "a | b"]]]


def test_tab_blocks_are_tables_and_each_block_is_its_own() -> None:
    text = "A\tB\n1\t2\n\nC\tD\n3\t4\nplain"
    assert text_tables(text) == [[["A", "B"], ["1", "2"]], [["C", "D"], ["3", "4"]]]


def test_a_single_row_or_a_lone_tab_is_no_table() -> None:
    assert text_tables("A\tB\nplain\nx\t\nonly\t") == []
