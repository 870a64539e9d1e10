"""The I/O primitives each client runs on, under the same names.

- on the event loop, blocking work in worker threads: `_async`;
- in the calling thread: `_sync`.
"""
