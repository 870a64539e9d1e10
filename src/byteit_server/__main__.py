"""``python -m byteit_server``: run the local ByteIT server in the foreground."""

from __future__ import annotations

import argparse

from .server import add_serve_arguments, config_from_args, serve


def main(argv: list[str] | None = None) -> None:
    """Parse the options and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m byteit_server", description="Run the local ByteIT-compatible server."
    )
    add_serve_arguments(parser)
    serve(config_from_args(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
