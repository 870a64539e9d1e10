"""S3 access for the connectors: credentials kept out of sight, one shared client,
and botocore failures turned into `ConnectorError`s that say what to check."""

from __future__ import annotations

import threading
from typing import Any

from byteit._extras import require, require_boto3
from byteit._secret import REDACTED, Secret
from byteit.exceptions import ConnectorError, ValidationError

LIST_PAGE_SIZE = 1000
_BODYLESS = frozenset({"400", "403", "404"})  # HEAD answers carry no error code


class S3Access:
    """Credentials (never shown), region and endpoint, and one client shared by threads.

    The secret key is held in a `Secret`: no repr, message or log shows it, and an
    access holding one refuses to be pickled (see `__reduce__`).
    """

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
        for name, value in (("aws_access_key_id", key_id), ("aws_secret_access_key", secret)):
            if value is not None and not isinstance(value, str):
                raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
        self._boto3 = require_boto3()
        self.key_id = key_id
        self._secret = Secret.of(secret)
        self.region = region
        self.endpoint_url = endpoint_url
        self._client: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        shown = f"region={self.region!r}, endpoint_url={self.endpoint_url!r}"
        return shown + (", aws_secret_access_key='***'" if self._secret is not None else "")

    # Pickling is how connectors reach worker processes. Without explicit credentials
    # the access pickles (as its settings; the client is rebuilt where it is used) and
    # the worker reads S3 through boto3's default chain, as this process does. With a
    # secret key it refuses: writing the key into the pickle would put it in clear on
    # a pipe or a disk, and dropping it would leave the worker quietly using whatever
    # identity its environment holds, another account's or none.
    def __reduce__(self) -> tuple[Any, ...]:
        if self._secret is not None:
            raise TypeError(
                "an S3 connector given aws_secret_access_key is not pickled (the key would "
                "be written in clear): build the connector in the process that uses it, or "
                "give no keys so that every process uses boto3's default credentials "
                "(environment, profile, instance role)"
            )
        return S3Access, (None, None, self.region, self.endpoint_url)

    def __copy__(self) -> S3Access:
        return self  # shared, as connectors listed together share one

    def __deepcopy__(self, memo: dict[int, Any]) -> S3Access:
        return self

    @property
    def secret_key(self) -> str | None:
        """The secret access key itself: only for the one who gave it, and for S3."""
        return None if self._secret is None else self._secret.reveal()

    def check_server_side(self, server_side: bool) -> None:
        if server_side and self._secret is not None:
            raise ValidationError(
                "server_side=True takes no AWS credentials: ByteIT reaches the bucket with "
                "the IAM role registered with it (credentials are never sent to ByteIT)"
            )

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                session = self._boto3.session.Session(
                    aws_access_key_id=self.key_id,
                    aws_secret_access_key=self.secret_key,
                    region_name=self.region,
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
        errors = botocore_errors()
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
        except botocore_errors().ClientError as precise:
            return exc if _code(precise) == "InvalidRange" else precise
        if "Body" in answer:
            answer["Body"].close()
        return None

    def error(self, exc: Exception, where: str, action: str, permission: str) -> ConnectorError:
        code = _code(exc)
        advice = _advice(exc, code, permission, self.endpoint_url)
        return ConnectorError(self._scrub(f"Cannot {action} {where}: {advice}"))

    def _scrub(self, text: str) -> str:
        if self.key_id:
            text = text.replace(self.key_id, REDACTED)
        return self._secret.scrub(text) if self._secret is not None else text


def botocore_errors() -> Any:
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
    errors = botocore_errors()
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


def list_keys(access: S3Access, bucket: str, prefix: str) -> list[str]:
    where = f"s3://{bucket}/{prefix}"
    errors = botocore_errors()
    keys: list[str] = []
    try:
        paginator = access.client().get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=bucket, Prefix=prefix, PaginationConfig={"PageSize": LIST_PAGE_SIZE}
        )
        for page in pages:
            keys.extend(item["Key"] for item in page.get("Contents", []))
    except (errors.ClientError, errors.BotoCoreError) as exc:
        raise access.error(exc, where, "list", "s3:ListBucket") from exc
    return sorted(key for key in keys if not key.endswith("/"))


def check_bucket(bucket: str) -> str:
    if not isinstance(bucket, str) or not bucket or "/" in bucket or ":" in bucket:
        raise ValidationError(f"bucket must be a bucket name such as 'my-docs', not {bucket!r}")
    return bucket


def check_key(key: str, what: str) -> str:
    if not isinstance(key, str) or not key or key.endswith("/"):
        raise ValidationError(
            f"{what} must name an object such as 'inbox/invoice.pdf' (not a folder), not {key!r}"
        )
    return key


def check_prefix(prefix: str) -> str:
    if not isinstance(prefix, str):
        raise ValidationError(f"prefix must be a string such as 'results/', not {prefix!r}")
    return prefix


def split_destination(output_prefix: str, default_bucket: str) -> tuple[str, str]:
    """``"out/"`` → (the input's bucket, ``"out/"``); ``"s3://b/out"`` → (``"b"``, ``"out/"``)."""
    bucket, prefix = default_bucket, check_prefix(output_prefix)
    if prefix.startswith("s3://"):
        bucket, _, prefix = prefix[len("s3://") :].partition("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return check_bucket(bucket), prefix
