"""The ASGI application: routes, error handlers, CORS, the access log, and the worker's
lifespan (translator, engine thread and file folder made at start, closed at the end)."""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import routes
from .accesslog import AccessLog
from .batching import MicroBatcher
from .errors import ApiError
from .files import FileStore
from .limits import Access
from .options import ServiceOptions
from .work import Workbench, run_batch

CLIENT_CLOSED = 499  # nginx's code for a request whose client went away


@dataclass
class Service:
    """What one worker process serves with."""

    options: ServiceOptions
    work: Workbench
    batcher: MicroBatcher
    access: Access
    files: FileStore

    async def close(self) -> None:
        await self.batcher.close()
        self.work.close()
        self.files.close()


def _start(options: ServiceOptions, translator) -> Service:
    """Load glossaries, keys and the engines' languages (blocking: run in a thread)."""
    from .keys import load_keys

    work = Workbench(options, translator)
    batcher = MicroBatcher(lambda jobs: run_batch(work, jobs), window=options.batch_window_ms / 1000,
                           max_size=options.max_batch)
    keys = load_keys(options.api_keys) if options.api_keys else None
    files = FileStore(options.file_ttl, folder=options.files_folder)
    return Service(options, work, batcher, Access(keys, options.req_limit, options.char_limit), files)


def _warm(work: Workbench) -> None:
    """Load every neural model now, once, rather than in the first request."""
    for engine in work.base.engines:
        if engine.name == "argos":
            for source, target in engine.pairs():
                engine.translate(["1 ok."], source, target)


def create_app(options: ServiceOptions | None = None, *, translator=None, warm: bool = True) -> Starlette:
    """The service for *options* (from the environment when None); *translator*: an existing
    :class:`~translator.pipeline.Translator` to serve with (tests), else one is made at start."""
    options = options or ServiceOptions.from_environment()

    @asynccontextmanager
    async def lifespan(app: Starlette):
        service = await run_in_threadpool(_start, options, translator)
        app.state.service = service
        if warm:
            await service.batcher.call(lambda: _warm(service.work))
        sweeper = asyncio.create_task(_sweep(service.files))
        # One write: workers share stderr, which Python writes through, and print() would
        # send the text and its newline apart (two workers' lines then ran together).
        sys.stderr.write(f"translate serve: worker {os.getpid()} ready\n")
        sys.stderr.flush()
        try:
            yield
        finally:
            sweeper.cancel()
            await service.close()

    middleware = [Middleware(AccessLog, mode=options.access_log, log_text=options.log_text)]
    if options.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=options.cors_origins,
                                     allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Authorization"]))
    return Starlette(routes=[
        Route("/translate", routes.translate, methods=["POST"]),
        Route("/detect", routes.detect, methods=["POST"]),
        Route("/languages", routes.languages, methods=["GET"]),
        Route("/translate_file", routes.translate_file, methods=["POST"]),
        Route("/download_file/{filename}", routes.download_file, methods=["GET"], name="download_file"),
        Route("/frontend/settings", routes.frontend_settings, methods=["GET"]),
        Route("/health", routes.health, methods=["GET"]),
        Route("/spec", routes.openapi, methods=["GET"]),
    ], middleware=middleware, lifespan=lifespan, exception_handlers={
        ApiError: _api_error, HTTPException: _http_error, routes.ClientGone: _gone, ClientDisconnect: _gone,
        Exception: _internal_error,
    })


def app_from_environment() -> Starlette:
    """uvicorn's factory in each worker process: the options come in ``TRANSLATOR_SERVE_OPTIONS``."""
    return create_app()


async def _sweep(store: FileStore) -> None:
    while True:
        await asyncio.sleep(min(30.0, max(0.5, store.ttl / 2)))
        store.expire()


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse({"error": exc.message}, status_code=exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


async def _gone(request: Request, exc: Exception) -> Response:
    return Response(status_code=CLIENT_CLOSED)


async def _internal_error(request: Request, exc: Exception) -> Response:
    traceback.print_exception(exc, file=sys.stderr)
    return JSONResponse({"error": f"Internal error: {type(exc).__name__}"}, status_code=500)
