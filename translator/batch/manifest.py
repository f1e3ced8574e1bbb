"""What a run has finished, kept in ``OUT/.batch/manifest.sqlite`` (written by the driver only).

- ``meta``: the options of the run (a restart must use the same ones);
- ``parts``: every part of the plan, and whether it is *sealed* (all its articles
  finished and, for tables, its shard written);
- ``articles``: the finished articles of parts not sealed yet, with their hash (or
  file stamp) and, for tables, their result until the shard is written;
- ``failures``: every failed article, kept for ``failures.jsonl``.

A lock file beside it keeps a second run off the same output folder.  Each batch of results
is one transaction, committed after the outputs it records are
written: a run killed at any moment leaves either an article's outputs and its record,
or outputs that the restart writes again, byte for byte the same.  Only one process
writes; SQLite in WAL mode with ``synchronous=NORMAL`` survives a killed process.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import OutputError, UsageError

FORMAT = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parts (
    part INTEGER PRIMARY KEY, descriptor TEXT NOT NULL, count INTEGER NOT NULL, sealed INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0, sentences INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS articles (
    part INTEGER NOT NULL, idx INTEGER NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL, hash TEXT NOT NULL,
    stamp TEXT NOT NULL, sentences INTEGER NOT NULL, result TEXT, PRIMARY KEY (part, idx));
CREATE TABLE IF NOT EXISTS failures (
    part INTEGER NOT NULL, idx INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, error TEXT NOT NULL,
    PRIMARY KEY (part, idx));
"""


