"""API keys from a text file or from LibreTranslate's ``api_keys.db`` (SQLite).

The text file has one key per line, optionally followed by that key's requests per minute
and characters per text; ``#`` starts a comment::

    # key                                   req/min  chars
    5f0c2e9e-7d1b-4c39-9d55-0a4cf2f3c6a1    120      5000
    newsroom-cms
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class KeyLimits:
    """A key's own limits; None: the server's."""

    req_limit: int | None = None
    char_limit: int | None = None


def load_keys(path: str | Path) -> dict[str, KeyLimits]:
    """The keys in *path* (raises :class:`UsageError` naming the file and line)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UsageError(f"cannot read the API keys: {exc.strerror}", path=str(path)) from None
    keys = _from_sqlite(path) if magic == SQLITE_MAGIC else _from_text(path)
    if not keys:
        raise UsageError("no API key in the file: add one key per line", path=str(path))
    return keys


def _from_text(path: Path) -> dict[str, KeyLimits]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the API keys: {exc}", path=str(path)) from None
    keys = {}
    for number, line in enumerate(lines, 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) > 3 or not all(f.isdigit() for f in fields[1:]):
            raise UsageError("expected 'KEY [REQUESTS_PER_MINUTE [CHARACTERS]]'", path=f"{path}:{number}")
        numbers = [int(f) for f in fields[1:]] + [None, None]
        keys[fields[0]] = KeyLimits(numbers[0], numbers[1])
    return keys


def _from_sqlite(path: Path) -> dict[str, KeyLimits]:
    """LibreTranslate's table: ``api_keys(api_key, req_limit, char_limit)``."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(api_keys)")}
            char = "char_limit" if "char_limit" in columns else "NULL"
            rows = db.execute(f"SELECT api_key, req_limit, {char} FROM api_keys").fetchall()
    except sqlite3.Error as exc:
        raise UsageError(f"not a LibreTranslate api_keys database: {exc}", path=str(path)) from None
    return {str(key): KeyLimits(_number(req), _number(chars)) for key, req, chars in rows if key}


def _number(value: object) -> int | None:
    return int(value) if isinstance(value, (int, float)) and value >= 0 else None
