"""The options of ``byteit conformance run``: here, apart from the runner, so that the
``byteit`` command lists them without importing the runner's dependencies."""

from __future__ import annotations

import argparse
from pathlib import Path

from byteit.conformance._timing import DEFAULT_SCALE

DEFAULT_SUITE = Path("conformance")
# Scenarios run side by side: most of a run is an adapter starting up or a client waiting
# on purpose, and each scenario has a server of its own. Spacing is judged by lower
# bounds, which a busy machine cannot break.
DEFAULT_JOBS = 4
ADAPTER_LIMIT = 15.0  # seconds one adapter call may take, start-up included


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="the scenario's id")
    _suite_options(parser)


def _suite_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--suite",
        type=Path,
        default=DEFAULT_SUITE,
        help="the folder holding scenario.schema.json and scenarios/ (default: ./conformance)",
    )
    parser.add_argument(
        "--scale", type=float, default=DEFAULT_SCALE, help="time scale of the client's defaults"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _suite_options(parser)
    parser.add_argument(
        "--client",
        metavar="CMD",
        help="the adapter command, split as a shell would (default: this package's "
        "Python client adapter)",
    )
    parser.add_argument(
        "--adapter-timeout",
        type=float,
        default=ADAPTER_LIMIT,
        help=f"seconds one adapter call may take (default {ADAPTER_LIMIT:g})",
    )
    parser.add_argument(
        "--jobs", type=int, default=DEFAULT_JOBS, help=f"scenarios run at once ({DEFAULT_JOBS})"
    )
    parser.add_argument("--only", action="append", default=[], help="run this scenario id")
    parser.add_argument("files", nargs="*", type=Path, help="scenario files (default: all)")