class Manifest:
    """The manifest of the run writing to the folder *work* (``OUT/.batch``)."""

    def __init__(self, work: Path, options: dict) -> None:
        self.path = work / "manifest.sqlite"
        self.renewed = 0  # finished parts whose input changed, translated again (:meth:`register`)
        try:
            work.mkdir(parents=True, exist_ok=True)
            self._lock = _lock(work / "lock")
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot open the manifest: {exc}", path=str(self.path)) from None
        self._check(options)

    def close(self) -> None:
        self.db.close()
        os.close(self._lock)  # the lock goes with it (and with the process, however it ends)

    def _check(self, options: dict) -> None:
        wanted = json.dumps({"format": FORMAT, **options}, sort_keys=True)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('options', ?)", (wanted,))
            return
        before = json.loads(row[0])
        changed = [k for k in sorted(set(before) | set(options) | {"format"})
                   if before.get(k) != {"format": FORMAT, **options}.get(k)]
        if changed:
            raise UsageError(f"this output folder holds a run with other options ({', '.join(changed)}): "
                             "resume it with the same command, or choose another --output",
                             path=str(self.path.parent.parent))

    # -- the plan ---------------------------------------------------------------------------
    def register(self, parts: list[dict]) -> list[dict]:
        """Record the plan; return the parts not sealed yet, each with ``skip`` (idx -> stamp or
        hash of its finished articles).  A part whose input changed since it was recorded
        (articles added, removed or edited, a failed one fixed) is forgotten and translated
        again, sealed or not; the table shards of the old plan that the new one does not
        write are removed first (a crash in between leaves the part recorded, so the next
        run removes them again).  Outputs of articles removed from a folder stay in OUT.
        :attr:`renewed` counts the finished parts translated again."""
        stored = {p: (json.loads(d), s) for p, d, s in self.db.execute("SELECT part, descriptor, sealed FROM parts")}
        changed = [p["part"] for p in parts if p["part"] in stored and stored[p["part"]][0] != p]
        dropped = changed + [p for p in stored if p >= len(parts)]
        shards = {p.get("shard") for p in parts}
        for number in dropped:
            shard = stored[number][0].get("shard")
            if stored[number][1] and shard and shard not in shards:
                try:
                    (self.path.parent.parent / shard).unlink(missing_ok=True)
                except OSError as exc:
                    raise OutputError(f"cannot remove an old shard: {exc.strerror or exc}", path=shard) from None
        self.renewed = sum(1 for number in dropped if stored[number][1])
        with self._transaction():
            for number in dropped:
                self._forget(number)
            self.db.executemany("INSERT OR IGNORE INTO parts (part, descriptor, count) VALUES (?, ?, ?)",
                                [(p["part"], json.dumps(p, sort_keys=True), p["count"]) for p in parts])
        sealed = {n for n, s in self.db.execute("SELECT part, sealed FROM parts") if s}
        open_parts = []
        for part in parts:
            if part["part"] in sealed:
                continue
            skip = {str(i): s or h for i, h, s in self.db.execute(
                "SELECT idx, hash, stamp FROM articles WHERE part = ?", (part["part"],))}
            open_parts.append({**part, "skip": skip})
        return open_parts

    def _forget(self, part: int) -> None:
        for table in ("parts", "articles", "failures"):
            self.db.execute(f"DELETE FROM {table} WHERE part = ?", (part,))  # noqa: S608 - fixed names

    # -- results ----------------------------------------------------------------------------
    def known(self, result: dict) -> bool:
        """Whether this article is recorded already, unchanged (a result delivered twice)."""
        row = self.db.execute("SELECT stamp, hash FROM articles WHERE part = ? AND idx = ?",
                              (result["part"], result["idx"])).fetchone()
        return row is not None and (row[0] or row[1]) == (result["stamp"] or result["hash"])

    def record(self, results: Iterable[dict], keep_results: bool) -> None:
        """Record finished articles, replacing older records of changed ones (one transaction)."""
        with self._transaction():
            for r in results:
                self.db.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (r["part"], r["idx"], r["id"], r["status"], r["hash"], r["stamp"], r["sentences"],
                     r["result"] if keep_results and r["status"] == "ok" else None))
                if r["status"] == "ok":
                    self.db.execute("DELETE FROM failures WHERE part = ? AND idx = ?", (r["part"], r["idx"]))
                else:
                    self.db.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?)",
                                    (r["part"], r["idx"], r["id"], r["name"], r["error"]))

    def done(self, part: int) -> int:
        """How many articles of the unsealed *part* are recorded."""
        return self.db.execute("SELECT count(*) FROM articles WHERE part = ?", (part,)).fetchone()[0]

    def results(self, part: int) -> dict[int, str | None]:
        """idx -> the stored result of each finished article of *part* (None if it failed)."""
        return dict(self.db.execute("SELECT idx, result FROM articles WHERE part = ? ORDER BY idx", (part,)))

    def seal(self, part: int) -> None:
        """Mark *part* finished and drop its article records (its failures stay)."""
        with self._transaction():
            done, sentences = self.db.execute(
                "SELECT count(*), coalesce(sum(sentences), 0) FROM articles WHERE part = ? AND status = 'ok'",
                (part,)).fetchone()
            self.db.execute("UPDATE parts SET sealed = 1, done = ?, sentences = ? WHERE part = ?",
                            (done, sentences, part))
            self.db.execute("DELETE FROM articles WHERE part = ?", (part,))

    def failures(self) -> Iterator[tuple[str, str, str]]:
        """``(id, name, error)`` of every failed article, in input order."""
        yield from self.db.execute("SELECT id, name, error FROM failures ORDER BY part, idx")

    def totals(self) -> tuple[int, int, int]:
        """(articles translated, sentences, articles failed) recorded so far, all runs together."""
        sealed = self.db.execute("SELECT coalesce(sum(done), 0), coalesce(sum(sentences), 0) FROM parts").fetchone()
        journal = self.db.execute("SELECT count(*), coalesce(sum(sentences), 0) FROM articles "
                                  "WHERE status = 'ok'").fetchone()
        failed = self.db.execute("SELECT count(*) FROM failures").fetchone()[0]
        return sealed[0] + journal[0], sealed[1] + journal[1], failed

    def _transaction(self):
        return Transaction(self.db, self.path)


def _lock(path: Path) -> int:
    """An exclusive lock on *path*, held until closed: one run writes to an output folder at a time."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise UsageError("another run is writing to this output folder: wait for it, or choose another "
                         "--output", path=str(path.parent.parent)) from None
    return fd


class Transaction:
    """BEGIN ... COMMIT (ROLLBACK on error); SQLite errors become :class:`OutputError`."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db, self.path = db, path

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None:
            try:
                self.db.execute("COMMIT")
                return False
            except sqlite3.Error as error:
                exc = error
        self.db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise OutputError(f"cannot update the manifest: {exc}", path=str(self.path)) from None
        return False
