"""Jobs as the client asks for them, checked before any request.

- a document checked and encoded into a creation, and matching an answer's jobs
  to the documents sent: `_create`;
- the single and list forms of ``create_job`` and ``process_document``: `_plan`;
- the error a failed job or an exhausted wait raises: `_failures`;
- a job just created, as ``process_document`` polls it: `_fresh`.
"""
