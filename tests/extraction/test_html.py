"""HTML extraction with BeautifulSoup and markdownify."""

from __future__ import annotations

from pathlib import Path

from byteit_server.extraction import Table, extract_document


def _html(tmp_path: Path, body: str, head: str = "") -> Path:
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return path


def test_sample_page_gives_text_markdown_table_and_title(samples: dict[str, Path]) -> None:
    extraction = extract_document(samples["prices.html"], "html")
    page = extraction.pages[0]

    assert page.text.startswith("Price list\n\nPrices in EUR, valid from 2024-01-01.")
    assert page.markdown is not None
    assert page.markdown.startswith("# Price list\n\nPrices in **EUR**")
    assert "| Widget | 3 | 10.00 |" in page.markdown
    assert extraction.tables[0].rows[0] == ["Item", "Quantity", "Price"]
    assert (extraction.title, extraction.language, extraction.encoding) == (
        "Price list",
        "en",
        "utf-8",
    )


def test_scripts_styles_and_comments_are_dropped(tmp_path: Path) -> None:
    path = _html(
        tmp_path,
        "<p>kept</p><script>var x = 1;</script><!-- hidden --><noscript>no</noscript>",
        head="<style>p { color: red }</style>",
    )

    extraction = extract_document(path, "html")

    assert extraction.pages[0].text == "kept"
    assert "var x" not in (extraction.pages[0].markdown or "")


def test_source_line_breaks_collapse_and_blocks_break(tmp_path: Path) -> None:
    path = _html(
        tmp_path,
        "<p>one\n   two <b>bold</b>\n</p><div>three<br>four</div><pre>a\n  b</pre>",
    )

    assert extract_document(path, "html").pages[0].text == "one two bold\n\nthree\nfour\n\na\n  b"


def test_nested_tables_are_reported_separately(tmp_path: Path) -> None:
    path = _html(
        tmp_path,
        "<table><tr><td>outer</td><td><table><tr><td>inner</td></tr></table></td></tr></table>",
    )

    tables = extract_document(path, "html").tables

    assert tables == [Table(1, [["outer", "inner"]]), Table(1, [["inner"]])]


def test_meta_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "latin.html"
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>café</p></body></html>'
    path.write_bytes(html.encode("iso-8859-1"))

    extraction = extract_document(path, "htm")

    assert extraction.pages[0].text == "café"
    assert extraction.encoding == "iso-8859-1"


def test_fragment_without_body_still_extracts(tmp_path: Path) -> None:
    path = tmp_path / "fragment.html"
    path.write_text("<h2>Only</h2> a fragment", encoding="utf-8")

    extraction = extract_document(path, "html")

    assert extraction.pages[0].text == "Only\n\na fragment"
    assert extraction.title is None
