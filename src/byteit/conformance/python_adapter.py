"""The conformance adapter of this package's client: one JSON line in, one out.

Run as ``python -m byteit.conformance.python_adapter``. It is also the example
for other languages: every time constant of the request's ``timing`` goes to a
public knob of the client (`RetryPolicy`, `PollSchedule`, ``timeout``,
``max_wait_time``), and errors are reported by their class name with the
fields the error tree gives them. Its log goes to stderr at DEBUG, where the
runner checks that the API key never shows.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from byteit import ByteITClient, ByteITError, PollSchedule, RetryPolicy
from byteit._log import log_to_stderr
from byteit.models import Job

_FIELDS = ("status_code", "request_id", "retry_after", "job_id", "processing_error", "waited")


def make_client(request: Mapping[str, Any]) -> ByteITClient:
    timing = request["timing"]
    policy = RetryPolicy(
        max_retries=int(timing["max_retries"]),
        base_delay=timing["backoff_base"],
        max_delay=timing["backoff_max"],
        max_retry_after=timing["retry_after_cap"],
        deadline=timing["deadline"],
    )
    schedule = PollSchedule(
        initial=timing["poll_initial"], factor=timing["poll_factor"], maximum=timing["poll_max"]
    )
    return ByteITClient(
        request["api_key"],
        base_url=request["base_url"],
        timeout=timing["request_timeout"],
        retry_policy=policy,
        poll_schedule=schedule,
    )


def _document(request: Mapping[str, Any], document: Mapping[str, str]) -> Path:
    """The document written into the workdir, to be sent from there."""
    folder = Path(request["workdir"]) / "documents"
    folder.mkdir(exist_ok=True)
    path = folder / document["name"]
    path.write_text(document["content"], encoding="utf-8")
    return path


def _job(job: Job) -> dict[str, Any]:
    return {"job_id": job.id, "processing_status": job.processing_status}


def _content(result: bytes | str) -> dict[str, Any]:
    """The text a result call gave back, or the file it wrote and that file's text."""
    if isinstance(result, bytes):
        return {"content": result.decode("utf-8", "replace")}
    path = Path(result)
    return {"file": path.name, "content": path.read_text(encoding="utf-8")}


def _create(client: ByteITClient, request: Mapping[str, Any], args: Mapping[str, Any]) -> Any:
    job = client.create_job(
        str(_document(request, args["document"])),
        processing_options=_options(args),
        idempotency_key=args.get("idempotency_key"),
    )
    assert isinstance(job, Job)
    return _job(job)


def _wait(client: ByteITClient, request: Mapping[str, Any], args: Mapping[str, Any]) -> Any:
    max_wait = request["timing"]["max_wait_time"]
    return _job(client.wait_for_job(args["job_id"], max_wait_time=max_wait))


def _get_result(client: ByteITClient, request: Mapping[str, Any], args: Mapping[str, Any]) -> Any:
    folder = request["output_dir"] + "/" if args.get("to_folder") else None
    result = client.get_job_result(
        args["job_id"], output_path=folder, output_format=args.get("output_format")
    )
    return _content(result)


def _process_document(
    client: ByteITClient, request: Mapping[str, Any], args: Mapping[str, Any]
) -> Any:
    result = client.process_document(
        str(_document(request, args["document"])),
        processing_options=_options(args),
        max_wait_time=request["timing"]["max_wait_time"],
    )
    assert not isinstance(result, list)
    return _content(result)


def _process_documents(
    client: ByteITClient, request: Mapping[str, Any], args: Mapping[str, Any]
) -> Any:
    paths = [str(_document(request, document)) for document in args["documents"]]
    state = Path(request["workdir"]) / "batch.state" if args.get("state_file") else None
    results = client.process_documents(
        paths,
        processing_options=_options(args),
        on_error="return",
        state_file=state,
        max_wait_time=request["timing"]["max_wait_time"],
    )
    items = []
    for item in results:
        if item.ok:
            assert item.value is not None
            items.append({"ok": True, **_content(item.value)})
        else:
            assert item.error is not None
            items.append({"ok": False, **error_answer(item.error)})
    return {"items": items}


def _options(args: Mapping[str, Any]) -> dict[str, Any] | None:
    return {"output_format": args["output_format"]} if "output_format" in args else None


Operation = Callable[[ByteITClient, Mapping[str, Any], Mapping[str, Any]], Any]
OPERATIONS: dict[str, Operation] = {
    "create": _create,
    "get_job": lambda client, _req, args: _job(client.get_job(args["job_id"])),
    "get_status": lambda client, _req, args: _status(client, args),
    "wait": _wait,
    "get_result": _get_result,
    "process_document": _process_document,
    "process_documents": _process_documents,
}


def _status(client: ByteITClient, args: Mapping[str, Any]) -> dict[str, Any]:
    status = client.get_job_status(args["job_id"])
    return {"processing_status": status.processing_status, "progress": status.progress}


def error_answer(error: BaseException) -> dict[str, Any]:
    """An error as the adapter protocol reports it: its kind and its fields."""
    fields = {"message": str(error)}
    fields.update({name: getattr(error, name) for name in _FIELDS if hasattr(error, name)})
    return {"error_kind": type(error).__name__, "fields": fields}


def answer(request: Mapping[str, Any]) -> dict[str, Any]:
    """The adapter's answer to one request."""
    operation = OPERATIONS.get(request["operation"])
    if operation is None:
        return {"unsupported": f"operation {request['operation']!r}"}
    try:
        with make_client(request) as client:
            return {"value": operation(client, request, request.get("arguments", {}))}
    except ByteITError as error:
        return error_answer(error)


def main() -> int:
    log_to_stderr(logging.DEBUG)
    request = json.loads(sys.stdin.readline())
    print(json.dumps(answer(request), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
