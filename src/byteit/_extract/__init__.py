"""Structured extraction: what is sent as a schema, and what comes back as data.

- a pydantic model, a JSON Schema dict or a saved schema, to the schema sent
  (`_schema`: the one pydantic-to-wire transform, and the check of a dict);
- the service's data, to a validated model instance or dict (`_validate`);
- what an `extract` call is given as its source, and what it spent (`_flow`).

The HTTP calls are the clients'; this package does no I/O.
"""
