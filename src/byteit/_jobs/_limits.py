"""The service's upload limits (`byteit._contract.UPLOAD_LIMITS`), checked before a byte is sent.

The service refuses a file over the per-file limit, and a request over the
per-request limit, with a 413, but only once the upload has streamed that far:
300 MB sent for nothing. The client knows the limits and, most of the time, the
sizes (a file's ``stat``, bytes in memory, an S3 object's HEAD), so it refuses
such a document at once, naming its size and the limit.

A request is more than its files: each part carries its headers, and the form
its fields. `request_bytes` counts them generously, so that a batch packing
files up to the per-request limit never goes over it by a few kilobytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from byteit._contract import MEGABYTE, UPLOAD_LIMITS, UploadLimits
from byteit.connectors import InputConnector
from byteit.exceptions import ValidationError

# Multipart headers of one file part (boundary, Content-Disposition with the file
# name, Content-Type): a few hundred bytes; the allowance is well above that.
PART_ALLOWANCE = 4096
# The form fields of a creation (options, connectors, nickname...), all parts together.
FORM_ALLOWANCE = 64 * 1024


def check_file_size(source: InputConnector, limits: UploadLimits = UPLOAD_LIMITS) -> None:
    """Refuse a document the client would upload that is over the per-file limit.

    Nothing is checked when the service reads the source itself (server-side S3)
    or when its size is unknown without reading it (a stream).

    Raises:
        ValidationError: Naming the document, its size and the limit.
    """
    size = source.checked_size
    if size is None or source.wire_fields()[0] != "localfile":
        return
    if size > limits.max_file_bytes:
        raise ValidationError(
            f"{source.name}: {describe_size(size)} is over the service's limit of "
            f"{describe_size(limits.max_file_bytes)} a file; nothing was sent"
        )


def request_bytes(sizes: Iterable[int]) -> int:
    """The bytes a creation uploading files of these sizes may take on the wire, at most."""
    files = list(sizes)
    return sum(files) + PART_ALLOWANCE * len(files) + FORM_ALLOWANCE


def check_request_size(
    what: str, sizes: Iterable[int], limits: UploadLimits = UPLOAD_LIMITS
) -> None:
    """Refuse one request (a custom job's files, say) that would exceed the per-request limit.

    Raises:
        ValidationError: Naming `what`, the request's size and the limit.
    """
    total = request_bytes(sizes)
    if total > limits.max_request_bytes:
        raise ValidationError(
            f"{what}: {describe_size(total)} in one request is over the service's limit of "
            f"{describe_size(limits.max_request_bytes)} a request; nothing was sent"
        )


def describe_size(size: int) -> str:
    """``"300.0 MB (314572800 bytes)"``; whole megabytes as ``"200 MB"``."""
    if size % MEGABYTE == 0:
        return f"{size // MEGABYTE} MB"
    return f"{size / MEGABYTE:.1f} MB ({size} bytes)"
