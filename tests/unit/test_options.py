"""Processing options: every rule, checked before any request."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from byteit import ByteITClient, ProcessingOptions, ValidationError

from .conftest import FakeServer, multipart, serve_documents


def coerce(**options: Any) -> ProcessingOptions:
    return ProcessingOptions.coerce(options)


@pytest.mark.parametrize("fmt", ["txt", "md", "json", "html", "zip"])
def test_known_output_formats_are_accepted(fmt: str) -> None:
    assert coerce(output_format=fmt).output_format == fmt


@pytest.mark.parametrize("fmt", ["pdf", "TXT", "", "markdown"])
def test_unknown_output_format_is_refused(fmt: str) -> None:
    with pytest.raises(ValidationError, match="output_format"):
        coerce(output_format=fmt)


def test_defaults_are_txt_english_all_pages_auto() -> None:
    options = ProcessingOptions()
    assert (options.output_format, options.languages, options.page_range, options.parse_type) == (
        "txt",
        ["en"],
        "",
        "auto",
    )


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        (["en"], ["en"]),
        (["eng"], ["en"]),
        (["deu", "fra"], ["de", "fr"]),
        (["EN", " de "], ["en", "de"]),
        (["en", "eng", "de", "deu"], ["en", "de"]),
        (["chi_sim", "chi_tra"], ["zh"]),
    ],
)
def test_languages_map_to_deduplicated_two_letter_codes(given: list[str], sent: list[str]) -> None:
    assert coerce(languages=given).languages == sent


@pytest.mark.parametrize("code", ["xx", "english", "klingon"])
def test_unknown_language_is_refused_by_name(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        coerce(languages=["en", code])
    assert repr(code) in str(caught.value)


def test_empty_language_list_is_refused() -> None:
    with pytest.raises(ValidationError, match="languages"):
        coerce(languages=[])


@pytest.mark.parametrize(
    ("given", "kept"),
    [("1-5", "1-5"), ("1,3,5-10", "1,3,5-10"), ("", ""), (" 1 - 3 ", "1-3"), ("7", "7")],
)
def test_valid_page_ranges_are_accepted_and_compacted(given: str, kept: str) -> None:
    assert coerce(page_range=given).page_range == kept


@pytest.mark.parametrize("bad", ["5-1", "0", "a", "1-", "-3", "1,,2", "1-2-3", "0-4"])
def test_invalid_page_range_is_refused_by_value(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        coerce(page_range=bad)
    assert "page_range" in str(caught.value)
    assert repr(bad) in str(caught.value)


@pytest.mark.parametrize("parse_type", ["auto", "complex", "handwritten"])
def test_known_parse_types_are_accepted(parse_type: str) -> None:
    assert coerce(parse_type=parse_type).parse_type == parse_type


def test_unknown_parse_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="parse_type"):
        coerce(parse_type="fast")


def test_force_image_annotations_implies_image_annotations() -> None:
    options = coerce(force_image_annotations=True)
    assert options.image_annotations is True
    assert json.loads(options.to_wire())["image_annotations"] is True


def test_image_annotations_default_off() -> None:
    assert coerce().image_annotations is False


@pytest.mark.parametrize("model", ["tesseractocr", "easyocr"])
def test_known_ocr_models_are_accepted(model: str) -> None:
    assert coerce(ocr_model=model).ocr_model == model


def test_unknown_ocr_model_is_refused() -> None:
    with pytest.raises(ValidationError, match="ocr_model"):
        coerce(ocr_model="paddle")


def test_unknown_key_is_refused_naming_it_and_listing_allowed_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        coerce(langauges=["en"])
    message = str(caught.value)
    assert "'langauges'" in message
    for allowed in ("languages", "page_range", "parse_type", "output_format", "ocr_model"):
        assert allowed in message


def test_options_that_are_not_a_mapping_are_refused() -> None:
    with pytest.raises(ValidationError, match="processing_options"):
        ProcessingOptions.coerce(["en"])  # type: ignore[arg-type]


def test_options_object_passes_through_coerce_unchanged() -> None:
    options = ProcessingOptions(output_format="md")
    assert ProcessingOptions.coerce(options) is options


def test_dict_and_object_give_the_same_options() -> None:
    as_dict = {"languages": ["deu"], "page_range": "1-2", "table_enrichment": True}
    assert ProcessingOptions.coerce(as_dict) == ProcessingOptions(**as_dict)


def test_to_wire_is_the_json_the_service_reads() -> None:
    wire = json.loads(coerce(output_format="md", languages=["eng"], page_range="2-3").to_wire())
    assert wire == {
        "languages": ["en"],
        "page_range": "2-3",
        "parse_type": "auto",
        "image_annotations": False,
        "force_image_annotations": False,
        "table_enrichment": False,
    }


def test_to_wire_carries_ocr_model_only_when_set() -> None:
    assert json.loads(coerce(ocr_model="easyocr").to_wire())["ocr_model"] == "easyocr"
    assert "ocr_model" not in json.loads(coerce().to_wire())


def test_options_are_immutable() -> None:
    options = ProcessingOptions()
    with pytest.raises(Exception, match="frozen"):
        options.parse_type = "complex"  # type: ignore[misc]


# --- through the client -----------------------------------------------------------------

BAD_OPTIONS: list[dict[str, Any]] = [
    {"output_format": "pdf"},
    {"languages": ["xx"]},
    {"page_range": "5-1"},
    {"parse_type": "fast"},
    {"ocr_model": "paddle"},
    {"unknown": 1},
]


@pytest.mark.parametrize("options", BAD_OPTIONS)
def test_bad_options_to_create_job_send_nothing(
    client: ByteITClient, server: FakeServer, pdf_file: Path, options: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        client.create_job(pdf_file, processing_options=options)
    assert server.requests == []


@pytest.mark.parametrize("options", BAD_OPTIONS)
def test_bad_options_to_process_document_send_nothing(
    client: ByteITClient, server: FakeServer, pdf_file: Path, options: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        client.process_document([pdf_file, pdf_file], processing_options=options)
    assert server.requests == []


def test_dict_options_reach_the_wire_like_an_options_object(
    make_client: Callable[..., ByteITClient], server: FakeServer, pdf_file: Path
) -> None:
    serve_documents(server, {"report.pdf": b"text"})
    client = make_client()
    client.create_job(pdf_file, processing_options={"languages": ["deu"], "output_format": "md"})
    client.create_job(
        pdf_file, processing_options=ProcessingOptions(languages=["de"], output_format="md")
    )
    first, second = (multipart(r) for r in server.sent("POST"))
    assert first["processing_options"].data == second["processing_options"].data
    assert json.loads(first["processing_options"].data)["languages"] == ["de"]
    assert first["output_format"].data == second["output_format"].data == b"md"


def test_dict_options_work_for_process_document(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    serve_documents(server, {"report.pdf": b"# markdown"})
    assert client.process_document(pdf_file, processing_options={"output_format": "md"}) == (
        b"# markdown"
    )
    assert server.sent("GET", r".*/result/")[0].url.params["output_format"] == "md"
