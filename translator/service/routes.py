"""The HTTP routes: LibreTranslate's API (``/translate``, ``/detect``, ``/languages``,
``/translate_file``, ``/download_file``, ``/frontend/settings``) and ours (``/health``, ``/spec``)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import __version__
from ..errors import EngineError, TranslatorError
from . import files, params
from .accesslog import note
from .errors import ApiError, missing
from .limits import check_texts
from .openapi import spec

FILE_FIELDS_OVERHEAD = 64 * 1024  # room for the multipart framing and the other fields
UPLOAD_TYPES = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown",
                ".po": "text/x-gettext-translation", ".pot": "text/x-gettext-translation"}


class ClientGone(Exception):
    """The client closed its connection before its answer was ready."""


def _service(request: Request):
    return request.app.state.service


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


async def _body(request: Request, limit: int) -> bytes:
    return await params.read_body(request.stream(), declared=request.headers.get("content-length"),
                                  limit=limit, timeout=_service(request).options.read_timeout)


async def _fields(request: Request, limit: int) -> params.Fields:
    """JSON, a URL-encoded form or a multipart form (a browser's FormData), as LibreTranslate reads them."""
    body = await _body(request, limit)
    kind = request.headers.get("content-type", "")
    if params.is_json(kind):
        return params.parse_json(body)
    if kind.split(";", 1)[0].strip().lower() == "multipart/form-data":
        form = await _form(request, body)
        try:
            values = {k: v for k, v in form.items() if isinstance(v, str)}
        finally:
            await form.close()
        return params.Fields({**values, **params.parse_urlencoded(b"", request.url.query).values})
    return params.parse_urlencoded(body, request.url.query)


async def _form(request: Request, body: bytes):
    """A multipart form parsed from *body* (already read within its limit)."""
    from starlette.exceptions import HTTPException

    try:
        return await Request(request.scope, receive=_replay(body)).form(
            max_files=1, max_fields=20, max_part_size=FILE_FIELDS_OVERHEAD)
    except (HTTPException, ValueError) as exc:
        raise ApiError(400, f"Invalid request: {getattr(exc, 'detail', exc)}") from None


async def _finish(request: Request, work) -> Any:
    """Await *work* within the request timeout; cancel it when the client disconnects."""
    timeout = _service(request).options.timeout
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_disconnected(request))
    try:
        done, _ = await asyncio.wait({task, watch}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watch.cancel()
    if task in done:
        return task.result()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    if watch in done:
        raise ClientGone()
    raise ApiError(500, f"Cannot translate text: no answer within {timeout:g} s (the server is busy)")


async def _disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


def _cost(fields: params.Fields) -> int:
    """A request of N texts counts N against the request limit (LibreTranslate's cost)."""
    q = fields.get("q")
    return len(q) if isinstance(q, list) else 1


async def translate(request: Request) -> Response:
    service = _service(request)
    fields = await _fields(request, service.options.body_limit)
    limits = service.access.admit(_client(request), fields.get("api_key"), _cost(fields))
    req = params.translate_request(fields)
    check_texts(req.texts, char_limit=service.access.char_limit_for(limits),
                batch_limit=service.options.batch_limit, batch=req.batch)
    note(request.scope, chars=sum(len(t) for t in req.texts), texts=len(req.texts), source=req.source,
         target=req.target, text=req.texts if req.batch else req.texts[0])
    plan = await run_in_threadpool(service.work.plan, req)
    if plan.pages:  # format=html: the html document type's work, alone on the engine thread
        work = service.batcher.call(lambda: service.work.translate_pages(plan))
    else:
        work = service.batcher.translate(plan.key, plan.docs, plan.size) if plan.docs else None
    if work is not None:
        try:
            await _finish(request, work)
        except EngineError as exc:
            raise ApiError(500, f"Cannot translate text: {exc.message}") from None
    return JSONResponse(plan.response())


async def detect(request: Request) -> Response:
    service = _service(request)
    fields = await _fields(request, service.options.body_limit)
    service.access.admit(_client(request), fields.get("api_key"))
    texts, _ = params.texts_of(fields)
    note(request.scope, chars=sum(len(t) for t in texts), texts=len(texts), text=texts)
    return JSONResponse(await run_in_threadpool(service.work.detect, texts))


async def languages(request: Request) -> Response:
    return JSONResponse(_service(request).work.languages)


async def translate_file(request: Request) -> Response:
    service = _service(request)
    if not service.options.files_translation:
        raise ApiError(403, "Files translation are disabled on this server.")
    upload, fields = await _upload(request, service.options.file_limit)
    service.access.admit(_client(request), fields.get("api_key"), _upload_cost(service, upload))
    source = (fields.text("source", required=True) or "").strip().lower()
    target = (fields.text("target", required=True) or "").strip().lower()
    if files.suffix_of(upload.filename) not in files.supported():
        raise ApiError(400, "Invalid request: file format not supported")
    source, target = service.work.file_languages(source, target)
    key = service.work.key_for(fields.text("engine"), fields.text("glossary"))
    note(request.scope, chars=len(upload.content), texts=1, source=source, target=target)
    path = service.files.upload(upload.filename, upload.content)
    try:
        data, ending = await _finish(request, service.batcher.call(
            lambda: service.work.translate_upload(path, source, target, key)))
    except EngineError as exc:
        raise ApiError(500, f"Cannot translate file: {exc.message}") from None
    except TranslatorError as exc:  # not text, not UTF-8, empty, a PO file in another language
        raise ApiError(400, f"Invalid request: {upload.filename}: {exc.message}") from None
    finally:
        path.unlink(missing_ok=True)
    name = service.files.add(files.output_name(upload.filename, ending), data)
    return JSONResponse({"translatedFileUrl": str(request.url_for("download_file", filename=name))})


async def _upload(request: Request, limit: int) -> tuple[params.Upload, params.Fields]:
    """The uploaded file and the other fields of a multipart form (the body read within limits first)."""
    form = await _form(request, await _body(request, limit + FILE_FIELDS_OVERHEAD))
    try:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        sent = form.get("file")
        if sent is None or isinstance(sent, str):
            raise missing("file")
        if not sent.filename:
            raise ApiError(400, "Invalid request: empty file")
        content = await sent.read()
    finally:
        await form.close()
    if len(content) > limit:
        raise params.too_large(len(content), limit)
    return params.Upload(sent.filename, content), params.Fields(values)


def _replay(body: bytes):
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _upload_cost(service, upload: params.Upload) -> int:
    limit = service.access.char_limit
    return max(1, len(upload.content) // limit) if limit > 0 else 1


async def download_file(request: Request) -> Response:
    service = _service(request)
    service.access.charge_client(_client(request))
    content, name = service.files.take(request.path_params["filename"])
    kind = UPLOAD_TYPES.get(files.suffix_of(name), "application/octet-stream")
    return Response(content, media_type=f"{kind}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def frontend_settings(request: Request) -> Response:
    service = _service(request)
    codes = [entry["code"] for entry in service.work.languages]
    target = "en" if "en" in codes else (codes[0] if codes else "en")
    return JSONResponse({
        "charLimit": service.access.char_limit,
        "frontendTimeout": 500,
        "apiKeys": service.access.key_required,
        "keyRequired": service.access.key_required,
        "suggestions": False,
        "filesTranslation": service.options.files_translation,
        "supportedFilesFormat": list(files.supported()) if service.options.files_translation else [],
        "language": {"source": {"code": "auto", "name": "Auto Detect"},
                     "target": {"code": target, "name": _name_of(service, target)}},
    })


def _name_of(service, code: str) -> str:
    return next((e["name"] for e in service.work.languages if e["code"] == code), code)


async def health(request: Request) -> Response:
    service = _service(request)
    batcher = service.batcher
    return JSONResponse({
        "status": "ok",
        "version": __version__,
        "engine": service.work.base.engine_choice,
        "languages": len(service.work.languages),
        "glossaries": sorted(service.work.glossaries),
        "queued": batcher.queued,
        "running": len(batcher.running),
        "batching": vars(batcher.stats),
        "files_waiting": service.files.waiting,
    })


async def openapi(request: Request) -> Response:
    return JSONResponse(spec(__version__, [entry["code"] for entry in _service(request).work.languages]))
