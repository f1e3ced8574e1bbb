"""Translation memory: an SQLite database of translated sentences (stdlib sqlite3, WAL).

A machine translation is stored under the identity of what produced it: the route
(engines, pairs, versions, and the checksum of each Argos model), the glossary
(a hash of its concepts), the two languages and the normalised source sentence.
Change any of them and the sentence is translated again.  Human translations
(imported from TMX, or harvested from edited files) are stored for the languages and
source alone, and win over machine output whatever the engine.

Several processes may use one memory at once (pre-commit runs hooks in parallel):
WAL mode, a busy timeout, and one short transaction per batch.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, OutputError, TranslatorError

DEFAULT_PATH = Path(".translator") / "memory.sqlite"
HUMAN = "human"
MACHINE = "machine"
SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    route TEXT NOT NULL,
    glossary TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    created REAL NOT NULL,
    used REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (route, glossary, source_lang, target_lang, source)
);
CREATE TABLE IF NOT EXISTS checksums (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL
);
"""


def normalize(sentence: str) -> str:
    """The memory key of a sentence: NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", sentence).split())


@dataclass
class Counters:
    """What one run took from the memory and what it asked the engines for."""

    reused: int = 0  # sentences found in the memory
    human: int = 0  # ... of which human translations
    translated: int = 0  # sentences sent to the engines and stored


class Memory:
    """The memory at *path*: opened now if it exists, created by the first write.

    So a run or an import that fails before storing anything leaves no file behind,
    and a database this object created is removed again if its first write fails.
    SQLite and file-system failures become one-line errors that say what happened:
    not an SQLite file, damaged, disk full, read-only, permission denied, locked.
    """

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_PATH) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._created: list[Path] = []  # what this object created, until its first commit
        self.counters = Counters()
        if self.path.is_dir():
            raise InputError("is a directory: pass the database file, for example DIR/memory.sqlite",
                             path=str(self.path))
        if self.path.exists() or self.path.is_symlink():
            self._open()

    def _open(self) -> sqlite3.Connection:
        with self._errors():
            if not self.path.exists():
                self._created = _make_folder(self.path.parent)
                if _create_empty(self.path):  # an empty file is an empty SQLite database
                    self._created.append(self.path)
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 60000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(SCHEMA)
        return self._db

    def _writer(self) -> sqlite3.Connection:
        return self._db if self._db is not None else self._open()

    @contextmanager
    def _errors(self):
        """Turn SQLite and OS errors into one-line errors; undo a creation that failed."""
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            error = _memory_error(exc, self.path)
            self._discard()
            raise error from None

    def _discard(self) -> None:
        """Remove the database (and folders) this object created and never committed to,
        unless another process has stored segments in it meanwhile."""
        created, self._created = self._created, []
        if not created:
            return
        if self._db is not None:
            self._db.close()
            self._db = None
        if self.path in created and _holds_segments(self.path):
            return
        for suffix in ("-wal", "-shm", "-journal", "") if self.path in created else ():
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        for folder in reversed([p for p in created if p != self.path]):
            try:
                folder.rmdir()
            except OSError:
                break

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- identities ----------------------------------------------------------------------
    def checksum(self, path: Path) -> str:
        """sha256 of a model file, computed once per (size, mtime) and cached here."""
        st = path.stat()
        if self._db is not None:
            with self._errors():
                row = self._db.execute("SELECT size, mtime_ns, sha256 FROM checksums WHERE path = ?",
                                       (str(path),)).fetchone()
            if row and row[0] == st.st_size and row[1] == st.st_mtime_ns:
                return row[2]
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        value = digest.hexdigest()
        if self._db is not None:  # a cache: not a reason to create the database
            with self._errors():
                self._db.execute("INSERT OR REPLACE INTO checksums VALUES (?, ?, ?, ?)",
                                 (str(path), st.st_size, st.st_mtime_ns, value))
        return value

    def route_identity(self, route) -> str:
        parts = []
        for pair in route.pairs:
            ident = f"{pair.engine}:{pair.name}@{pair.version}"
            model = Path(pair.location) / "model" / "model.bin" if pair.engine == "argos" else None
            if model is not None and model.is_file():
                ident += f"#{self.checksum(model)[:16]}"
            parts.append(ident)
        return ">".join(parts)

    # -- lookups and stores --------------------------------------------------------------
    def lookup(self, route_id: str, glossary_id: str, source_lang: str, target_lang: str,
               sentences: list[str]) -> dict[str, str]:
        """Translations known for *sentences*: human ones first, then this route's."""
        found: dict[str, str] = {}
        if self._db is None:  # no database yet: nothing known
            return found
        keys = {normalize(s): s for s in sentences}
        now = time.time()
        with self._errors():
            for origin_route, origin_glossary in ((HUMAN, ""), (route_id, glossary_id)):
                missing = [k for k in keys if keys[k] not in found]
                for start in range(0, len(missing), 500):
                    self._lookup_chunk(found, keys, missing[start:start + 500], now,
                                       (origin_route, origin_glossary, source_lang, target_lang))
        self.counters.reused += len(found)
        return found

    def _lookup_chunk(self, found: dict[str, str], keys: dict[str, str], chunk: list[str], now: float,
                      identity: tuple[str, str, str, str]) -> None:
        marks = ",".join("?" * len(chunk))
        rows = self._db.execute(
            f"SELECT source, target FROM segments WHERE route = ? AND glossary = ? AND source_lang = ? "
            f"AND target_lang = ? AND source IN ({marks})", (*identity, *chunk)).fetchall()
        for source, target in rows:
            found[keys[source]] = target
            if identity[0] == HUMAN:
                self.counters.human += 1
        if rows:
            hit_marks = ",".join("?" * len(rows))
            self._db.execute(
                f"UPDATE segments SET used = ?, hits = hits + 1 WHERE route = ? AND glossary = ? "
                f"AND source_lang = ? AND target_lang = ? AND source IN ({hit_marks})",
                (now, *identity, *[r[0] for r in rows]))

    def store(self, route_id: str, glossary_id: str, source_lang: str, target_lang: str,
              pairs: list[tuple[str, str]], *, origin: str = MACHINE) -> None:
        """Remember (source, target) pairs; human ones are stored for every route."""
        if origin == HUMAN:
            route_id, glossary_id = HUMAN, ""
        rows = [(route_id, glossary_id, source_lang, target_lang, normalize(s), t, origin)
                for s, t in pairs if s.strip()]
        self._insert(rows)
        if origin == MACHINE:
            self.counters.translated += len(rows)

    def store_human(self, items: list[tuple[str, str, str, str]]) -> None:
        """Remember (source_lang, target_lang, source, target) human translations, all or none."""
        self._insert([(HUMAN, "", sl, tl, normalize(s), t, HUMAN) for sl, tl, s, t in items if s.strip()])

    def _insert(self, rows: list[tuple[str, str, str, str, str, str, str]]) -> None:
        """One transaction: every row is stored, or none."""
        if not rows:
            return
        now = time.time()
        with self._errors():
            db = self._writer()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "INSERT INTO segments (route, glossary, source_lang, target_lang, source, target, origin, "
                    "created, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (route, glossary, source_lang, target_lang, source) "
                    "DO UPDATE SET target = excluded.target, used = excluded.used",
                    [(*row, now, now) for row in rows])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        self._created = []  # committed: the database is ours to keep

    # -- maintenance ---------------------------------------------------------------------
    def stats(self) -> dict:
        rows = self._read(
            "SELECT origin, source_lang, target_lang, COUNT(*), SUM(hits) FROM segments "
            "GROUP BY origin, source_lang, target_lang ORDER BY origin, source_lang, target_lang")
        return {"path": str(self.path), "segments": sum(r[3] for r in rows),
                "by_pair": [{"origin": o, "source": s, "target": t, "segments": n, "hits": h or 0}
                            for o, s, t, n, h in rows]}

    def prune(self, *, older_than_days: float | None = None, machine_only: bool = True) -> int:
        """Delete machine segments unused for *older_than_days* (all machine ones if None)."""
        clauses, args = [], []
        if machine_only:
            clauses.append("origin = ?")
            args.append(MACHINE)
        if older_than_days is not None:
            clauses.append("used < ?")
            args.append(time.time() - older_than_days * 86400)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        if self._db is None:
            return 0
        with self._errors():
            return self._db.execute(f"DELETE FROM segments{where}", args).rowcount

    def rows(self) -> list[tuple]:
        return self._read("SELECT source_lang, target_lang, source, target, origin, route FROM segments "
                          "ORDER BY source_lang, source, target_lang")

    def _read(self, query: str) -> list[tuple]:
        """Rows of *query*; none when the database does not exist yet."""
        if self._db is None:
            return []
        with self._errors():
            return self._db.execute(query).fetchall()


