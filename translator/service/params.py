"""Request bodies as LibreTranslate reads them: JSON, or form fields (URL-encoded or multipart,
with the query string), read within a size limit and a time limit, and checked field by field."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from .errors import ApiError, missing, wrong_type

INVALID_JSON = "Invalid JSON format"


@dataclass
class Upload:
    filename: str
    content: bytes


@dataclass
class Fields:
    """A request's parameters: JSON values, or strings from a form and the query string."""

    values: dict[str, Any]
    is_json: bool = False
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str, *, required: bool = False) -> str | None:
        """A string parameter (None when absent or empty; 400 when another type)."""
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise missing(name)
            return None
        if not isinstance(value, str):
            raise wrong_type(name, "a string")
        return checked_unicode(name, value)


def checked_unicode(name: str, value: str) -> str:
    """*value*, refused when it holds lone surrogates (JSON ``\\ud800``): no engine can take them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, f"Invalid request: {name} parameter is not valid Unicode") from None
    return value


async def read_body(receive_chunks, *, declared: str | None, limit: int, timeout: float) -> bytes:
    """The whole body from *receive_chunks* (an async iterator of bytes): 413 past *limit*
    bytes (refused on its Content-Length before reading), 408 when slower than *timeout* s."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared), limit)
    chunks, size = [], 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in receive_chunks:
                size += len(chunk)
                if size > limit:
                    raise too_large(size, limit)
                chunks.append(chunk)
    except TimeoutError:
        raise ApiError(408, f"Invalid request: the body did not arrive within {timeout:g} s") from None
    return b"".join(chunks)


def too_large(size: int, limit: int) -> ApiError:
    return ApiError(413, f"Invalid request: the body ({size} bytes or more) exceeds the limit ({limit} bytes)")


def parse_json(body: bytes) -> Fields:
    """A JSON object, as LibreTranslate wants it (anything else: 400 Invalid JSON format)."""
    try:
        values = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ApiError(400, INVALID_JSON) from None
    if not isinstance(values, dict):
        raise ApiError(400, INVALID_JSON)
    return Fields(values, is_json=True)


def parse_urlencoded(body: bytes, query: str) -> Fields:
    """Form fields, then the query string (LibreTranslate reads both); the first value of a name wins."""
    values: dict[str, Any] = {}
    try:
        for source in (query, body.decode("utf-8")):
            for name, value in parse_qsl(source, keep_blank_values=True, errors="strict", max_num_fields=1000):
                values.setdefault(name, value)
    except UnicodeDecodeError:
        raise ApiError(400, "Invalid request: the form is not valid UTF-8") from None
    except ValueError:  # more than max_num_fields
        raise ApiError(400, "Invalid request: too many form fields") from None
    return Fields(values)


def is_json(content_type: str) -> bool:
    """LibreTranslate's test: application/json or application/*+json."""
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


@dataclass(frozen=True)
class TranslateRequest:
    """The parameters of ``POST /translate``, checked."""

    texts: list[str]
    batch: bool  # q was a list: the response holds lists
    source: str
    target: str
    format: str
    alternatives: int
    api_key: Any
    glossary: str | None
    engine: str | None


def texts_of(fields: Fields) -> tuple[list[str], bool]:
    """``q``: a non-empty string or a non-empty list of strings."""
    q = fields.get("q")
    if q is None or q == "" or q == []:
        raise missing("q")
    if isinstance(q, str):
        return [checked_unicode("q", q)], False
    if isinstance(q, list) and all(isinstance(t, str) for t in q):
        return [checked_unicode("q", t) for t in q], True
    raise wrong_type("q", "a string or a list of strings")


def translate_request(fields: Fields) -> TranslateRequest:
    """Check ``/translate``'s parameters in LibreTranslate's order (q, source, target, alternatives)."""
    texts, batch = texts_of(fields)
    source = fields.text("source", required=True)
    target = fields.text("target", required=True)
    fmt = fields.text("format") or "text"
    if fmt not in ("text", "html"):
        raise ApiError(400, f"{fmt} format is not supported")
    return TranslateRequest(texts, batch, source.strip().lower(), target.strip().lower(), fmt,
                            alternatives(fields.get("alternatives")), fields.get("api_key"),
                            fields.text("glossary"), fields.text("engine"))


def alternatives(value: Any) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ApiError(400, "Invalid request: alternatives parameter is not a number")
    try:
        return max(0, int(value))
    except ValueError:
        raise ApiError(400, "Invalid request: alternatives parameter is not a number") from None
