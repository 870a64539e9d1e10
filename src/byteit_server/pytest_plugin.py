"""Pytest plugin: fixtures that run a local ByteIT server (filled in by the server work)."""