def _make_folder(folder: Path) -> list[Path]:
    """Create *folder* and its missing parents; return those created, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue
        created.append(path)
    return created


def _create_empty(path: Path) -> bool:
    """Create *path* empty, unless it exists (then another process made it: not ours)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError:
        return False
    return True


def _holds_segments(path: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT EXISTS (SELECT 1 FROM segments)").fetchone()[0] == 1
    except sqlite3.Error:
        return False


def _memory_error(exc: sqlite3.Error | OSError, path: Path) -> TranslatorError:
    """The one-line error that says what went wrong with the memory at *path*."""
    name = str(path)
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    if primary == sqlite3.SQLITE_NOTADB:
        return InputError("not a translation memory (not an SQLite database): pass another --memory path, "
                          "or move this file away", path=name)
    if primary == sqlite3.SQLITE_CORRUPT:
        return InputError("damaged translation memory (SQLite: database disk image is malformed): restore a "
                          "backup, or move it away and start a new one", path=name)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return OutputError("the translation memory stayed locked by another process for 60 s: try again",
                           path=name)
    problem = _write_problem(path)
    if problem is None and isinstance(exc, OSError):
        problem = (exc.strerror or str(exc)).lower()
    if problem is None and primary == sqlite3.SQLITE_FULL:
        problem = "disk full"
    if problem is None and primary == sqlite3.SQLITE_READONLY:
        problem = "read-only file"
    if problem is None:
        return OutputError(f"translation memory error (SQLite: {exc}): check the disk and the file", path=name)
    fixes = {"disk full": "free some space or pass another --memory path",
             "read-only file system": "pass a --memory path on a writable disk",
             "read-only file": "make it writable or pass another --memory path",
             "permission denied": "check the permissions of the file and its folder, or pass another --memory path"}
    return OutputError(f"{problem}: cannot write the translation memory: "
                       f"{fixes.get(problem, 'pass another --memory path')}", path=name)


def _write_problem(path: Path) -> str | None:
    """Why *path* cannot be written, when the file system tells: read-only, full, or not ours."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        fs = os.statvfs(folder)
    except OSError:
        return None
    if fs.f_flag & os.ST_RDONLY:
        return "read-only file system"
    if fs.f_blocks == 0:  # /proc, /sys: no room was ever there, none was used up
        return "not a disk (a virtual file system such as /proc)"
    if fs.f_bavail == 0 or (os.geteuid() == 0 and fs.f_bfree == 0):
        return "disk full"
    for target in (path, folder) if path.exists() else (folder,):
        if not os.access(target, os.W_OK):
            return "permission denied"
    return None


def glossary_identity(glossary) -> str:
    """A hash of the glossary's concepts (not of its file names): same terms, same id."""
    if not glossary:
        return ""
    digest = hashlib.sha256()
    for concept in glossary.concepts:
        digest.update(repr((sorted(concept.forms.items()), concept.dnt, concept.case_sensitive)).encode())
    return digest.hexdigest()[:16]


def export_tmx(memory: Memory) -> str:
    """Every segment as TMX 1.4b (one ``tu`` per source sentence and language pair)."""
    import xml.etree.ElementTree as ET

    from . import __version__

    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(root, "header", {"creationtool": "translator", "creationtoolversion": __version__,
                                   "datatype": "plaintext", "segtype": "sentence", "adminlang": "en",
                                   "srclang": "*all*", "o-tmf": "translator"})
    body = ET.SubElement(root, "body")
    for source_lang, target_lang, source, target, origin, route in memory.rows():
        tu = ET.SubElement(body, "tu", {"srclang": source_lang})
        ET.SubElement(tu, "prop", {"type": "x-origin"}).text = origin
        if origin == MACHINE:
            ET.SubElement(tu, "prop", {"type": "x-route"}).text = route
        ET.SubElement(ET.SubElement(tu, "tuv", {lang_attr: source_lang}), "seg").text = source
        ET.SubElement(ET.SubElement(tu, "tuv", {lang_attr: target_lang}), "seg").text = target
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def import_tmx(memory: Memory, path: str | os.PathLike[str], *, source_lang: str | None = None) -> int:
    """Store the translations of a TMX file as human ones, all or none; return how many.

    *source_lang* (``--from``) is the source of units whose file says ``srclang="*all*"``."""
    from .languages import normalize as normalize_language
    from .tmx import read_tmx

    if source_lang is not None:
        source_lang = normalize_language(source_lang, option="--from")
    tmx = read_tmx(path)
    # a <seg> laid out over several lines: XML's white space (not no-break spaces) is layout
    items = [(src, tgt, unit.variants[src], re.sub(r"[ \t\r\n]+", " ", unit.variants[tgt]).strip())
             for unit, src, tgt in tmx.pairs(source_lang)]
    memory.store_human(items)
    return len(items)
