"""The wire boundary: requests out, answers in, errors mapped.

- each API call (its request, retry safety, how its answer reads): `_operations`;
- the same for extract jobs, custom jobs and saved schemas: `_extract_operations`;
- the translation to and from the generated layer `byteit_api`: `_wire` (parse
  jobs, status) and `_extract_wire` (extract jobs, custom jobs, saved schemas);
- which status or transport failure becomes which `ByteITError`: `_errors`;
- the API key in ``X-API-Key``, never shown: `_auth`;
- where the key and the base URL come from, and the https rule: `_settings`.
"""
