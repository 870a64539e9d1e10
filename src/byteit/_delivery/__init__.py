"""Where a finished job's result goes, and writing it safely.

- which destination (a path, a connector, the service, memory): `_destination`;
- streaming into memory or a file, and the ``Content-Disposition`` name: `_sinks`;
- whole or not at all (temporary name, then rename): `_atomic`.
"""
