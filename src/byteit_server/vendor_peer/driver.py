"""Drives the vendor's ``byteit`` 1.3.0 client: a script for its own venv's Python.

Usage: ``python -I driver.py COMMAND ARGUMENTS_JSON ANSWER_PATH``. It imports
only the standard library, pydantic and the vendor's ``byteit`` (never this
project's), points ``ByteITClient.BASE_URL`` at ``arguments["base_url"]``,
runs ``COMMAND`` and writes its answer as JSON to ``ANSWER_PATH`` (the vendor's
client prints to stdout). Before the client is imported, every connection and
name lookup beyond the loopback address is refused and listed in the answer's
``blocked``. Commands:

- ``compat``: extract, custom jobs and saved schemas, as a vendor user calls them;
- ``probe``: tries to reach 192.0.2.1 (TEST-NET-1), to show the guard works;
- ``batch``: ``parse_async`` of a list of files, then the client's own waiting
  (``_wait_for_completion``, what ``parse`` uses) and a download, job by job;
- ``loop``: ``parse`` of each file in turn.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import socket
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

BLOCKED: list[str] = []
Answer = dict[str, Any]


def guard_network() -> None:
    """Refuse (and record) every connection or lookup of a host that is not loopback."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            BLOCKED.append(f"{address[0]}:{address[1]}")
            raise ConnectionRefusedError(f"blocked: {address[0]} is not a loopback address")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            BLOCKED.append(str(host))
            raise socket.gaierror(f"blocked: {host!r} is not a loopback address")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo


def _is_loopback(host: Any) -> bool:
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def open_client(arguments: Answer) -> tuple[Any, Any]:
    """The vendor's module and a client of ``arguments["base_url"]``."""
    byteit: Any = importlib.import_module("byteit")
    byteit.ByteITClient.BASE_URL = arguments["base_url"]
    cap = arguments.get("max_sleep")
    if cap is not None:  # tests only: the client's waits shortened to `cap` seconds
        short = types.SimpleNamespace(**vars(time))
        short.sleep = lambda seconds: time.sleep(min(seconds, cap))
        for name in ("byteit._polling", "byteit.progress", "byteit.ByteITClient"):
            vars(importlib.import_module(name))["time"] = short
    return byteit, byteit.ByteITClient(arguments["api_key"], **arguments.get("options", {}))


def count_requests() -> list[int]:
    """Count every HTTP request the vendor's client sends (through requests' Session)."""
    requests: Any = importlib.import_module("requests")
    counter, send = [0], requests.Session.send

    def counted(self: Any, request: Any, **kwargs: Any) -> Any:
        counter[0] += 1
        return send(self, request, **kwargs)

    requests.Session.send = counted
    return counter


# Compatibility ----------------------------------------------------------------------


def compat(arguments: Answer) -> Answer:
    """Extract, custom jobs and saved schemas through the vendor's public calls."""
    byteit, client = open_client(arguments)
    invoice_model = _invoice_model(byteit)
    job = client.parse_async(arguments["invoice"])
    _wait(client, job.id)
    answer: Answer = {"parse_txt": client.parse(arguments["notes"]).decode()}
    answer.update(_extract(client, job.id, invoice_model))
    answer.update(_saved_schemas(byteit, client, job.id, invoice_model))
    answer.update(_custom_jobs(client, arguments, invoice_model))
    return answer


def _extract(client: Any, parse_job_id: str, model: Any) -> Answer:
    result = client.extract(parse_job_id, model)
    model.model_validate(result)
    low = client.extract(parse_job_id, {"type": "object", "properties": {
        "customer": {"type": "string"}}}, extraction_complexity="low")  # fmt: skip
    jobs = client.get_extract_jobs()
    details = client.get_extract_job_details(jobs.jobs[0].id)
    return {
        "extract": result, "extract_low": low, "extract_jobs_count": jobs.count,
        "extract_details": [details.input_job_id, details.extraction_complexity,
                            details.processing_status, details.credits_cost],
        "extract_result_again": client.get_extract_job_result(details.id),
    }  # fmt: skip


def _saved_schemas(byteit: Any, client: Any, parse_job_id: str, model: Any) -> Answer:
    name = "team/invoice v1"
    saved = client.save_schema(name, model)
    again = client.save_schema(name, model)
    try:
        client.save_schema(name, {"type": "object", "properties": {"x": {"type": "string"}}})
        conflict = "saved"
    except byteit.ValidationError as exc:
        conflict = str(exc)
    fetched = client.get_saved_schema(name)
    extracted = client.extract(parse_job_id, fetched)
    names = [schema.name for schema in client.get_saved_schemas().schemas]
    client.delete_saved_schema(name)
    try:
        client.get_saved_schema(name)
        after_delete = "still there"
    except byteit.ResourceNotFoundError:
        after_delete = "not found"
    return {
        "schema_saved": [saved.name, saved.schema_json == again.schema_json == fetched.schema_json],
        "schema_conflict": conflict, "schema_names": names, "schema_extract": extracted,
        "schema_after_delete": after_delete,
    }  # fmt: skip


