"""The batch engine behind ``process_documents`` and the list forms of the clients.

- what to send next and what each answer means: `_scheduler`;
- the requests it asks for and their typed outcomes: `_work`;
- when to poll (each job when jobs like it finish, one list for all): `_poll_plan`;
- a job polled by asking for its result, when polled job by job: `_probes`;
- how many in flight, and the shared retry budget: `_pressure`;
- what the jobs cost, and the ``max_credits`` cap: `_budget`;
- ``extract_documents``'s two stages (parse, then extract) as one batch: `_pipeline`;
- what the drivers drive (a scheduler or a pipeline): `_driven`;
- which documents travel together in one creation: `_grouping`;
- documents read, checked and keyed before any request: `_items`, `_folders`;
- a call's arguments checked, and a batch started: `_setup`;
- the state file, and where each document resumes: `_journal`, `_resume`;
- running it: threads for the sync client (`_threads`), tasks for async (`_tasks`);
- progress callbacks and the bar: `_progress`; one result per item: `_results`.
"""
