"""Every error `byteit` raises, under one root.

::

    ByteITError                    root: catch this to catch everything
    ├── APIKeyError                no API key, a malformed key, or HTTP 403
    ├── AuthenticationError        HTTP 401: the key was rejected
    ├── ValidationError            HTTP 400, and every local check of your input
    ├── ResourceNotFoundError      HTTP 404: no such job or schema
    ├── RateLimitError             HTTP 429; ``retry_after`` in seconds
    ├── ServerError                HTTP 5xx
    ├── NetworkError               connection failures and timeouts
    ├── UnexpectedResponseError    a status or body the API does not define
    ├── JobProcessingError         the job failed on the server
    │   └── ResultNotReadyError    the result was asked for before the job finished
    ├── JobTimeoutError            waiting for a job took longer than allowed
    ├── ExtractionValidationError  extracted data does not match its schema
    ├── BudgetExceededError        a batch's max_credits was reached before this item
    ├── ConnectorError             an input or output connector failed
    └── BatchError                 some items of a batch failed; ``results`` has all

Errors that come from an HTTP answer carry ``status_code``, the parsed ``body``
and the server's ``request_id`` when it sent one. No message ever contains the
API key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from byteit._batch._results import ItemResult

__all__ = [
    "APIKeyError",
    "AuthenticationError",
    "BatchError",
    "BudgetExceededError",
    "ByteITError",
    "ConnectorError",
    "ExtractionValidationError",
    "JobProcessingError",
    "JobTimeoutError",
    "NetworkError",
    "RateLimitError",
    "ResourceNotFoundError",
    "ResultNotReadyError",
    "ServerError",
    "UnexpectedResponseError",
    "ValidationError",
]


class ByteITError(Exception):
    """The root of every error raised by `byteit`.

    Attributes:
        message: What happened and what to do about it.
        status_code: The HTTP status, when the error comes from an answer.
        body: The answer's parsed JSON body, or its text when it was not JSON.
        request_id: The server's request id, to quote when reporting a problem.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body: Any = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.request_id = request_id

    def __str__(self) -> str:
        if self.request_id:
            return f"{self.message} [request id: {self.request_id}]"
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status_code={self.status_code!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its attributes, not by calling __init__ again: subclasses take
        # required keyword-only fields that BaseException's pickling would not pass.
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[ByteITError], args: tuple[Any, ...]) -> ByteITError:
    error = cls.__new__(cls, *args)
    Exception.__init__(error, *args)
    return error


class APIKeyError(ByteITError):
    """No API key was given, the key is malformed, or the key may not do this (403)."""


class AuthenticationError(ByteITError):
    """The server rejected the API key (401)."""


class ValidationError(ByteITError, ValueError):
    """The input is invalid: found locally before any request, or by the server (400)."""


class ResourceNotFoundError(ByteITError):
    """No such job or schema for this key (404)."""


class RateLimitError(ByteITError):
    """Too many requests (429).

    Attributes:
        retry_after: Seconds the server asked to wait, when it said.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ByteITError):
    """The server failed (5xx)."""


class NetworkError(ByteITError):
    """The server could not be reached, or the connection failed or timed out."""


class UnexpectedResponseError(ByteITError):
    """The server answered with a status or a body the API does not define."""


class JobProcessingError(ByteITError):
    """The job failed on the server.

    Attributes:
        job_id: The job's id.
        processing_error: The server's explanation, when it gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        job_id: str,
        processing_error: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.job_id = job_id
        self.processing_error = processing_error


class ResultNotReadyError(JobProcessingError):
    """The result was asked for before the job finished; wait for the job first.

    Attributes:
        processing_status: The job's status as the answer gave it, when it did.
    """

    def __init__(
        self, message: str, *, job_id: str, processing_status: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, job_id=job_id, **kwargs)
        self.processing_status = processing_status


class JobTimeoutError(ByteITError, TimeoutError):
    """Waiting for a job took longer than allowed.

    Attributes:
        job_id: The job that was still running.
        waited: Seconds waited.
    """

    def __init__(self, message: str, *, job_id: str, waited: float) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.waited = waited


class ExtractionValidationError(ByteITError):
    """The service's extracted data does not match the schema it was asked to fill.

    Nothing is re-asked (each extraction costs credits): ``raw`` is what came back.

    Attributes:
        raw: The service's data, as it sent it.
        job_id: The extract (or custom) job that produced it.
        errors: What did not match: pydantic's errors for a model, or for a JSON
            Schema dict one ``{"loc", "msg", "type"}`` dict per failure.
    """

    def __init__(
        self, message: str, *, raw: Any, job_id: str, errors: Sequence[Any], **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.raw = raw
        self.job_id = job_id
        self.errors = list(errors)


class BudgetExceededError(ByteITError):
    """A batch's ``max_credits`` was reached, so this item's job was never created.

    Run the same call again with its state file and a higher cap: only the items
    that got this error are processed.

    Attributes:
        max_credits: The cap.
        spent: Credits spent by the batch when this item was turned away.
    """

    def __init__(self, message: str, *, max_credits: float, spent: float) -> None:
        super().__init__(message)
        self.max_credits = max_credits
        self.spent = spent


class ConnectorError(ByteITError):
    """An input or output connector failed (reading a source, writing a result)."""


class BatchError(ByteITError):
    """Some items of a batch failed.

    Attributes:
        results: One result per input, in input order: successes and failures alike.
    """

    def __init__(self, message: str, *, results: Sequence[ItemResult[Any]]) -> None:
        super().__init__(message)
        self.results = list(results)

    @property
    def failures(self) -> list[ItemResult[Any]]:
        """The items that failed, in input order."""
        return [r for r in self.results if not r.ok]
