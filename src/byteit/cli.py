"""The `byteit` command: extract documents, inspect jobs, run the local server."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

import attrs

from byteit import _cli_structured as _structured
from byteit._batch._budget import Credits
from byteit._batch._folders import expand_inputs
from byteit._batch._results import ItemResult
from byteit._batch._scheduler import BatchStats
from byteit._checks import EXTRACTION_COMPLEXITIES
from byteit._clients._sync_client import ByteITClient
from byteit._contract import OUTPUT_FORMATS
from byteit._distributed._engines import ENGINES, extract_on_engine, input_root
from byteit._distributed._settings import WorkerSettings
from byteit._extras import require, require_server
from byteit.conformance._options import add_arguments as add_conformance_arguments
from byteit.conformance._options import add_serve_arguments as add_conformance_serve_arguments
from byteit.connectors import LocalFileOutputConnector
from byteit.distributed import plan_run
from byteit.exceptions import ByteITError
from byteit.options import ProcessingOptions

__all__ = ["main"]

# How much `extract` says on stderr: failures always; the summary unless quiet; each file
# written when verbose. Results printed on stdout are the output, never chatter.
QUIET, NORMAL, VERBOSE = -1, 0, 1

EPILOG = """\
examples:
  byteit extract report.pdf                      print the text of one document
  byteit extract docs/ -o out/ --format md       a folder, as Markdown files in out/
  byteit extract docs/ -o out/ -q                for scripts: failures only; the exit status tells
  byteit extract samples/ --local                no account: an embedded local server
  byteit extract docs/ --schema models.py:Invoice -o out/
                                                 structured data: out/<name>.extract.json
  byteit schemas save invoice models.py:Invoice  save a schema; list, get and delete too
  byteit extract docs/ -o out/ --engine dask --workers 4   on a Dask cluster (or ray)
  byteit jobs list                               your jobs, newest first
  byteit serve --port 8000                       run the local ByteIT-compatible server
  byteit conformance run --client "node a.mjs"   judge another client by the behaviour spec

The API key comes from --api-key or BYTEIT_API_KEY, the service from --base-url or
BYTEIT_BASE_URL (default https://byteit.ai). With --local neither is needed.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 a failure, 2 bad usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except ByteITError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="byteit",
        description="Extract text from documents with ByteIT.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_extract(commands)
    _add_jobs(commands)
    _structured.add_schemas(commands, _connection_options, _schemas)
    _add_serve(commands)
    _add_conformance(commands)
    return parser


def _connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--api-key", help="API key (default: $BYTEIT_API_KEY)")
    group.add_argument("--base-url", help="service URL (default: $BYTEIT_BASE_URL or byteit.ai)")
    group.add_argument(
        "--local",
        action="store_true",
        help="start an embedded local server on 127.0.0.1 and use it (no account needed)",
    )


def _add_extract(commands: Any) -> None:
    parser = commands.add_parser(
        "extract",
        help="extract text from files and folders",
        description="Extract text from documents. Folders are walked recursively "
        "(hidden files are left out). Every document that fails is named with its reason, "
        "then a summary line follows; the exit status is 1 if any failed.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="a folder for the results (mirroring the inputs), or a file for one "
        "document; without it, results are printed",
    )
    parser.add_argument("--format", choices=OUTPUT_FORMATS, default="txt", help="result format")
    parser.add_argument(
        "--schema",
        help="extract structured data instead of text: models.py:Model (a pydantic model), "
        "a JSON Schema file, or a saved schema's name; writes <name>.extract.json files",
    )
    parser.add_argument(
        "--complexity", choices=EXTRACTION_COMPLEXITIES, default="medium", help="with --schema"
    )
    parser.add_argument("--concurrency", type=int, default=64, help="documents in flight at most")
    parser.add_argument("--language", action="append", help="document language (repeatable)")
    parser.add_argument("--page-range", default="", help="pages, e.g. 1-5 or 1,3,5-10")
    parser.add_argument("--max-wait", type=float, default=600, help="seconds per document")
    parser.add_argument(
        "--split-pages",
        type=_split_pages,
        metavar="N|auto",
        help="send PDFs of more than N pages as jobs of N pages run at once, merged into "
        "one result ('auto': PDFs over 10 MB, 50 pages a job); needs byteit[pdf]",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=VERBOSE,
        default=NORMAL,
        help="also list every file written",
    )
    verbosity.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=QUIET,
        help="print only failures: no progress bar and, on success, nothing on stderr",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        help="record the run in this file; after a crash or Ctrl-C, the same command "
        "resumes it without sending any document twice",
    )
    _engine_options(parser)
    _connection_options(parser)
    parser.set_defaults(handler=_extract)


