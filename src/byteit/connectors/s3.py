"""Documents read from, and results written to, Amazon S3 (the ``s3`` extra).

Client-side (the default) the client streams the object from S3 into the upload,
and the result from ByteIT up to S3, never holding either whole. Server-side
(``server_side=True``) only the bucket and key travel to ByteIT, which reaches
the bucket through the IAM role registered with it. AWS credentials go to S3
only: never to ByteIT, and never into a repr, a message or a log record.
"""

from __future__ import annotations

import contextlib
import io
import json
import posixpath
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from byteit._contract import normalize_type, result_name
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
from byteit.connectors.base import InputConnector, OutputConnector, ResultSink
from byteit.connectors.local import result_filename
from byteit.exceptions import ValidationError
from byteit.models import Job

__all__ = ["S3InputConnector", "S3OutputConnector", "mirror_output", "s3_prefix_inputs"]


class S3InputConnector(InputConnector):
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
        file_type: The document's type when the key's extension does not say.
        server_side: Let ByteIT read the object (no credentials may be given).

    Raises:
        ImportError: boto3 is missing (``pip install "byteit[s3]"``).
        ValidationError: A bad bucket or key, an unsupported type, or credentials
            given with ``server_side=True``.

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
        self.bucket = check_bucket(bucket)
        self.key = check_key(key, "key")
        self.server_side = server_side
        self._access = S3Access(aws_access_key_id, aws_secret_access_key, region, endpoint_url)
        self._access.check_server_side(server_side)
        self._listed_under = ""
        try:
            self._type = normalize_type(file_type or posixpath.splitext(key)[1])
        except ValueError as exc:
            raise ValidationError(f"{self.location}: {exc}") from None

    def __repr__(self) -> str:
        return (
            f"S3InputConnector(bucket={self.bucket!r}, key={self.key!r}, {self._access!r}, "
            f"server_side={self.server_side!r})"
        )

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
        if head is not None and head.get("ContentLength") == 0:
            raise ValidationError(f"{self.location}: the object is empty")

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


class S3OutputConnector(OutputConnector):
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
        self.bucket = check_bucket(bucket)
        self.key = None if key is None else check_key(key, "key")
        self.prefix = None if prefix is None else check_prefix(prefix)
        self.server_side = server_side
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
