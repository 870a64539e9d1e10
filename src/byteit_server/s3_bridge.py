"""Server-side S3: the server reads documents from, and writes results to, buckets.

The real ByteIT reaches a customer's bucket through the IAM role the customer
registered with it; here :class:`~byteit_server.config.S3Settings` stand in for
that role. What happens when, and how failures show:

- Input (``input_connector=s3``) is read when the job runs, not when it is
  created, as the real service most plausibly does: it answers the creation at
  once and reads the bucket in the background. So a missing bucket or key, or
  a denied read, fails the job with a ``processing_error`` naming
  ``s3://bucket/key``, as an unreadable document does.
- Output (``output_connector=s3``) is written after extraction and before the
  job is marked completed, so a client that sees ``completed`` finds the
  object; a failed write fails the job. The result stays downloadable through
  ``/result/`` as well. :func:`output_key` says which key is written.

Transfers run in threads of the server process, not in the extraction worker
processes: they wait on the network rather than the CPU, and the worker
function keeps the signature tests replace. Objects stream through files in
the data directory, never held whole in memory. Messages name buckets, keys
and S3 error codes, never a credential. boto3 (the ``s3`` extra) is imported
only when S3 is configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from byteit._contract import MEGABYTE, result_name

from .config import S3Settings, ServerConfig, ServerConfigError, resolve_s3_settings
from .engine import media_type, render_to_file
from .records import ParseJobRecord

__all__ = ["S3_NOT_CONFIGURED", "S3Bridge", "S3TransferError", "output_key"]

S3_NOT_CONFIGURED = (
    "server-side S3 is not configured on this server; upload the file and download "
    "the result instead"
)
_CAUSES = {
    "NoSuchBucket": "no such bucket",
    "NoSuchKey": "no such key",
    "AccessDenied": "access denied (the server's S3 role lacks {permission})",
    "InvalidAccessKeyId": "S3 does not know the server's access key id",
    "SignatureDoesNotMatch": "S3 refused the server's secret access key",
}
_PERMISSIONS = {"read": "s3:GetObject", "write": "s3:PutObject"}


class S3TransferError(Exception):
    """Reading a job's document or writing its result failed; the message is for the user."""


def output_key(path: str, original_filename: str, job_id: str, output_format: str) -> str:
    """The key a result is written to, given ``output_connection_data``'s ``path``.

    A path naming an object (not ending in ``/``) is the key itself; a folder
    (ending in ``/``, or empty for the bucket's top) gets
    ``<original file name>.<format>``, e.g. ``out/report.pdf.txt``: the name the
    client gives a result it writes under a prefix itself. Keeping the
    original extension means ``report.pdf`` and ``report.docx`` never collide.

    Example:
        >>> output_key("out/", "report.pdf", "job-1", "md")
        'out/report.pdf.md'
    """
    if path and not path.endswith("/"):
        return path
    return path + result_name(original_filename, job_id, output_format)


