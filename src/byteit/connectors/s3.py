"""Documents read from, and results written to, Amazon S3 (the ``s3`` extra).

Client-side (the default) the client streams the object from S3 into the upload,
and the result from ByteIT up to S3, never holding either whole. Server-side
(``server_side=True``) only the bucket and key travel to ByteIT, which reaches
the bucket through the IAM role registered with it. AWS credentials go to S3
only: never to ByteIT, and never into a repr, a message, a log record or a
pickle (a connector given keys refuses to be pickled: see `S3Access`).
"""

from __future__ import annotations

import contextlib
import io
import json
import posixpath
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from byteit._contract import DOCUMENT_TYPES, result_name, upload_type
from byteit._http._wire import Upload
from byteit.connectors._s3_access import (
    S3Access,
    check_bucket,
    check_key,
    check_prefix,
    list_keys,
    split_destination,
)
from byteit.connectors._s3_streams import READ_SIZE, ObjectReader, S3Sink
from byteit.connectors.base import InputConnector, OutputConnector, ResultSink, document_types
from byteit.connectors.local import result_filename
from byteit.exceptions import ValidationError
from byteit.models import Job

__all__ = ["S3InputConnector", "S3OutputConnector", "mirror_output", "s3_prefix_inputs"]


class _Credentials:
    """The AWS settings a connector was given, as the earlier client's README names them."""

    _access: S3Access

    @property
    def aws_access_key_id(self) -> str | None:
        """The access key id given, or None when boto3's default chain is used."""
        return self._access.key_id

    @property
    def aws_secret_access_key(self) -> str | None:
        """The secret access key given (or None): asked for by name, it is shown; nothing
        else (repr, messages, logs, pickles) ever shows it."""
        return self._access.secret_key

    @property
    def region(self) -> str | None:
        """The bucket's region, or None for boto3's default."""
        return self._access.region


class S3InputConnector(_Credentials, InputConnector):
    """A document stored in S3.

    Client-side, each upload attempt streams a fresh GET of the object, so a
    failed creation can be retried and the object is never held in memory.
    Server-side, ByteIT reads the object itself with its registered IAM role.

    Args:
        bucket: The bucket's name.
        key: The object's key, e.g. ``"inbox/invoice.pdf"``.
        aws_access_key_id: With `aws_secret_access_key`; by default boto3's chain
            (environment, profile, instance role) is used.
        aws_secret_access_key: Never sent to ByteIT, shown, or logged.
        region: The bucket's region.
        endpoint_url: An S3-compatible endpoint (MinIO, a local test server).
        file_type: The document's type when the key's extension does not say. It
            travels as the upload's ``Content-Type``; with ``server_side=True`` no
            upload is sent, so it must agree with the key's extension.
        server_side: Let ByteIT read the object (no credentials may be given).

    Raises:
        ImportError: boto3 is missing (``pip install "byteit[s3]"``).
        ValidationError: A bad bucket or key, an unsupported type, credentials given
            with ``server_side=True``, or a `file_type` the key's extension
            contradicts with ``server_side=True``.

    Example:
        >>> S3InputConnector("my-docs", "inbox/invoice.pdf", region="eu-west-1")
    """

    def __init__(
        self,
        bucket: str,
        key: str,
        *,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        file_type: str | None = None,
        server_side: bool = False,
    ) -> None:
        self._bucket = check_bucket(bucket)
        self._key = check_key(key, "key")
        self._server_side = server_side
        self._access = S3Access(aws_access_key_id, aws_secret_access_key, region, endpoint_url)
        self._access.check_server_side(server_side)
        self._listed_under = ""
        self._size: int | None = None
        extension = posixpath.splitext(key)[1]
        self._file_type, self._type = document_types(file_type, extension, self.location)
        if server_side and self._file_type is not None:
            _check_named_by_key(self._file_type, self.location)

    def __repr__(self) -> str:
        override = "" if self._file_type is None else f", file_type={self._file_type!r}"
        return (
            f"S3InputConnector(bucket={self.bucket!r}, key={self.key!r}, {self._access!r}"
            f"{override}, server_side={self.server_side!r})"
        )

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self._bucket

    @property
    def key(self) -> str:
        """The object's key."""
        return self._key

    @property
    def file_type(self) -> str | None:
        """The `file_type` override as the service names it, or None when the key's
        extension decides; `document_type` is the type in effect either way."""
        return self._file_type

    @property
    def server_side(self) -> bool:
        """Whether ByteIT reads the object itself."""
        return self._server_side

    @property
    def location(self) -> str:
        """The object's ``s3://bucket/key`` address."""
        return f"s3://{self.bucket}/{self.key}"

    @property
    def relative_key(self) -> str:
        """The key below the prefix it was listed under (`s3_prefix_inputs`), else the key."""
        return self.key[len(self._listed_under) :]

    @property
    def name(self) -> str:
        return posixpath.basename(self.key)

    def fingerprint(self) -> str | None:
        """The object's address: reading it to hash it would cost a download."""
        return self.location

    @property
    def blocking(self) -> bool:
        return not self.server_side

    @property
    def document_type(self) -> str:
        return self._type

    def validate(self) -> None:
        """Check with a HEAD request that the object exists, is readable and is not empty.

        Raises:
            ConnectorError: No such bucket or key, access denied, bad or no credentials.
            ValidationError: The object is empty.
        """
        if self.server_side:
            return  # ByteIT checks with its own role; ours may not reach the bucket
        head = self._call("read", "s3:GetObject", "head_object", Bucket=self.bucket, Key=self.key)
        length = head.get("ContentLength") if head is not None else None
        if length == 0:
            raise ValidationError(f"{self.location}: the object is empty")
        # Known from the HEAD, so an object over the upload limit is refused before any GET.
        self._size = length if isinstance(length, int) else None

    @property
    def checked_size(self) -> int | None:
        """The object's size as its HEAD gave it (`validate`). Not its `size`: a batch
        groups by that, and S3 uploads are each streamed alone."""
        return self._size

    def wire_fields(self) -> tuple[str, str | None]:
        if not self.server_side:
            return "localfile", None
        data = {"source_bucket": self.bucket, "source_path_inside_bucket": self.key}
        return "s3", json.dumps(data)

    @contextlib.contextmanager
    def open_upload(self) -> Iterator[Upload | None]:
        if self.server_side:
            yield None
            return
        with super().open_upload() as upload:
            yield upload

    @contextlib.contextmanager
    def _open(self) -> Iterator[BinaryIO]:
        answer = self._call("read", "s3:GetObject", "get_object", Bucket=self.bucket, Key=self.key)
        reader = ObjectReader(
            answer["Body"], int(answer["ContentLength"]), self._reopener(answer.get("ETag"))
        )
        with io.BufferedReader(reader, READ_SIZE) as stream:
            yield stream

    def _reopener(self, etag: str | None) -> Callable[[int], Any]:
        def open_at(offset: int) -> Any:
            match = {"IfMatch": etag} if etag else {}
            answer = self._call(
                "read",
                "s3:GetObject",
                "get_object",
                Bucket=self.bucket,
                Key=self.key,
                Range=f"bytes={offset}-",
                **match,
            )
            return answer["Body"]

        return open_at

    def _call(self, action: str, permission: str, method: str, **params: Any) -> Any:
        return self._access.call(self.location, action, permission, method, **params)


