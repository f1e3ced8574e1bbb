"""The service's OpenAPI 3 description, served at ``/spec`` (as LibreTranslate serves its own)."""

from __future__ import annotations

from typing import Any

_TEXTS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_DETECTED = {"type": "object", "required": ["confidence", "language"], "properties": {
    "confidence": {"type": "number", "minimum": 0, "maximum": 100}, "language": {"type": "string"}}}
_TERM = {"type": "object", "properties": {"term": {"type": "string"}, "required": {"type": "string"},
                                          "ok": {"type": "boolean"}, "glossary": {"type": "string"}}}
_STR = {"type": "string"}
_TRANSLATE_FIELDS: dict[str, Any] = {
    "q": {**_TEXTS, "description": "Text, or texts, to translate."},
    "format": {"type": "string", "enum": ["text", "html"], "default": "text"},
    "alternatives": {"type": "integer", "minimum": 0, "default": 0,
                     "description": "Alternative translations wanted (our engines give none: empty lists)."},
    "api_key": _STR,
    "glossary": {"type": "string", "description": "Extension: a glossary configured on the server, or none."},
    "engine": {"type": "string", "enum": ["auto", "argos", "apertium"], "description": "Extension."},
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


_ERRORS = {"400": _error("Invalid request"), "403": _error("Invalid API key"),
           "408": _error("The body came too slowly"), "413": _error("The body is too large"),
           "429": _error("Slow down: request limit reached"), "500": _error("Translation error")}


def _ok(schema: dict[str, Any], description: str = "Success") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any], *, form: bool = True) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    if form:
        flat = {**schema, "properties": {k: (_STR if k == "q" else v) for k, v in schema["properties"].items()}}
        content["application/x-www-form-urlencoded"] = {"schema": flat}
    return {"required": True, "content": content}


def spec(version: str, codes: list[str]) -> dict[str, Any]:
    """The document; *version* is ours, *codes* the languages this server has (``source`` and
    ``target`` list them, so that clients and fuzzers see what it translates)."""
    source = {"type": "string", "enum": ["auto", *codes], "description": "Source language code, or auto."}
    target = {"type": "string", "enum": list(codes), "description": "Target language code."}
    fields = {**_TRANSLATE_FIELDS, "source": source, "target": target}
    translate = {"type": "object", "required": ["q", "source", "target"], "properties": fields}
    detect = {"type": "object", "required": ["q"], "properties": {"q": _TEXTS, "api_key": _STR}}
    translated = {"type": "object", "required": ["translatedText"], "properties": {
        "translatedText": _TEXTS,
        "detectedLanguage": {"oneOf": [_DETECTED, {"type": "array", "items": _DETECTED}]},
        "alternatives": {"anyOf": [{"type": "array", "items": _STR},
                                   {"type": "array", "items": {"type": "array", "items": _STR}}]},
        "terms": {"anyOf": [{"type": "array", "items": _TERM},
                            {"type": "array", "items": {"type": "array", "items": _TERM}}]}}}
    upload = {"type": "object", "required": ["file", "source", "target"], "properties": {
        "file": {"type": "string", "format": "binary"}, "source": source, "target": target, "api_key": _STR}}
    language = {"type": "object", "required": ["code", "name", "targets"], "properties": {
        "code": _STR, "name": _STR, "targets": {"type": "array", "items": _STR}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "translator (LibreTranslate-compatible)", "version": version,
                 "description": "LibreTranslate's API over offline engines, with glossaries."},
        "paths": {
            "/translate": {"post": {"summary": "Translate text", "requestBody": _body(translate),
                                    "responses": {"200": _ok(translated), **_ERRORS}}},
            "/detect": {"post": {"summary": "Detect the language of text", "requestBody": _body(detect),
                                 "responses": {"200": _ok({"type": "array", "items": _DETECTED}), **_ERRORS}}},
            "/languages": {"get": {"summary": "Languages and their targets",
                                   "responses": {"200": _ok({"type": "array", "items": language})}}},
            "/translate_file": {"post": {
                "summary": "Translate a .txt, .md or .po file",
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": upload}}},
                "responses": {"200": _ok({"type": "object", "required": ["translatedFileUrl"],
                                          "properties": {"translatedFileUrl": _STR}}), **_ERRORS}}},
            "/download_file/{filename}": {"get": {
                "summary": "Download a translated file, once",
                "parameters": [{"name": "filename", "in": "path", "required": True, "schema": _STR}],
                "responses": {"200": {"description": "The file", "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}},
                    "400": _error("Invalid filename"), "404": _error("Unknown or expired file"),
                    "429": _error("Slow down")}}},
            "/frontend/settings": {"get": {"summary": "Settings for front ends", "responses": {"200": _ok(
                {"type": "object", "required": ["charLimit", "apiKeys", "keyRequired", "supportedFilesFormat"]})}}},
            "/health": {"get": {"summary": "Health, queue and batching counters", "responses": {"200": _ok(
                {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}})}}},
        },
        "components": {"schemas": {"Error": {"type": "object", "required": ["error"],
                                              "properties": {"error": _STR}}}},
    }
