"""The ASGI app of the local ByteIT server, built from ``openapi/byteit.yaml``.

The checked-in spec is the only model of the API: the routes below are its
paths, each also answered without the trailing slash (never redirected).

Layers, outermost first: request id and crash guard, fault injection (when
configured), API-key auth, rate limiting (when configured), then the routes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from . import custom_routes, extract_routes, parse_routes, schema_routes
from .auth import AuthMiddleware, KeyRing
from .config import ServerConfig, resolve_api_keys
from .errors import ApiError, RequestContextMiddleware, api_error_handler, http_error_handler
from .faults import FaultDice, FaultInjectionMiddleware
from .ratelimit import RateLimiter, RateLimitMiddleware
from .runner import ExtractFunction, JobRunner
from .s3_bridge import S3Bridge
from .state import ServerState
from .storage import Storage

__all__ = ["SPEC_PATH", "create_app"]

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "byteit.yaml"

Endpoint = Callable[[Request], Any]


def create_app(config: ServerConfig, *, extract: ExtractFunction | None = None) -> Starlette:
    """Build the server app; jobs run while the app's lifespan is active.

    Args:
        config: The server settings.
        extract: Replaces the extraction run in worker processes (tests only;
            must be a picklable module-level function).

    Raises:
        ServerConfigError: No API key is configured for a non-loopback host, or
            the S3 settings are inconsistent or need boto3, which is missing.

    Example:
        >>> app = create_app(ServerConfig(data_dir=tmp_path))  # doctest: +SKIP
    """
    keyring = KeyRing(resolve_api_keys(config))
    s3 = S3Bridge.from_config(config)
    storage = Storage(config.data_dir)
    runner_options = {"extract": extract} if extract is not None else {}
    runner = JobRunner(
        storage,
        workers=config.workers,
        processing_delay=config.processing_delay,
        page_delay=config.page_delay,
        s3=s3,
        ocr_engine=config.ocr_engine,
        **runner_options,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await runner.start()
        try:
            yield
        finally:
            await runner.stop()
            storage.close()

    app = Starlette(
        routes=_routes(),
        middleware=_middleware(config, keyring),
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.byteit = ServerState(config, storage, runner, s3)
    return app


def _routes() -> list[Route]:
    jobs, parse, extract = "/v1/jobs", "/v1/jobs/parse-jobs", "/v1/jobs/extract-jobs"
    custom = "/v1/jobs/custom-jobs"
    return [
        *_both(f"{parse}/", parse_routes.create_parse_job, ["POST"]),
        *_both(f"{parse}/", parse_routes.list_parse_jobs, ["GET"]),
        *_both(f"{parse}/{{job_id}}/", parse_routes.get_parse_job, ["GET"]),
        *_both(f"{parse}/{{job_id}}/result/", parse_routes.get_parse_job_result, ["GET"]),
        *_both(f"{extract}/", extract_routes.create_extract_job, ["POST"]),
        *_both(f"{extract}/", extract_routes.list_extract_jobs, ["GET"]),
        *_both(f"{extract}/{{job_id}}/", extract_routes.get_extract_job, ["GET"]),
        *_both(f"{extract}/{{job_id}}/result/", extract_routes.get_extract_job_result, ["GET"]),
        *_both(f"{custom}/", custom_routes.create_custom_job, ["POST"]),
        *_both(f"{custom}/", custom_routes.list_custom_jobs, ["GET"]),
        *_both(f"{custom}/{{job_id}}/", custom_routes.get_custom_job, ["GET"]),
        *_both(f"{custom}/{{job_id}}/result/", custom_routes.get_custom_job_result, ["GET"]),
        *_both(f"{jobs}/{{job_id}}/status/", parse_routes.get_job_status, ["GET"]),
        *_both("/v1/schemas/", schema_routes.create_schema, ["POST"]),
        *_both("/v1/schemas/", schema_routes.list_schemas, ["GET"]),
        *_both("/v1/schemas/{name:path}/", schema_routes.get_schema, ["GET"]),
        *_both("/v1/schemas/{name:path}/", schema_routes.delete_schema, ["DELETE"]),
        Route("/openapi.yaml", _spec, methods=["GET"]),
    ]


def _both(path: str, endpoint: Endpoint, methods: Sequence[str]) -> list[Route]:
    """The route with its trailing slash, and the same route without it."""
    return [
        Route(path, endpoint, methods=list(methods)),
        Route(path.rstrip("/"), endpoint, methods=list(methods)),
    ]


def _middleware(config: ServerConfig, keyring: KeyRing) -> list[Middleware]:
    layers = [Middleware(RequestContextMiddleware)]
    if config.faults_enabled:
        dice, slow = FaultDice(config), config.fault_slow_seconds
        layers.append(Middleware(FaultInjectionMiddleware, dice=dice, slow_seconds=slow))
    layers.append(Middleware(AuthMiddleware, keyring=keyring))
    if config.rate_limit is not None:
        limiter = RateLimiter(config.rate_limit, config.rate_limit_burst)
        layers.append(Middleware(RateLimitMiddleware, limiter=limiter))
    return layers


async def _spec(request: Request) -> Response:
    """``GET /openapi.yaml``: the checked-in spec this server implements."""
    if not SPEC_PATH.is_file():
        raise ApiError(404, "the OpenAPI document is not available in this installation")
    return FileResponse(SPEC_PATH, media_type="application/yaml")
