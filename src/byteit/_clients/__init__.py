"""The two clients, written once.

- the methods and their sequencing (create, poll, wait, download, batch work):
  `_async_client`, by hand; `_sync_client` is generated from it by
  ``scripts/unasync.py`` and checked by ``make check-generated``;
- what a client is made of (key, base URL, timeout, retry policy, poll schedule,
  clock): `_config`;
- how each client does its I/O (threads or the event loop): `byteit._io`;
- the sequences of structured extraction, as step generators both clients drive
  (``_run_flow``): `byteit._extract`.
"""
