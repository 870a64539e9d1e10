"""Running the server: in the foreground (:func:`serve`) or in a thread (:class:`EmbeddedServer`).

uvicorn serves the Starlette app of :func:`byteit_server.app.create_app`.
:func:`add_serve_arguments` and :func:`config_from_args` give the
``byteit serve`` command and ``python -m byteit_server`` the same options.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from .app import create_app
from .config import (
    DEV_API_KEY,
    OCR_ENGINES,
    ServerConfig,
    ServerConfigError,
    default_data_dir,
    resolve_api_keys,
)
from .runner import ExtractFunction
from .s3_bridge import S3Bridge

__all__ = ["EmbeddedServer", "add_serve_arguments", "config_from_args", "serve"]


def serve(config: ServerConfig) -> None:
    """Run the server in the foreground until interrupted (Ctrl-C).

    Raises:
        ServerConfigError: No API key is configured for a non-loopback host.
    """
    keys = resolve_api_keys(config)
    app = create_app(config)
    if keys == (DEV_API_KEY,):
        print(
            f"No API keys configured: accepting the development key {DEV_API_KEY!r} "
            "(loopback only). Configure keys with --api-key.",
            file=sys.stderr,
        )
    print(f"Data directory: {config.data_dir.resolve()}", file=sys.stderr)
    uvicorn.run(app, host=config.host, port=config.port, log_level="info")


class EmbeddedServer:
    """A server running in a background thread on a free loopback port.

    Extraction runs in spawned worker processes, so a script that starts a
    server must keep its top-level code under ``if __name__ == "__main__":``.

    Args:
        config: Settings; ``port=0`` (the default here) binds a free port.
        extract: Replaces the extraction function (tests only).
        startup_timeout: Seconds to wait for the server to accept requests.

    Example:
        >>> with EmbeddedServer(ServerConfig(data_dir=tmp_path, port=0)) as server:
        ...     httpx.get(f"{server.base_url}/v1/jobs/parse-jobs/",
        ...               headers={"X-API-Key": server.api_key})
    """

    def __init__(
        self,
        config: ServerConfig | None = None,
        *,
        extract: ExtractFunction | None = None,
        startup_timeout: float = 15.0,
    ) -> None:
        self.config = config if config is not None else ServerConfig(port=0)
        self._extract = extract
        self._startup_timeout = startup_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._port = self.config.port

    @classmethod
    @contextmanager
    def temporary(cls, **config: Any) -> Iterator[EmbeddedServer]:
        """Run a server on a fresh temporary data directory, deleted afterwards.

        Args:
            config: ``ServerConfig`` fields other than ``data_dir`` and ``port``.
        """
        with tempfile.TemporaryDirectory(prefix="byteit-", ignore_cleanup_errors=True) as folder:
            server_config = ServerConfig(data_dir=Path(folder), port=0, **config)
            with cls(server_config) as server:
                yield server

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self._port}"

    @property
    def api_key(self) -> str:
        """A key the server accepts (the development key when none is configured)."""
        return resolve_api_keys(self.config)[0]

    def start(self) -> None:
        """Start serving; return once the server accepts requests.

        Raises:
            RuntimeError: The server did not start within the startup timeout.
        """
        app = create_app(self.config, extract=self._extract)
        self._socket = _bind(self.config.host, self.config.port)
        self._port = self._socket.getsockname()[1]
        settings = uvicorn.Config(
            app, log_config=None, log_level="warning", access_log=False, lifespan="on"
        )
        self._server = uvicorn.Server(settings)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        self._wait_until_started()

    def _wait_until_started(self) -> None:
        assert self._server is not None
        assert self._thread is not None
        deadline = time.monotonic() + self._startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the embedded ByteIT server failed to start; see the log")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop serving: finish open requests, cancel running jobs, close the database."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> EmbeddedServer:  # noqa: PYI034 (typing.Self needs 3.11)
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they
    # are TCP, and without it every keep-alive answer waited ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the server's options to ``parser`` (used by ``byteit serve``)."""
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    add("--port", type=int, default=8000, help="port to bind; 0 picks a free one (default: 8000)")
    add("--data-dir", type=Path, default=None, help="where jobs are kept (default: ./.byteit-data)")
    add("--workers", type=int, default=4, help="jobs processed at once (default: 4)")
    add("--api-key", action="append", default=[], help="an accepted API key (repeatable)")
    add("--processing-delay", type=float, default=0.0, help="extra seconds per document")
    add("--page-delay", type=float, default=0.0, help="simulated seconds per extracted page")
    add("--rate-limit", type=float, default=None, help="requests per second per key")
    add("--rate-limit-burst", type=int, default=10, help="requests a key may send at once")
    for kind, what in (("503", "answered 503"), ("429", "answered 429"), ("drop", "dropped")):
        add(f"--fault-{kind}", type=float, default=0.0, help=f"fraction of requests {what}")
    add("--fault-slow", type=float, default=0.0, help="fraction of requests answered slowly")
    add("--fault-slow-seconds", type=float, default=2.0, help="delay of a slow answer")
    add("--fault-seed", type=int, default=None, help="seed for reproducible faults")
    # No flag for the secret: a command line is visible to every user of the machine.
    add("--s3-endpoint-url", default=None, help="S3 endpoint for server-side S3 (default: AWS)")
    add("--s3-region", default=None, help="region for server-side S3")
    add(
        "--s3-access-key-id",
        default=None,
        help="access key id for server-side S3; the secret is read from "
        "$BYTEIT_SERVER_S3_SECRET_ACCESS_KEY",
    )
    add(
        "--ocr-engine",
        choices=OCR_ENGINES,
        default="auto",
        help="what reads images: tesserocr (pip-installed), tesseract (the system binary, "
        "may have more languages), or auto: the binary when it has the job's languages, "
        "else tesserocr (default: auto)",
    )


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    """The :class:`ServerConfig` the parsed options describe.

    Raises:
        SystemExit: An option is out of range, keys are missing for a public host,
            or the S3 settings are incomplete or need boto3.
    """
    try:
        config = ServerConfig(
            host=args.host,
            port=args.port,
            data_dir=args.data_dir or default_data_dir(),
            workers=args.workers,
            processing_delay=args.processing_delay,
            page_delay=args.page_delay,
            api_keys=tuple(args.api_key),
            rate_limit=args.rate_limit,
            rate_limit_burst=args.rate_limit_burst,
            fault_503=args.fault_503,
            fault_429=args.fault_429,
            fault_drop=args.fault_drop,
            fault_slow=args.fault_slow,
            fault_slow_seconds=args.fault_slow_seconds,
            fault_seed=args.fault_seed,
            s3_endpoint_url=args.s3_endpoint_url,
            s3_access_key_id=args.s3_access_key_id,
            s3_region=args.s3_region,
            ocr_engine=args.ocr_engine,
        )
        resolve_api_keys(config)
        S3Bridge.from_config(config)
    except ServerConfigError as exc:
        raise SystemExit(f"error: {exc}") from None
    return config