def _engine_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("past one machine (see the README)")
    group.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="run the documents on Dask or Ray (needs byteit[dask] or byteit[ray])",
    )
    group.add_argument(
        "--workers", type=int, default=2, help="Dask worker processes or Ray actors (default 2)"
    )
    group.add_argument(
        "--run-name",
        default="extract",
        help="names the run: the same command run again makes no second job (default: extract)",
    )


def _add_jobs(commands: Any) -> None:
    parser = commands.add_parser("jobs", help="list and inspect jobs")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="your jobs, newest first")
    _connection_options(listing)
    listing.set_defaults(handler=_jobs_list)
    get = actions.add_parser("get", help="one job, as JSON")
    get.add_argument("job_id")
    _connection_options(get)
    get.set_defaults(handler=_jobs_get)
    result = actions.add_parser("result", help="download a job's result")
    result.add_argument("job_id")
    result.add_argument("-o", "--output", type=Path, help="file or folder (default: stdout)")
    result.add_argument("--format", choices=OUTPUT_FORMATS, help="default: the job's own format")
    _connection_options(result)
    result.set_defaults(handler=_jobs_result)


def _add_serve(commands: Any) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the local ByteIT-compatible server",
        description="Run the local ByteIT-compatible server (needs: pip install 'byteit[server]').",
    )
    try:
        require_server().add_serve_arguments(parser)
    except ImportError as exc:
        message = str(exc)
        parser.set_defaults(handler=lambda _args: _missing_extra(message))
        return
    parser.set_defaults(handler=_serve)


