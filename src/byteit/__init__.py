"""byteit: the Python client for ByteIT document text extraction.

Example:
    >>> from byteit import ByteITClient
    >>> with ByteITClient() as client:
    ...     text = client.process_document("report.pdf")
"""

import typing as _typing

from byteit import _log
from byteit._batch._results import ItemResult
from byteit._batch._scheduler import BatchStats
from byteit._clients._async_client import AsyncByteITClient
from byteit._clients._sync_client import ByteITClient
from byteit.connectors import (
    ByteITStorageOutputConnector,
    BytesInputConnector,
    InputConnector,
    LocalFileInputConnector,
    LocalFileOutputConnector,
    OutputConnector,
    S3InputConnector,
    S3OutputConnector,
)
from byteit.exceptions import (
    APIKeyError,
    AuthenticationError,
    BatchError,
    ByteITError,
    ConnectorError,
    JobProcessingError,
    JobTimeoutError,
    NetworkError,
    RateLimitError,
    ResourceNotFoundError,
    ResultNotReadyError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from byteit.models import Job, JobList, JobMetadata, JobStatus
from byteit.options import ProcessingOptions
from byteit.polling import PollSchedule
from byteit.retry import RetryPolicy

__version__ = "0.1.0"

_log.configure_from_env()  # BYTEIT_LOG=debug|info: see byteit._log

__all__ = [
    "APIKeyError",
    "AsyncByteITClient",
    "AuthenticationError",
    "BatchError",
    "BatchStats",
    "ByteITClient",
    "ByteITError",
    "ByteITStorageOutputConnector",
    "BytesInputConnector",
    "ConnectorError",
    "InputConnector",
    "ItemResult",
    "Job",
    "JobList",
    "JobMetadata",
    "JobProcessingError",
    "JobStatus",
    "JobTimeoutError",
    "LocalFileInputConnector",
    "LocalFileOutputConnector",
    "NetworkError",
    "OutputConnector",
    "PollSchedule",
    "ProcessingOptions",
    "RateLimitError",
    "ResourceNotFoundError",
    "ResultNotReadyError",
    "RetryPolicy",
    "S3InputConnector",
    "S3OutputConnector",
    "ServerError",
    "UnexpectedResponseError",
    "ValidationError",
    "__version__",
]


def _show_as_public(obj: _typing.Any) -> None:
    """Make `obj` show as ``byteit.<name>``, first resolving its class annotations where
    they were written: typing looks string annotations up in ``sys.modules[__module__]``."""
    own = vars(obj).get("__annotations__")
    if own:
        hints = _typing.get_type_hints(obj, include_extras=True)
        obj.__annotations__ = {name: hints[name] for name in own}
    obj.__module__ = __name__


# Reprs, tracebacks, pickles and docs then name the path users import from: byteit.Job.
for _name in __all__:
    if _name != "__version__":
        _show_as_public(globals()[_name])
del _name
