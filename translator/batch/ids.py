"""The ids of a table input's translated rows, to report rows that repeat an earlier row's id.

Kept in ``OUT/.batch/ids.sqlite``, not in the driver's memory, so that it stays flat
whatever the number of rows; SQLite finds the repeats at the end of a run (the rule and why:
:mod:`translator.batch.job`).
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import OutputError
from . import outputs
from .manifest import Transaction

WARNINGS = "warnings.jsonl"


class Ids:
    """The ids of the translated rows of a table input, in ``OUT/.batch/ids.sqlite``: one row
    per (part, idx), so the driver's memory stays flat whatever the number of rows.

    Opened with the plan, it drops what the plan no longer has (parts past its end, rows past
    a part's count); the rows of a part whose input changed are read again, so their ids are
    replaced.  :meth:`record` is called with each batch of results before the manifest
    records them: a row the manifest says is finished always has its id here."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS ids (part INTEGER NOT NULL, idx INTEGER NOT NULL, id TEXT NOT NULL,
        name TEXT NOT NULL, PRIMARY KEY (part, idx));
    CREATE TABLE IF NOT EXISTS tables (part INTEGER PRIMARY KEY, file TEXT NOT NULL);
    """

    def __init__(self, work: Path, parts: list[dict]) -> None:
        self.path = work / "ids.sqlite"
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.executescript(self.SCHEMA)
        except sqlite3.Error as exc:
            raise OutputError(f"cannot open the table of ids: {exc}", path=str(self.path)) from None
        with self._transaction():
            self.db.execute("DELETE FROM tables")
            self.db.executemany("INSERT INTO tables VALUES (?, ?)", [(p["part"], p["file"]) for p in parts])
            self.db.execute("DELETE FROM ids WHERE part >= ?", (len(parts),))
            self.db.executemany("DELETE FROM ids WHERE part = ? AND idx >= ?",
                                [(p["part"], p["count"]) for p in parts])

    def close(self) -> None:
        self.db.close()

    def record(self, results: list[dict]) -> None:
        """Keep the ids of the translated rows of *results*; forget those of failed ones."""
        with self._transaction():
            for r in results:
                if r["status"] == "ok" and r["id"]:
                    self.db.execute("INSERT OR REPLACE INTO ids VALUES (?, ?, ?, ?)",
                                    (r["part"], r["idx"], r["id"], r["name"]))
                else:
                    self.db.execute("DELETE FROM ids WHERE part = ? AND idx = ?", (r["part"], r["idx"]))

    def repeats(self) -> Iterator[tuple[str, str, str]]:
        """``(id, name, name of the first row with that id)`` of each row whose id an earlier row of
        the same table has, in input order (SQLite sorts, on disk if need be)."""
        return self.db.execute("""
            SELECT id, name, first FROM (
                SELECT i.part, i.idx, i.id, i.name, first_value(i.name) OVER w AS first, row_number() OVER w AS n
                FROM ids i JOIN tables t ON t.part = i.part
                WINDOW w AS (PARTITION BY t.file, i.id ORDER BY i.part, i.idx))
            WHERE n > 1 ORDER BY part, idx""")

    def _transaction(self) -> Transaction:
        return Transaction(self.db, self.path)


def write_warnings(out: Path, repeats: Iterator[tuple[str, str, str]], tmp: Path) -> int:
    """``OUT/warnings.jsonl``: a line for each of *repeats* (see :meth:`Ids.repeats`), written
    atomically, or removed when there is none; return the number of lines."""
    path, first = out / WARNINGS, next(repeats, None)
    if first is None:
        path.unlink(missing_ok=True)
        return 0
    lines = 0

    def write(fh: BinaryIO) -> None:
        nonlocal lines
        for key, name, earlier in itertools.chain([first], repeats):
            warning = f"{name}: id {key!r} already at {earlier}: both rows are translated and kept"
            fh.write((json.dumps({"id": key, "name": name, "warning": warning}, ensure_ascii=False) + "\n")
                     .encode("utf-8"))
            lines += 1

    outputs._atomic(path, tmp, write)
    return lines