def _custom_jobs(client: Any, arguments: Answer, model: Any) -> Answer:
    files = [arguments["invoice"], arguments["notes"]]
    shorthand = client.custom_job(arguments["invoice"], schema={"invoice_number": "string"})
    with_schema = client.custom_job(files, schema=model, user_prompt="Read it", nickname="march")
    model.model_validate(with_schema)
    markdown = client.custom_job([arguments["notes"]], user_prompt="Summarise the notes")
    later = client.custom_job_async(arguments["notes"], nickname="later")
    _wait(client, later.id)
    listed = client.get_custom_jobs()
    older = client.get_custom_jobs(before=listed.jobs[0].created_at)
    march = next(job for job in listed.jobs if job.nickname == "march")
    return {
        "custom_shorthand": shorthand, "custom_with_schema": with_schema,
        "custom_markdown": markdown,
        "custom_later": client.get_custom_job_result(later.id),
        "custom_nicknames": [job.nickname for job in listed.jobs],
        "custom_older_nicknames": [job.nickname for job in older.jobs],
        "custom_march": [march.file_names, march.document_types, march.credits_cost,
                         march.total_page_count],
    }  # fmt: skip


def _invoice_model(byteit: Any) -> Any:
    """An ``Invoice`` as a vendor user writes it: ``ExtractionSchema`` subclasses."""
    pydantic: Any = importlib.import_module("pydantic")
    field, make, base = pydantic.Field, pydantic.create_model, byteit.ExtractionSchema
    text, number = (str | None, None), (float | None, None)
    party = make("Party", __base__=base, name=text, address=text)
    item = make("LineItem", __base__=base, description=text, quantity=(int | None, None),
                unit_price=number, amount=number)  # fmt: skip
    return make(
        "Invoice", __base__=base,
        number=(str | None, field(None, description="Invoice number")),
        date=(str | None, field(None, description="Invoice date")),
        vendor=(party | None, None), customer=(party | None, None),
        total=(float | None, field(None, description="Total amount due")),
        line_items=(list[item] | None, None),  # type: ignore[valid-type]
    )  # fmt: skip


def _wait(client: Any, job_id: str, deadline: float = 120.0) -> None:
    """Poll the light status every 20 ms, as a vendor user's own loop would."""
    give_up = time.monotonic() + deadline
    while not client.get_job_status(job_id).is_completed:
        if time.monotonic() > give_up:
            raise TimeoutError(f"job {job_id} not completed after {deadline} s")
        time.sleep(0.02)


# Guard check and benchmarks -----------------------------------------------------------


def probe(arguments: Answer) -> Answer:
    """Try to reach a host beyond loopback, directly and through the vendor's client."""
    outcomes = []
    try:
        socket.create_connection(("192.0.2.1", 80), timeout=1).close()
    except OSError as exc:
        outcomes.append(type(exc).__name__)
    _, client = open_client({**arguments, "base_url": "http://192.0.2.1:9"})
    try:
        client.get_parse_jobs()
    except Exception as exc:  # any failure will do: the guard is what is tested
        outcomes.append(type(exc).__name__)
    return {"outcomes": outcomes}


def batch(arguments: Answer) -> Answer:
    """``parse_async`` of every file at once, then the client's own waiting, job by job."""
    _, client = open_client(arguments)
    requests, start = count_requests(), time.perf_counter()
    jobs = client.parse_async([Path(path) for path in arguments["paths"]])
    texts, first = [], None
    for job in jobs:
        client._wait_for_completion(job.id)  # the waiting parse() uses
        texts.append(client.get_parse_job_result(job.id, result_format="txt").decode())
        first = first if first is not None else time.perf_counter() - start
    return _timed(start, first, texts, requests)


def loop(arguments: Answer) -> Answer:
    """``parse`` of each file in turn."""
    _, client = open_client(arguments)
    requests, start = count_requests(), time.perf_counter()
    texts, first = [], None
    for path in arguments["paths"]:
        texts.append(client.parse(path, output_format="txt").decode())
        first = first if first is not None else time.perf_counter() - start
    return _timed(start, first, texts, requests)


def _timed(start: float, first: float | None, texts: list[str], requests: list[int]) -> Answer:
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "first_result": first, "texts": texts, "requests": requests[0]}


COMMANDS: dict[str, Callable[[Answer], Answer]] = {
    "compat": compat, "probe": probe, "batch": batch, "loop": loop,
}  # fmt: skip


def main(argv: list[str]) -> int:
    """Run the command named in ``argv``; write its answer, with ``blocked``."""
    command, arguments, answer_path = argv[1], json.loads(argv[2]), Path(argv[3])
    guard_network()
    answer = COMMANDS[command](arguments)
    answer["blocked"] = BLOCKED
    answer_path.write_text(json.dumps(answer, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
