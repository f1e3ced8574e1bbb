"""The access log: one line per request, as text or JSON, with route, status, latency and
characters; the request's text only with ``--log-text``.  API keys and download tokens are
never written."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from typing import Any, TextIO

#: Where a route leaves what the log reports: ``scope[INFO]["chars"]`` and so on.
INFO = "translator.log"


def note(scope: dict, **values: Any) -> None:
    """Let the access log know *values* about this request (chars, texts, source, target, text)."""
    scope.setdefault(INFO, {}).update(values)


class AccessLog:
    """ASGI middleware writing one line per HTTP request to *stream* (stderr)."""

    def __init__(self, app, *, mode: str = "text", log_text: bool = False, stream: TextIO | None = None) -> None:
        self.app = app
        self.mode = mode
        self.log_text = log_text
        self.stream = stream

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.mode == "off":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status: list[int] = []

        async def sending(message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self._write(scope, status[0] if status else None, time.perf_counter() - start)

    def _write(self, scope: dict, status: int | None, seconds: float) -> None:
        info = dict(scope.get(INFO, {}))
        text = info.pop("text", None)
        entry: dict[str, Any] = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "client": (scope.get("client") or ("-",))[0],
            "method": scope["method"],
            "route": _route(scope["path"]),
            "status": status if status is not None else "disconnected",
            "latency_ms": round(seconds * 1000, 1),
            **info,
        }
        if self.log_text and text is not None:
            entry["text"] = text
        stream = self.stream or sys.stderr
        line = json.dumps(entry, ensure_ascii=False) if self.mode == "json" else _plain(entry)
        try:
            stream.write(line + "\n")
            stream.flush()
        except (OSError, ValueError):  # a closed or full log stream must not fail the request
            pass


def _route(path: str) -> str:
    return "/download_file/…" if path.startswith("/download_file/") else path[:200]


def _plain(entry: dict[str, Any]) -> str:
    head = f'{entry["client"]} "{entry["method"]} {entry["route"]}" {entry["status"]} {entry["latency_ms"]} ms'
    rest = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in entry.items()
                    if k not in ("time", "client", "method", "route", "status", "latency_ms"))
    return f'{entry["time"]} {head}' + (f" {rest}" if rest else "")
