"""Connectors: where documents come from and where results go.

- `LocalFileInputConnector`: a file on disk, streamed as it uploads.
- `BytesInputConnector`: bytes in memory, or an open binary file.
- `ByteITStorageOutputConnector`: keep the result with ByteIT (the default).
- `LocalFileOutputConnector`: write the result to a local file or folder.
"""

from byteit.connectors.base import InputConnector, OutputConnector, ResultSink
from byteit.connectors.local import LocalFileInputConnector, LocalFileOutputConnector
from byteit.connectors.memory import BytesInputConnector
from byteit.connectors.storage import ByteITStorageOutputConnector

__all__ = [
    "ByteITStorageOutputConnector",
    "BytesInputConnector",
    "InputConnector",
    "LocalFileInputConnector",
    "LocalFileOutputConnector",
    "OutputConnector",
    "ResultSink",
]
