"""Streams between S3 and the client: an object read for upload, a result written up."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, cast

from typing_extensions import Buffer

from byteit._contract import RESULT_CONTENT_TYPES
from byteit._log import get_logger
from byteit.connectors._s3_access import S3Access
from byteit.connectors.base import ResultSink
from byteit.exceptions import ConnectorError

_log = get_logger("connectors.s3")
PART_SIZE = 8 * 1024 * 1024  # S3 parts are at least 5 MiB; memory holds about one
READ_SIZE = 64 * 1024


class ObjectReader(io.RawIOBase):
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


class S3Sink(ResultSink):
    """One S3 object, written only when the download completes."""

    def __init__(self, access: S3Access, bucket: str, key: str, output_format: str) -> None:
        self._access = access
        self._bucket = bucket
        self._key = key
        self._content_type = RESULT_CONTENT_TYPES.get(output_format, "application/octet-stream")

    @property
    def location(self) -> str:
        return f"s3://{self._bucket}/{self._key}"

    @property
    def blocking(self) -> bool:
        return True

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        upload = PartUpload(self._call, self._bucket, self._key, self._content_type)
        try:
            yield cast(BinaryIO, upload)  # the client only ever calls write()
            upload.commit()
        except BaseException:
            upload.abort()
            raise

    def _call(self, method: str, **params: Any) -> Any:
        return self._access.call(self.location, "write", "s3:PutObject", method, **params)


class PartUpload:
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
        if len(self._buffer) >= PART_SIZE:
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