class S3Bridge:
    """Moves the documents and results of jobs using the s3 connectors.

    Args:
        settings: What S3 is reached with; None when server-side S3 is off.
        max_object_bytes: The largest document read (the upload limit per file).
    """

    def __init__(self, settings: S3Settings | None, *, max_object_bytes: int) -> None:
        self.settings = settings
        self._max_bytes = max_object_bytes
        self._client: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: ServerConfig, environ: Mapping[str, str] = os.environ) -> S3Bridge:
        """The bridge ``config`` describes; boto3 is checked now, so a server fails at start.

        Raises:
            ServerConfigError: The S3 settings are inconsistent, or boto3 is missing.
        """
        settings = resolve_s3_settings(config, environ)
        if settings is not None:
            _import_boto3()
        return cls(settings, max_object_bytes=config.max_file_bytes)

    @property
    def enabled(self) -> bool:
        """Whether jobs may use the s3 connectors."""
        return self.settings is not None

    async def fetch_input(self, record: ParseJobRecord) -> None:
        """Download the job's document to its ``file_path`` (``input_connector=s3`` only).

        Raises:
            S3TransferError: The object cannot be read, is empty or is too large.
        """
        if record.input_connector != "s3":
            return
        self._require_enabled()
        source = record.input_connection_data or {}
        bucket, key = source["source_bucket"], source["source_path_inside_bucket"]
        await asyncio.to_thread(self._download, bucket, key, Path(record.file_path))

    async def deliver_result(self, record: ParseJobRecord, result_dir: Path) -> None:
        """Write the job's result to its bucket (``output_connector=s3`` only).

        Raises:
            S3TransferError: The object cannot be written.
            ExtractionError: The result cannot be rendered in the job's format.
        """
        if record.output_connector != "s3":
            return
        self._require_enabled()
        target = record.output_connection_data or {}
        output_format = record.result_format
        key = output_key(target["path"], record.original_filename, record.id, output_format)
        path = await asyncio.to_thread(
            render_to_file, result_dir, output_format, record.original_filename
        )
        content_type = media_type(output_format)
        await asyncio.to_thread(self._upload, path, target["bucket"], key, content_type)

    def _require_enabled(self) -> None:
        # A job created before a restart may outlive the S3 settings it was created with.
        if self.settings is None:
            raise S3TransferError(S3_NOT_CONFIGURED)

    def _download(self, bucket: str, key: str, target: Path) -> None:
        where = f"s3://{bucket}/{key}"
        with self._translated(where, "read"):
            answer = self._s3().get_object(Bucket=bucket, Key=key)
            body = answer["Body"]
            try:
                self._check_size(int(answer.get("ContentLength") or 0), where)
                _stream_to_file(body, target)
            finally:
                body.close()

    def _check_size(self, size: int, where: str) -> None:
        if size == 0:
            raise S3TransferError(f"cannot read {where}: the object is empty")
        if size > self._max_bytes:
            limit = f"{self._max_bytes / MEGABYTE:g} MB"
            raise S3TransferError(f"cannot read {where}: it exceeds the limit of {limit} a file")

    def _upload(self, path: Path, bucket: str, key: str, content_type: str) -> None:
        where = f"s3://{bucket}/{key}"
        with path.open("rb") as body, self._translated(where, "write"):
            self._s3().put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)

    def _s3(self) -> Any:
        """One client shared by the transfer threads (boto3 clients are thread-safe)."""
        with self._lock:
            if self._client is None:
                settings = self.settings
                assert settings is not None, "checked by _require_enabled"
                session = _import_boto3().session.Session(
                    aws_access_key_id=settings.access_key_id,
                    aws_secret_access_key=settings.secret_access_key,
                    region_name=settings.region,
                )
                self._client = session.client("s3", endpoint_url=settings.endpoint_url)
            return self._client

    @contextlib.contextmanager
    def _translated(self, where: str, action: str) -> Iterator[None]:
        """Turn botocore's errors into an :class:`S3TransferError` naming ``where``."""
        errors = importlib.import_module("botocore.exceptions")
        try:
            yield
        except (errors.ClientError, errors.BotoCoreError) as exc:
            message = f"cannot {action} {where}: {_cause(exc, action)}"
            secret = self.settings.secret_access_key if self.settings else None
            if secret:
                message = message.replace(secret, "***")  # S3 never echoes it; be sure anyway
            raise S3TransferError(message) from None


def _cause(exc: Exception, action: str) -> str:
    response = getattr(exc, "response", None)
    code = str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
    if code in _CAUSES:
        return _CAUSES[code].format(permission=_PERMISSIONS[action])
    return f"S3 answered {code}" if code else str(exc)


def _stream_to_file(body: Any, target: Path) -> None:
    """Copy an S3 body to ``target`` chunk by chunk; a failed copy leaves no file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in body.iter_chunks(MEGABYTE):
                stream.write(chunk)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _import_boto3() -> ModuleType:
    try:
        return importlib.import_module("boto3")
    except ImportError:
        raise ServerConfigError(
            "server-side S3 needs boto3, from the 's3' extra: pip install \"byteit[s3]\""
        ) from None