class S3OutputConnector(_Credentials, OutputConnector):
    """Write each result to S3.

    Client-side, the result streams up as it downloads (a multipart upload once it
    passes 8 MiB) and the object appears only when the download succeeds; a failed
    one aborts the upload and leaves nothing. Server-side, ByteIT writes the result.

    Args:
        bucket: The bucket's name.
        key: One object to write (a batch would overwrite it: use `prefix`).
        prefix: Write ``prefix + <document name>.<format>``; end it with ``/`` for a folder.
        aws_access_key_id: With `aws_secret_access_key`; by default boto3's chain.
        aws_secret_access_key: Never sent to ByteIT, shown, or logged.
        region: The bucket's region.
        endpoint_url: An S3-compatible endpoint.
        server_side: Let ByteIT write the result (no credentials may be given).

    Raises:
        ImportError: boto3 is missing (``pip install "byteit[s3]"``).
        ValidationError: Not exactly one of `key` and `prefix`, a bad bucket, or
            credentials given with ``server_side=True``.

    Example:
        >>> S3OutputConnector("my-docs", prefix="results/")
    """

    def __init__(
        self,
        bucket: str,
        key: str | None = None,
        prefix: str | None = None,
        *,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        server_side: bool = False,
    ) -> None:
        if (key is None) == (prefix is None):
            raise ValidationError(
                "give exactly one of key= (one object) or prefix= (prefix + <name>.<format>)"
            )
        self._bucket = check_bucket(bucket)
        self._key = None if key is None else check_key(key, "key")
        self._prefix = None if prefix is None else check_prefix(prefix)
        self._server_side = server_side
        self._access = S3Access(aws_access_key_id, aws_secret_access_key, region, endpoint_url)
        self._access.check_server_side(server_side)
        if server_side and self.prefix and not self.prefix.endswith("/"):
            raise ValidationError(
                f"prefix {self.prefix!r} must end with '/' with server_side=True: the "
                "service reads a path without one as the key of one object"
            )

    def __repr__(self) -> str:
        target = f"key={self.key!r}" if self.key is not None else f"prefix={self.prefix!r}"
        return (
            f"S3OutputConnector(bucket={self.bucket!r}, {target}, {self._access!r}, "
            f"server_side={self.server_side!r})"
        )

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self._bucket

    @property
    def key(self) -> str | None:
        """The one object written, or None when writing under `prefix`."""
        return self._key

    @property
    def prefix(self) -> str | None:
        """What each result's key starts with, or None when writing one `key`."""
        return self._prefix

    @property
    def server_side(self) -> bool:
        """Whether ByteIT writes the result itself."""
        return self._server_side

    def validate(self) -> None:
        """Check that the bucket exists and the credentials work (a HEAD on the bucket).

        Write permission cannot be proved without writing: a missing
        ``s3:PutObject`` shows up at the first result, as a `ConnectorError`.

        Raises:
            ConnectorError: No such bucket, bad or no credentials, S3 unreachable.
        """
        if self.server_side:
            return
        self._access.call(
            f"s3://{self.bucket}",
            "reach",
            "s3:ListBucket",
            "head_bucket",
            tolerate=frozenset({"AccessDenied"}),  # it exists; writing may need no listing
            Bucket=self.bucket,
        )

    def wire_fields(self) -> tuple[str, str]:
        if not self.server_side:
            return super().wire_fields()
        path = self.prefix if self.prefix is not None else self.key
        return "s3", json.dumps({"type": "s3", "bucket": self.bucket, "path": path})

    def object_key(self, job: Job, output_format: str) -> str:
        """The key `job`'s result is written to."""
        if self.key is not None:
            return self.key
        return f"{self.prefix}{result_filename(job, output_format)}"

    def planned_location(self, document_name: str, output_format: str) -> str | None:
        if self.key is not None:
            return f"s3://{self.bucket}/{self.key}"
        return f"s3://{self.bucket}/{self.prefix}{result_name(document_name, '', output_format)}"

    def sink(self, job: Job, output_format: str) -> ResultSink | None:
        if self.server_side:
            return None
        return S3Sink(self._access, self.bucket, self.object_key(job, output_format), output_format)

    def delivered_by_service(self, job: Job, output_format: str) -> str | None:
        """Where ByteIT itself wrote `job`'s result (server-side), else None: under a
        prefix, ``<prefix><original name>.<format>``, the name the client would give it."""
        if not self.server_side:
            return None
        return f"s3://{self.bucket}/{self.object_key(job, output_format)}"


