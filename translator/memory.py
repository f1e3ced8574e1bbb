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
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

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
    """Open (creating if needed) the memory at *path*."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_PATH) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 60000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a translation memory: {exc}", path=str(self.path)) from None
        self.counters = Counters()

    def close(self) -> None:
        self._db.close()

    # -- identities ----------------------------------------------------------------------
    def checksum(self, path: Path) -> str:
        """sha256 of a model file, computed once per (size, mtime) and cached here."""
        st = path.stat()
        row = self._db.execute("SELECT size, mtime_ns, sha256 FROM checksums WHERE path = ?",
                               (str(path),)).fetchone()
        if row and row[0] == st.st_size and row[1] == st.st_mtime_ns:
            return row[2]
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        value = digest.hexdigest()
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
        keys = {normalize(s): s for s in sentences}
        now = time.time()
        for origin_route, origin_glossary in ((HUMAN, ""), (route_id, glossary_id)):
            missing = [k for k in keys if keys[k] not in found]
            for start in range(0, len(missing), 500):
                chunk = missing[start:start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT source, target FROM segments WHERE route = ? AND glossary = ? AND source_lang = ? "
                    f"AND target_lang = ? AND source IN ({marks})",
                    (origin_route, origin_glossary, source_lang, target_lang, *chunk)).fetchall()
                for source, target in rows:
                    found[keys[source]] = target
                    if origin_route == HUMAN:
                        self.counters.human += 1
                if rows:
                    hit_marks = ",".join("?" * len(rows))
                    self._db.execute(
                        f"UPDATE segments SET used = ?, hits = hits + 1 WHERE route = ? AND glossary = ? "
                        f"AND source_lang = ? AND target_lang = ? AND source IN ({hit_marks})",
                        (now, origin_route, origin_glossary, source_lang, target_lang,
                         *[r[0] for r in rows]))
        self.counters.reused += len(found)
        return found

    def store(self, route_id: str, glossary_id: str, source_lang: str, target_lang: str,
              pairs: list[tuple[str, str]], *, origin: str = MACHINE) -> None:
        """Remember (source, target) pairs; human ones are stored for every route."""
        if not pairs:
            return
        now = time.time()
        if origin == HUMAN:
            route_id, glossary_id = HUMAN, ""
        rows = [(route_id, glossary_id, source_lang, target_lang, normalize(s), t, origin, now, now)
                for s, t in pairs if s.strip()]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT INTO segments (route, glossary, source_lang, target_lang, source, target, origin, "
                "created, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (route, glossary, source_lang, target_lang, source) "
                "DO UPDATE SET target = excluded.target, used = excluded.used", rows)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        if origin == MACHINE:
            self.counters.translated += len(rows)

    # -- maintenance ---------------------------------------------------------------------
    def stats(self) -> dict:
        rows = self._db.execute(
            "SELECT origin, source_lang, target_lang, COUNT(*), SUM(hits) FROM segments "
            "GROUP BY origin, source_lang, target_lang ORDER BY origin, source_lang, target_lang").fetchall()
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
        cur = self._db.execute(f"DELETE FROM segments{where}", args)
        return cur.rowcount

    def rows(self):
        return self._db.execute("SELECT source_lang, target_lang, source, target, origin, route FROM segments "
                                "ORDER BY source_lang, source, target_lang").fetchall()


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
    """Store the translation units of a TMX file as human translations; return how many."""
    import xml.etree.ElementTree as ET

    from .languages import canonical

    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
        if b"<!ENTITY" in data:
            raise InputError("entity declarations are refused in TMX files", path=name)
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(f"invalid TMX: {exc}", path=f"{name}:{exc.position[0]}") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    header = root.find("header")
    default_src = source_lang or (header.get("srclang") if header is not None else None)
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for tu in root.iter("tu"):
        segs = {}
        for tuv in tu.iter("tuv"):
            lang = canonical(tuv.get(lang_attr) or tuv.get("lang") or "")
            seg = tuv.find("seg")
            if lang and seg is not None:
                segs[lang] = "".join(seg.itertext())
        src = canonical(tu.get("srclang") or default_src or "") or next(iter(segs), None)
        if src not in segs:
            continue
        for lang, text in segs.items():
            if lang != src and text.strip():
                pairs.setdefault((src, lang), []).append((segs[src], text))
    for (src, tgt), items in pairs.items():
        memory.store("", "", src, tgt, items, origin=HUMAN)
    return sum(len(v) for v in pairs.values())
