"""Where a finished job's result goes, and writing it safely.

- where results land on the local disk, checked before anything is sent (a
  folder's naming rule, no two results to one file, none over a document): `_places`;
- which destination (a path, a connector, the service, memory): `_destination`;
- streaming into memory or a file, and the ``Content-Disposition`` name: `_sinks`;
- whole or not at all (temporary name, then rename), and clearing the temporary
  files an interrupted write left: `_atomic`.
"""