def _check_named_by_key(file_type: str, location: str) -> None:
    """Refuse an override ByteIT cannot honour: reading the object itself, it types it by
    its key's extension, and ``input_connection_data`` carries no type."""
    named = upload_type(location, None)
    if named is None or DOCUMENT_TYPES[named] != DOCUMENT_TYPES[file_type]:
        raise ValidationError(
            f"{location}: file_type={file_type!r} cannot be honoured with server_side=True: "
            "ByteIT types an object it reads itself by its key's extension, and no type "
            "travels with it; give the object a key ending in its type's extension, or "
            "read it client-side (server_side=False), whose upload carries the type"
        )


def s3_prefix_inputs(
    bucket: str,
    prefix: str = "",
    *,
    aws_access_key_id: str | None = None,
    aws_secret_access_key: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    file_type: str | None = None,
    server_side: bool = False,
) -> list[S3InputConnector]:
    """One `S3InputConnector` per object under `prefix`, sorted by key; "folders" are skipped.

    The listing is done here, with these credentials, even for ``server_side=True``.
    The connectors share one S3 client; pass them to ``process_document`` as a batch.

    Args:
        bucket: The bucket's name.
        prefix: The keys' common start, e.g. ``"inbox/"`` (``""``: the whole bucket).
        aws_access_key_id: As for `S3InputConnector`, and so are the other arguments;
            `file_type` applies to every object.

    Returns:
        The connectors, sorted by key (empty when nothing is under `prefix`).

    Raises:
        ConnectorError: The bucket cannot be listed (``s3:ListBucket``).
        ValidationError: An object's type is not one ByteIT accepts.

    Example:
        >>> inputs = s3_prefix_inputs("my-docs", "inbox/", region="eu-west-1")
    """
    access = S3Access(aws_access_key_id, aws_secret_access_key, region, endpoint_url)
    access.check_server_side(server_side)
    keys = list_keys(access, check_bucket(bucket), check_prefix(prefix))
    inputs = []
    for key in keys:
        connector = S3InputConnector(
            bucket,
            key,
            region=region,
            endpoint_url=endpoint_url,
            file_type=file_type,
            server_side=server_side,
        )
        connector._access = access
        connector._listed_under = prefix
        inputs.append(connector)
    return inputs


def mirror_output(output_prefix: str, input_connector: S3InputConnector) -> S3OutputConnector:
    """An output whose key mirrors the input's key below the prefix it was listed under.

    ``in/a/b.pdf`` listed under ``in/``, mirrored to ``out/``, gives
    ``out/a/b.pdf.<format>`` (client-side and server-side alike).

    Args:
        output_prefix: ``"out/"`` in the input's bucket, or ``"s3://other-bucket/out/"``.
        input_connector: An input, usually from `s3_prefix_inputs`; its credentials,
            region, endpoint and ``server_side`` are reused.

    Returns:
        An `S3OutputConnector` writing under the mirrored folder.

    Example:
        >>> outputs = [mirror_output("out/", source) for source in inputs]
    """
    bucket, prefix = split_destination(output_prefix, input_connector.bucket)
    folder = posixpath.dirname(input_connector.relative_key)
    access = input_connector._access
    output = S3OutputConnector(
        bucket,
        prefix=prefix + (folder + "/" if folder else ""),
        region=access.region,
        endpoint_url=access.endpoint_url,
        server_side=input_connector.server_side,
    )
    output._access = access
    return output
