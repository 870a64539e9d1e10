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
import logging
import posixpath
import threading
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, cast

from typing_extensions import Buffer

from byteit._extras import require, require_boto3
from byteit._wire import Upload
from byteit.connectors.base import InputConnector, OutputConnector, ResultSink
from byteit.connectors.local import result_filename
from byteit.document_types import CONTENT_TYPES, normalize_type
from byteit.exceptions import ConnectorError, ValidationError
from byteit.models import Job

__all__ = ["S3InputConnector", "S3OutputConnector", "mirror_output", "s3_prefix_inputs"]

_log = logging.getLogger(__name__)
_PART_SIZE = 8 * 1024 * 1024  # S3 parts are at least 5 MiB; memory holds about one
_READ_SIZE = 64 * 1024
_LIST_PAGE_SIZE = 1000
_BODYLESS = frozenset({"400", "403", "404"})  # HEAD answers carry no error code


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
        self.bucket = _check_bucket(bucket)
        self.key = _check_key(key, "key")
        self.server_side = server_side
        self._access = _S3Access(aws_access_key_id, aws_secret_access_key, region, endpoint_url)
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
        reader = _ObjectReader(
            answer["Body"], int(answer["ContentLength"]), self._reopener(answer.get("ETag"))
        )
        with io.BufferedReader(reader, _READ_SIZE) as stream:
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
        self.bucket = _check_bucket(bucket)
        self.key = None if key is None else _check_key(key, "key")
        self.prefix = None if prefix is None else _check_prefix(prefix)
        self.server_side = server_side
        self._access = _S3Access(aws_access_key_id, aws_secret_access_key, region, endpoint_url)
        self._access.check_server_side(server_side)
        self._stem: str | None = None  # set by mirror_output: prefix + stem + "." + format

    def __repr__(self) -> str:
        if self._stem is not None:
            target = f"key={self.prefix or ''}{self._stem}.<format>"
        else:
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
        if self._stem is not None:
            return f"{self.prefix}{self._stem}.{output_format}"
        return f"{self.prefix}{result_filename(job, output_format)}"

    def sink(self, job: Job, output_format: str) -> ResultSink | None:
        if self.server_side:
            return None
        return _S3Sink(
            self._access, self.bucket, self.object_key(job, output_format), output_format
        )

    def delivered_by_service(self, job: Job) -> str | None:
        """Where ByteIT itself wrote `job`'s result (server-side), else None."""
        if not self.server_side:
            return None
        return f"s3://{self.bucket}/{self.prefix if self.prefix is not None else self.key}"


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
    access = _S3Access(aws_access_key_id, aws_secret_access_key, region, endpoint_url)
    access.check_server_side(server_side)
    keys = _list_keys(access, _check_bucket(bucket), _check_prefix(prefix))
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

    ``in/a/b.pdf`` listed under ``in/``, mirrored to ``out/``, gives ``out/a/b.<format>``.

    Args:
        output_prefix: ``"out/"`` in the input's bucket, or ``"s3://other-bucket/out/"``.
        input_connector: An input, usually from `s3_prefix_inputs`; its credentials,
            region, endpoint and ``server_side`` are reused.

    Returns:
        An `S3OutputConnector` (server-side, its path is the mirrored folder).

    Example:
        >>> outputs = [mirror_output("out/", source) for source in inputs]
    """
    bucket, prefix = _split_destination(output_prefix, input_connector.bucket)
    folder, name = posixpath.split(input_connector.relative_key)
    access = input_connector._access
    output = S3OutputConnector(
        bucket,
        prefix=prefix + (folder + "/" if folder else ""),
        region=access.region,
        endpoint_url=access.endpoint_url,
        server_side=input_connector.server_side,
    )
    output._access = access
    output._stem = posixpath.splitext(name)[0] or name
    return output


# --- S3 access ------------------------------------------------------------------------


class _S3Access:
    """Credentials (never shown), region and endpoint, and one client shared by threads."""

    def __init__(
        self,
        key_id: str | None,
        secret: str | None,
        region: str | None,
        endpoint_url: str | None,
    ) -> None:
        if (key_id is None) != (secret is None):
            raise ValidationError(
                "give both aws_access_key_id and aws_secret_access_key, or neither "
                "(to use boto3's default credentials)"
            )
        self._boto3 = require_boto3()
        self._credentials = (key_id, secret)
        self.region = region
        self.endpoint_url = endpoint_url
        self._client: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        shown = f"region={self.region!r}, endpoint_url={self.endpoint_url!r}"
        return shown + (", aws_secret_access_key='***'" if self._credentials[1] else "")

    def check_server_side(self, server_side: bool) -> None:
        if server_side and self._credentials[1] is not None:
            raise ValidationError(
                "server_side=True takes no AWS credentials: ByteIT reaches the bucket with "
                "the IAM role registered with it (credentials are never sent to ByteIT)"
            )

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                key_id, secret = self._credentials
                session = self._boto3.session.Session(
                    aws_access_key_id=key_id, aws_secret_access_key=secret, region_name=self.region
                )
                self._client = session.client("s3", endpoint_url=self.endpoint_url)
            return self._client

    def call(
        self,
        where: str,
        action: str,
        permission: str,
        method: str,
        tolerate: frozenset[str] = frozenset(),
        **params: Any,
    ) -> Any:
        """``client.<method>(**params)``; its failures raised as `ConnectorError`.

        None for a failure whose S3 error code is in `tolerate`, or a HEAD refused
        where a GET works.
        """
        errors = _botocore_errors()
        try:
            return getattr(self.client(), method)(**params)
        except (errors.ClientError, errors.BotoCoreError) as exc:
            cause = self._diagnose(exc, method, params)
            if cause is None or _code(cause) in tolerate:
                return None
            raise self.error(cause, where, action, permission) from exc

    def _diagnose(self, exc: Exception, method: str, params: dict[str, Any]) -> Exception | None:
        """HEAD answers carry no error code: ask again with a GET to learn what went wrong.

        None when the GET works: the HEAD alone was refused, and the place is reachable.
        """
        if _code(exc) not in _BODYLESS or not method.startswith("head_"):
            return exc
        if "Key" in params:
            probe, probe_params = "get_object", {**params, "Range": "bytes=0-0"}
        else:
            probe, probe_params = "list_objects_v2", {**params, "MaxKeys": 1}
        try:
            answer = getattr(self.client(), probe)(**probe_params)
        except _botocore_errors().ClientError as precise:
            return exc if _code(precise) == "InvalidRange" else precise
        if "Body" in answer:
            answer["Body"].close()
        return None

    def error(self, exc: Exception, where: str, action: str, permission: str) -> ConnectorError:
        code = _code(exc)
        advice = _advice(exc, code, permission, self.endpoint_url)
        return ConnectorError(self._scrub(f"Cannot {action} {where}: {advice}"))

    def _scrub(self, text: str) -> str:
        for secret in self._credentials:
            if secret:
                text = text.replace(secret, "***")
        return text


def _botocore_errors() -> Any:
    return require("botocore.exceptions", "s3", "The S3 connectors")


def _code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    return str(response.get("Error", {}).get("Code", "")) or None


_ADVICE = {
    "NoSuchBucket": "the bucket does not exist: check the bucket name",
    "NoSuchKey": "no object has this key: check the key (keys are case-sensitive)",
    "404": "not found: check the bucket name and the key",
    "NotFound": "not found: check the bucket name and the key",
    "AccessDenied": "access denied: check that the credentials allow {permission} here "
    "and that no bucket policy denies it",
    "403": "access denied: check the credentials and that they allow {permission} here",
    "InvalidAccessKeyId": "S3 does not know this access key id: check aws_access_key_id, "
    "AWS_ACCESS_KEY_ID or your AWS profile",
    "SignatureDoesNotMatch": "the secret access key does not match the access key id: "
    "check aws_secret_access_key or AWS_SECRET_ACCESS_KEY",
    "ExpiredToken": "the session token has expired: refresh your AWS credentials",
    "PermanentRedirect": "the bucket is in another region: pass its region=",
    "301": "the bucket is in another region: pass its region=",
}


def _advice(exc: Exception, code: str | None, permission: str, endpoint: str | None) -> str:
    errors = _botocore_errors()
    if isinstance(exc, errors.NoCredentialsError):
        return (
            "no AWS credentials found: pass aws_access_key_id and aws_secret_access_key, "
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or an AWS profile, or use "
            "server_side=True so that ByteIT reaches the bucket with its registered IAM role"
        )
    if isinstance(exc, errors.EndpointConnectionError):
        where = getattr(exc, "kwargs", {}).get("endpoint_url") or endpoint or "AWS"
        return f"could not connect to S3 at {where}: check endpoint_url, region and the network"
    if code in _ADVICE:
        return _ADVICE[code].format(permission=permission)
    if isinstance(exc, errors.ClientError):
        message = exc.response.get("Error", {}).get("Message", "")
        return f"S3 refused the request ({code}: {message})"
    return f"the S3 request failed ({type(exc).__name__}: {exc})"


def _list_keys(access: _S3Access, bucket: str, prefix: str) -> list[str]:
    where = f"s3://{bucket}/{prefix}"
    errors = _botocore_errors()
    keys: list[str] = []
    try:
        pages = (
            access.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        )
        for page in pages:
            keys.extend(item["Key"] for item in page.get("Contents", []))
    except (errors.ClientError, errors.BotoCoreError) as exc:
        raise access.error(exc, where, "list", "s3:ListBucket") from exc
    return sorted(key for key in keys if not key.endswith("/"))


# --- streams --------------------------------------------------------------------------


class _ObjectReader(io.RawIOBase):
    """An object's body as a stream of known length; a seek reopens it at the new offset.

    Knowing the length lets httpx send a ``Content-Length`` rather than a chunked body.
    """

    def __init__(self, body: Any, size: int, open_at: Callable[[int], Any]) -> None:
        super().__init__()
        self._body = body
        self._body_pos = 0
        self._pos = 0
        self._size = size
        self._open_at = open_at

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        bases = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}
        if whence not in bases:
            raise ValueError(f"invalid whence {whence!r}")
        self._pos = max(0, bases[whence] + offset)
        return self._pos

    def readinto(self, buffer: Buffer) -> int:
        if self._pos >= self._size:
            return 0
        if self._body_pos != self._pos:
            self._body.close()
            self._body, self._body_pos = self._open_at(self._pos), self._pos
        view = memoryview(buffer).cast("B")
        data = self._read(len(view))
        view[: len(data)] = data
        self._pos = self._body_pos = self._pos + len(data)
        return len(data)

    def _read(self, size: int) -> bytes:
        try:
            data: bytes = self._body.read(size)
        except ConnectorError:
            raise
        except Exception as exc:  # urllib3/botocore errors: the connection broke
            raise ConnectorError(
                f"Reading from S3 broke off at byte {self._pos}: {type(exc).__name__}"
            ) from exc
        if not data:
            raise ConnectorError(
                f"The S3 object ended at byte {self._pos} of {self._size}: did it change?"
            )
        return data

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class _S3Sink(ResultSink):
    """One S3 object, written only when the download completes."""

    def __init__(self, access: _S3Access, bucket: str, key: str, output_format: str) -> None:
        self._access = access
        self._bucket = bucket
        self._key = key
        self._content_type = CONTENT_TYPES.get(output_format, "application/octet-stream")
        if output_format == "zip":
            self._content_type = "application/zip"

    @property
    def location(self) -> str:
        return f"s3://{self._bucket}/{self._key}"

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        upload = _PartUpload(self._call, self._bucket, self._key, self._content_type)
        try:
            yield cast(BinaryIO, upload)  # the client only ever calls write()
            upload.commit()
        except BaseException:
            upload.abort()
            raise

    def _call(self, method: str, **params: Any) -> Any:
        return self._access.call(self.location, "write", "s3:PutObject", method, **params)


class _PartUpload:
    """Buffers one part at a time; a multipart upload starts only once a part fills."""

    def __init__(self, call: Callable[..., Any], bucket: str, key: str, content_type: str):
        self._call = call
        self._target = {"Bucket": bucket, "Key": key}
        self._content_type = content_type
        self._buffer = bytearray()
        self._parts: list[dict[str, Any]] = []
        self._upload_id: str | None = None

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= _PART_SIZE:
            self._send_part()
        return len(data)

    def commit(self) -> None:
        if self._upload_id is None:
            body, self._buffer = self._buffer, bytearray()
            self._call("put_object", Body=body, ContentType=self._content_type, **self._target)
            return
        if self._buffer:
            self._send_part()
        self._call(
            "complete_multipart_upload",
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
            **self._target,
        )
        self._upload_id = None

    def abort(self) -> None:
        if self._upload_id is None:
            return
        try:
            self._call("abort_multipart_upload", UploadId=self._upload_id, **self._target)
        except ConnectorError as exc:  # the original failure matters more
            _log.debug("Could not abort the multipart upload: %s", exc)
        self._upload_id = None

    def _send_part(self) -> None:
        if self._upload_id is None:
            created = self._call(
                "create_multipart_upload", ContentType=self._content_type, **self._target
            )
            self._upload_id = str(created["UploadId"])
        number = len(self._parts) + 1
        body, self._buffer = self._buffer, bytearray()  # handed over, not copied
        answer = self._call(
            "upload_part", UploadId=self._upload_id, PartNumber=number, Body=body, **self._target
        )
        self._parts.append({"PartNumber": number, "ETag": answer["ETag"]})


# --- checks ---------------------------------------------------------------------------


def _check_bucket(bucket: str) -> str:
    if not isinstance(bucket, str) or not bucket or "/" in bucket or ":" in bucket:
        raise ValidationError(f"bucket must be a bucket name such as 'my-docs', not {bucket!r}")
    return bucket


def _check_key(key: str, what: str) -> str:
    if not isinstance(key, str) or not key or key.endswith("/"):
        raise ValidationError(
            f"{what} must name an object such as 'inbox/invoice.pdf' (not a folder), not {key!r}"
        )
    return key


def _check_prefix(prefix: str) -> str:
    if not isinstance(prefix, str):
        raise ValidationError(f"prefix must be a string such as 'results/', not {prefix!r}")
    return prefix


def _split_destination(output_prefix: str, default_bucket: str) -> tuple[str, str]:
    """``"out/"`` → (the input's bucket, ``"out/"``); ``"s3://b/out"`` → (``"b"``, ``"out/"``)."""
    bucket, prefix = default_bucket, _check_prefix(output_prefix)
    if prefix.startswith("s3://"):
        bucket, _, prefix = prefix[len("s3://") :].partition("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return _check_bucket(bucket), prefix
