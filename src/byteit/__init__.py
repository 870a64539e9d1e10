"""byteit: the Python client for ByteIT document text extraction.

Example:
    >>> from byteit import ByteITClient
    >>> with ByteITClient() as client:
    ...     text = client.process_document("report.pdf")

`import byteit` loads only the logger and the exceptions. Every other public name
(PEP 562) and public module is imported the first time it is asked for, so that a
program pays for pydantic, the generated layer and the batch engine only when it
uses them.
"""

import importlib as _importlib
import sys as _sys
import typing as _typing

from byteit import _log
from byteit import exceptions as exceptions  # light, and raised errors then show as byteit.X

if _typing.TYPE_CHECKING:
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
        BudgetExceededError,
        ByteITError,
        ConnectorError,
        ExtractionValidationError,
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
    from byteit.models import (
        CustomJob,
        Extraction,
        ExtractJob,
        Job,
        JobList,
        JobMetadata,
        JobStatus,
        SavedSchema,
    )
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
    "BudgetExceededError",
    "ByteITClient",
    "ByteITError",
    "ByteITStorageOutputConnector",
    "BytesInputConnector",
    "ConnectorError",
    "CustomJob",
    "ExtractJob",
    "Extraction",
    "ExtractionValidationError",
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
    "SavedSchema",
    "ServerError",
    "UnexpectedResponseError",
    "ValidationError",
    "__version__",
]

# Where each exported name is defined; the module is imported on first access.
_HOMES = {
    "ItemResult": "byteit._batch._results",
    "BatchStats": "byteit._batch._scheduler",
    "AsyncByteITClient": "byteit._clients._async_client",
    "ByteITClient": "byteit._clients._sync_client",
    **dict.fromkeys(
        (
            "ByteITStorageOutputConnector",
            "BytesInputConnector",
            "InputConnector",
            "LocalFileInputConnector",
            "LocalFileOutputConnector",
            "OutputConnector",
            "S3InputConnector",
            "S3OutputConnector",
        ),
        "byteit.connectors",
    ),
    **dict.fromkeys(exceptions.__all__, "byteit.exceptions"),  # loaded already, and light
    **dict.fromkeys(
        (
            "CustomJob",
            "ExtractJob",
            "Extraction",
            "Job",
            "JobList",
            "JobMetadata",
            "JobStatus",
            "SavedSchema",
        ),
        "byteit.models",
    ),
    "ProcessingOptions": "byteit.options",
    "PollSchedule": "byteit.polling",
    "RetryPolicy": "byteit.retry",
}
# The public modules, reachable as attributes as when `import byteit` loaded them all.
# (`dask` and `ray` load their engine only when one of their functions runs.)
_PUBLIC_MODULES = frozenset(
    {
        "connectors",
        "dask",
        "distributed",
        "exceptions",
        "models",
        "options",
        "polling",
        "ray",
        "retry",
    }
)


def _show_as_public(obj: _typing.Any) -> None:
    """Make `obj` show as ``byteit.<name>``, first resolving its class annotations where
    they were written: typing looks string annotations up in ``sys.modules[__module__]``."""
    own = vars(obj).get("__annotations__")
    if own:
        hints = _typing.get_type_hints(obj, include_extras=True)
        obj.__annotations__ = {name: hints[name] for name in own}
    obj.__module__ = __name__


def _publish_loaded() -> None:
    """Bind and re-home every exported name whose module is already imported, so that
    reprs, tracebacks, pickles and docs name the path users import from: byteit.Job."""
    here = globals()
    for name, home in _HOMES.items():
        if name not in here and home in _sys.modules:
            obj = getattr(_sys.modules[home], name)
            _show_as_public(obj)
            here[name] = obj


if not _typing.TYPE_CHECKING:  # typing sees the imports above, not a catch-all

    def __getattr__(name: str) -> _typing.Any:
        if name in _PUBLIC_MODULES:
            return _importlib.import_module(f"{__name__}.{name}")
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        _importlib.import_module(home)
        _publish_loaded()
        return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _PUBLIC_MODULES)


_publish_loaded()
