"""A big PDF cut into page-range jobs (``split_pages``), planned before any request.

One job runs on one of the service's workers, however many it has: a PDF of
more than ``split_pages`` pages goes as several jobs of that many pages each,
run at once, and their results are merged in page order (`_merge`).

Each chunk is a job on the whole document with the ``page_range`` processing
option: the service numbers pages, counts them and names the document exactly
as for one job, so the merged result is the one a single job gives. The API
has no way to create a job from a document uploaded before (ByteIT storage
holds results only), so a local document is uploaded once per chunk. Cutting
the PDF into smaller PDFs would send fewer bytes, but each piece would be a
new document, numbered from page 1 and missing what the whole one declares.

Pages are counted on the client with pypdfium2, an optional extra
(``pip install "byteit[pdf]"``), for documents it can read without a download:
local files and bytes. Others (S3, streams) go as one job, as do results the
service writes itself, and ``zip`` results, which cannot be merged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Literal

import attrs

from byteit._contract import MEGABYTE
from byteit._extras import require
from byteit._jobs._create import CreateRequest
from byteit._log import get_logger
from byteit.connectors import InputConnector, OutputConnector
from byteit.exceptions import ValidationError
from byteit.options import ProcessingOptions

logger = get_logger("split")

SplitPages = int | Literal["auto"] | None

# split_pages="auto": PDFs over AUTO_SPLIT_BYTES go in chunks of AUTO_CHUNK_PAGES pages.
AUTO_SPLIT_BYTES = 10 * MEGABYTE
AUTO_CHUNK_PAGES = 50
# process_document given one document: its chunks in flight at most.
SPLIT_CONCURRENCY = 16


def check_split_pages(value: object) -> SplitPages:
    """`value` as a ``split_pages`` option: None, a number of pages, or ``"auto"``.

    Raises:
        ValidationError: Naming the bad value.
        ImportError: Splitting is asked for and pypdfium2, which counts pages, is missing.
    """
    if value is None:
        return None
    if value == "auto" or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        require("pypdfium2", "pdf", "Splitting PDFs by page (split_pages)")  # before any request
        return value
    raise ValidationError(
        f"split_pages must be a number of pages (1 or more), 'auto' or None, not {value!r}"
    )


@attrs.frozen
class Chunk:
    """One page-range job of a split document: its pages and its creation."""

    number: int  # 0-based, in page order
    pages: tuple[int, ...]
    request: CreateRequest


def split_document(
    request: CreateRequest, output: OutputConnector, options: ProcessingOptions, split: SplitPages
) -> list[Chunk] | None:
    """The chunks `request`'s document goes as, or None when it goes as one job.

    Raises:
        ImportError: pypdfium2 is needed to count the pages and is missing.
    """
    chunk_pages = _chunk_pages(request.source, split)
    if chunk_pages is None or not _mergeable(request, output, options):
        return None
    count = count_pages(request.source)
    if count is None:
        return None
    pages = selected_pages(options.page_range, count)
    if len(pages) <= chunk_pages:
        return None
    groups = [tuple(pages[at : at + chunk_pages]) for at in range(0, len(pages), chunk_pages)]
    logger.debug(
        "%s: %d pages go as %d jobs of %d pages",
        request.source.name, len(pages), len(groups), chunk_pages,
    )  # fmt: skip
    return [
        Chunk(n, group, chunk_request(request, options, group, 0)) for n, group in enumerate(groups)
    ]


def chunk_request(
    request: CreateRequest, options: ProcessingOptions, pages: Sequence[int], attempt: int
) -> CreateRequest:
    """The creation of one chunk; each attempt has its own key (a retry is a new job)."""
    spec = page_spec(pages)
    wire = options.model_copy(update={"page_range": spec}).to_wire()
    fields = attrs.evolve(request.fields, processing_options=wire)
    key = f"{request.idempotency_key}-pages-{spec.replace(',', '.')}-{attempt}"
    return CreateRequest(request.source, fields, key)


def _chunk_pages(source: InputConnector, split: SplitPages) -> int | None:
    if split is None or source.document_type != "pdf":
        return None
    if split != "auto":
        return split
    size = source.checked_size
    return AUTO_CHUNK_PAGES if size is not None and size > AUTO_SPLIT_BYTES else None


def _mergeable(request: CreateRequest, output: OutputConnector, options: ProcessingOptions) -> bool:
    """Whether the client can read each chunk's result and write the merged one."""
    if options.output_format == "zip" or not request.source.replayable:
        return False
    return output.wire_fields()[0] == "localfile" and not request.source.blocking


def count_pages(source: InputConnector) -> int | None:
    """The pages of a PDF read from its upload stream, or None when PDFium cannot read it
    (the job then goes whole, and the service says what is wrong with it).

    Raises:
        ImportError: pypdfium2 is missing: ``pip install "byteit[pdf]"``.
    """
    pdfium = require("pypdfium2", "pdf", "Splitting PDFs by page (split_pages)")
    with source.open_upload() as upload:
        if upload is None:
            return None
        try:
            document = pdfium.PdfDocument(upload.stream)
        except pdfium.PdfiumError as exc:
            logger.debug("%s: cannot count its pages (%s): sent whole", source.name, exc)
            return None
        with contextlib.closing(document):
            return len(document)


def selected_pages(page_range: str, page_count: int) -> list[int]:
    """The pages of a `page_count`-page document that `page_range` selects (all when
    empty), as the service reads it: pages past the end are dropped."""
    if not page_range.strip():
        return list(range(1, page_count + 1))
    pages: set[int] = set()
    for part in page_range.split(","):
        first, _, last = part.strip().partition("-")
        pages.update(range(int(first), min(int(last or first), page_count) + 1))
    return sorted(pages)


def page_spec(pages: Sequence[int]) -> str:
    """Sorted pages as a ``page_range``: ``[1, 2, 3, 7, 9, 10]`` gives ``"1-3,7,9-10"``."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