def _add_conformance(commands: Any) -> None:
    parser = commands.add_parser(
        "conformance", help="judge a ByteIT client by the behaviour spec's scenarios"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser(
        "run",
        help="run the scenarios against a client's adapter",
        description="Play each scenario of conformance/scenarios on a scripted server and "
        "judge the client driven through its adapter (docs/client-behaviour.md). "
        "Needs: pip install 'byteit[conformance]'.",
    )
    add_conformance_arguments(run)
    run.set_defaults(handler=lambda args: _conformance(args).run_command(args))
    serve = actions.add_parser(
        "serve",
        help="play one scenario's script on 127.0.0.1 until Ctrl-C",
        description="Print the adapter request(s) of one scenario, serve its script on "
        "127.0.0.1 until Ctrl-C, then list the requests received: for debugging a client.",
    )
    add_conformance_serve_arguments(serve)
    serve.set_defaults(handler=lambda args: _conformance(args).serve_command(args))


def _conformance(_args: argparse.Namespace) -> ModuleType:
    return require("byteit.conformance.runner", "conformance", "The conformance runner")


def _split_pages(value: str) -> int | str:
    if value == "auto":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number of pages or 'auto', not {value!r}") from None


def _missing_extra(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


# --- handlers ---------------------------------------------------------------------------


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[ByteITClient]:
    if not args.local:
        with ByteITClient(args.api_key, base_url=args.base_url) as client:
            yield client
        return
    server = require_server()
    with (
        server.EmbeddedServer.temporary() as running,
        ByteITClient(running.api_key, base_url=running.base_url) as client,
    ):
        yield client


def _extract(args: argparse.Namespace) -> int:
    options = ProcessingOptions.coerce(
        {
            "output_format": args.format,
            "languages": args.language or ["en"],
            "page_range": args.page_range,
        }
    )
    documents = expand_inputs(args.paths)  # a mistyped path is a usage error: refuse it now
    if args.schema is not None:
        return _extract_structured(args, documents)
    if args.output is None and args.format == "zip":
        print("error: zip results are binary: give -o/--output", file=sys.stderr)
        return 2
    if args.engine != "local":
        return _extract_on_engine(args, options, documents)
    seen: list[BatchStats] = []
    with _client(args) as client:
        results = client.process_documents_as_completed(
            args.paths,
            processing_options=options,
            state_file=args.state_file,
            max_concurrency=max(1, args.concurrency),
            max_wait_time=args.max_wait,
            progress_bar=_progress_bar(documents, args),
            split_pages=args.split_pages,
            on_progress=seen.append,
            **_destination(documents, args.paths, args.output),
        )
        ordered = sorted(results, key=lambda result: result.index)
    _print_texts(ordered, sys.stdout)
    _print_outcome(ordered, args.verbosity, sys.stderr, seen[-1].credits if seen else None)
    return 0 if all(r.ok for r in ordered) else 1


def _extract_structured(args: argparse.Namespace, documents: list[Path]) -> int:
    """``--schema``: each document's data, as ``<output>/<name>.extract.json`` or printed."""
    schema = _structured.load_schema(args.schema)
    seen: list[BatchStats] = []
    with _client(args) as client:
        results = client.extract_documents_as_completed(
            args.paths,
            schema,
            output_dir=args.output,
            state_file=args.state_file,
            complexity=args.complexity,
            max_concurrency=max(1, args.concurrency),
            max_wait_time=args.max_wait,
            progress_bar=_progress_bar(documents, args),
            on_progress=seen.append,
        )
        ordered = sorted(results, key=lambda result: result.index)
    _structured.write_structured(ordered, sys.stdout)
    credits = seen[-1].credits if seen else None
    _print_outcome(ordered, args.verbosity, sys.stderr, credits, structured=True)
    return 0 if all(r.ok for r in ordered) else 1


def _extract_on_engine(
    args: argparse.Namespace, options: ProcessingOptions, documents: list[Path]
) -> int:
    """`_extract` on Dask or Ray: the workers, started here, inherit the key."""
    if args.output is not None and "output_connector" in _destination(
        documents, args.paths, args.output
    ):
        print("error: --engine writes into a folder: give -o a folder", file=sys.stderr)
        return 2
    with _client(args) as client:
        os.environ["BYTEIT_API_KEY"] = client._config.settings.api_key.reveal()
        settings = WorkerSettings(base_url=client.base_url, max_wait_time=args.max_wait,
                                  input_root=input_root(args.paths),
                                  max_concurrency=max(1, args.concurrency))  # fmt: skip
        run = plan_run(settings, options, args.output, args.run_name)
        ordered, credits = extract_on_engine(args.engine, documents, args.output, run, args.workers)
    _print_texts(ordered, sys.stdout)
    _print_outcome(ordered, args.verbosity, sys.stderr, credits)
    return 0 if all(r.ok for r in ordered) else 1


def _progress_bar(documents: list[Path], args: argparse.Namespace) -> bool:
    return len(documents) > 1 and not args.no_progress and args.verbosity > QUIET


def _destination(documents: list[Path], roots: list[Path], output: Path | None) -> dict[str, Any]:
    """Where results go: printed, one named file, or a folder mirroring the inputs."""
    if output is None:
        return {}
    single_file = len(documents) == 1 and roots[0].is_file() and not output.is_dir()
    if single_file and output.suffix:
        return {"output_connector": LocalFileOutputConnector(output)}
    # report.pdf -> report.pdf.md: report.pdf and report.docx must not overwrite each other
    return {"output_dir": output}


def _print_texts(results: list[ItemResult[bytes | str]], out: TextIO) -> None:
    """The texts returned rather than written, each under its document's name if several."""
    several = len(results) > 1
    for result in results:
        if isinstance(result.value, bytes):
            if several:
                out.write(f"==> {result.input} <==\n")
            out.write(result.value.decode("utf-8", errors="replace").rstrip("\n") + "\n")
            if several:
                out.write("\n")


def _print_outcome(
    results: list[ItemResult[Any]],
    verbosity: int,
    err: TextIO,
    credits: Credits | None = None,
    *,
    structured: bool = False,
) -> None:
    """Each failure, in input order among the files written when verbose, then the summary
    (with the credits spent)."""
    for result in results:
        if not result.ok:
            err.write(f"FAILED {result.input}: {result.error}\n")
        elif verbosity >= VERBOSE and isinstance(result.value, str):
            err.write(f"wrote {result.value}\n")
    if verbosity > QUIET:
        err.write(_structured.summary(results, credits, structured=structured) + "\n")


def _jobs_list(args: argparse.Namespace) -> int:
    with _client(args) as client:
        listing = client.list_jobs()
    for job in listing:
        created = job.created_at.isoformat(timespec="seconds") if job.created_at else "-"
        name = job.metadata.original_filename if job.metadata else None
        print(f"{job.id}\t{job.processing_status}\t{created}\t{name or '-'}")
    print(f"{listing.count} job(s)", file=sys.stderr)
    return 0


def _jobs_get(args: argparse.Namespace) -> int:
    with _client(args) as client:
        job = client.get_job(args.job_id)
    print(json.dumps(attrs.asdict(job), default=str, indent=2))
    return 0


def _jobs_result(args: argparse.Namespace) -> int:
    with _client(args) as client:
        value = client.get_job_result(args.job_id, args.output, args.format)
    if isinstance(value, bytes):
        sys.stdout.buffer.write(value)
        sys.stdout.flush()
    else:
        print(f"wrote {value}", file=sys.stderr)
    return 0


def _schemas(args: argparse.Namespace) -> int:
    with _client(args) as client:
        return _structured.run_schemas(args, client, sys.stdout)


def _serve(args: argparse.Namespace) -> int:
    server = require_server()
    server.serve(server.config_from_args(args))
    return 0
