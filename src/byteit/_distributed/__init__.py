"""Documents processed on a cluster: the engine-neutral unit of work behind
`byteit.distributed`, `byteit.ray` and `byteit.dask`.

- what a worker is told (picklable, never a secret): `_settings`;
- rows in and out, whatever table they came as (list of dicts, pandas, pyarrow): `_rows`;
- an ``input`` value as a document, and where its result goes: `_documents`;
- one partition through the batch engine, one job per document across task retries:
  `_partition`;
- an engine's ``--workers``, for the command line: `_engines`.
"""
