"""Connectors: where documents come from and where results go.

- `LocalFileInputConnector`: a file on disk, streamed as it uploads.
- `BytesInputConnector`: bytes in memory, or an open binary file.
- `ByteITStorageOutputConnector`: keep the result with ByteIT (the default).
- `LocalFileOutputConnector`: write the result to a local file or folder.
- `S3InputConnector`, `S3OutputConnector`: S3 objects, streamed by the client or
  (``server_side=True``) read and written by the service itself (the `s3` extra).
"""

from byteit.connectors.base import InputConnector, OutputConnector, ResultSink
from byteit.connectors.local import LocalFileInputConnector, LocalFileOutputConnector
from byteit.connectors.memory import BytesInputConnector
from byteit.connectors.s3 import (
    S3InputConnector,
    S3OutputConnector,
    mirror_output,
    s3_prefix_inputs,
)
from byteit.connectors.storage import ByteITStorageOutputConnector

__all__ = [
    "ByteITStorageOutputConnector",
    "BytesInputConnector",
    "InputConnector",
    "LocalFileInputConnector",
    "LocalFileOutputConnector",
    "OutputConnector",
    "ResultSink",
    "S3InputConnector",
    "S3OutputConnector",
    "mirror_output",
    "s3_prefix_inputs",
]
