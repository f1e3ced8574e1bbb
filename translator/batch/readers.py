"""A part of the input as article rows (run in Ray tasks, through ``map_batches``).

Every article of a part becomes one row, numbered ``idx`` from 0 in input order, unless
the manifest already holds it unchanged (the part's ``skip``: idx -> file stamp, size and
modification time, for folders; hash of the text for tables).
A row that cannot be an article (a line that is not JSON, a missing field) becomes a
row with ``error`` set: it is recorded as failed, and the part can still be finished.
Its ``id`` is the record's id whenever the record has a valid one (a string or an
integer, written as the outputs write it: ``str(2)``), so that ``failures.jsonl`` names
the article; it is empty only for a line that is not a JSON object, or a record without
an id (or with an id of another type).

Folder articles (kind ``file``) are not read here but by the actor that translates them,
which picks their document type; table articles (kind ``text``) carry their text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import parts as P
from ..errors import InputError

#: Columns of a row, in order; every value is a str or an int (never None: Arrow-friendly).
COLUMNS = ("part", "idx", "id", "name", "kind", "path", "text", "hash", "stamp", "error")


@dataclass(frozen=True)
class Reading:
    """What every reader task needs: where the input is and how to read a row."""

    root: str  # absolute folder the parts' relative paths start from
    prefix: str  # that folder as the user wrote it, for messages ("" for the current folder)
    where: P.Filter = P.Filter()
    id_field: str = "id"
    text_field: str = "text"
    reserved: tuple[str, ...] = ()  # the output columns: an input field of that name is refused

    def label(self, rel: str) -> str:
        return f"{self.prefix}/{rel}" if self.prefix else rel


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def read_parts(batch, reading: Reading) -> dict[str, list]:
    """The ``map_batches`` function: a batch of part descriptors (JSON) -> article rows."""
    rows: list[dict] = []
    for text in batch.column("part").to_pylist():
        rows += read_part(json.loads(text), reading)
    return {c: [r[c] for r in rows] for c in COLUMNS}


def read_part(part: dict, reading: Reading) -> list[dict]:
    reader = {P.FILES: _files, P.JSONL: _jsonl, P.PARQUET: _parquet}[part["kind"]]
    skip = part.get("skip", {})
    return [r for r in reader(part, reading) if skip.get(str(r["idx"])) != (r["stamp"] or r["hash"])]


def _row(part: dict, idx: int, **values) -> dict:
    row = dict.fromkeys(COLUMNS, "")
    row.update(part=part["part"], idx=idx, **values)
    return row


def _files(part: dict, reading: Reading) -> list[dict]:
    root = Path(reading.root)
    names = P.listed(root, part["dir"], reading.where)[part["start"]:part["end"]]
    if P.names_digest(names) != part["names"]:
        raise InputError("the folder changed during the run: run the same command again",
                         path=reading.label(part["dir"]) or ".")
    rows = []
    for idx, name in enumerate(names):
        rel = f"{part['dir']}/{name}" if part["dir"] else name
        path = root / rel
        try:
            info = path.stat()
            stamp = f"{info.st_size}:{info.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        rows.append(_row(part, idx, id=rel, name=reading.label(rel), kind="file", path=str(path), stamp=stamp))
    return rows


def _jsonl(part: dict, reading: Reading) -> list[dict]:
    path = Path(reading.root) / part["file"]
    try:
        with open(path, "rb") as fh:
            fh.seek(part["start"])
            data = fh.read(part["end"] - part["start"])
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=reading.label(part["file"])) from None
    rows, idx = [], 0
    for number, raw in enumerate(data.splitlines(), part["line"]):
        if not raw.strip():
            continue
        name = f"{reading.label(part['file'])}:{number}"
        try:
            record = json.loads(raw)
        except ValueError as exc:
            rows.append(_row(part, idx, name=name, kind="error", error=f"{name}: not valid JSON: {_reason(exc)}"))
        else:
            rows.append(_table_row(part, idx, name, record, reading))
        idx += 1
    return rows


def _reason(exc: ValueError) -> str:
    return f"{exc.msg} (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else str(exc)


def _parquet(part: dict, reading: Reading) -> list[dict]:
    import pyarrow.parquet as pq

    path = Path(reading.root) / part["file"]
    try:
        table = pq.ParquetFile(path).read_row_group(part["group"], columns=[reading.id_field, reading.text_field])
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read row group {part['group']}: {exc}", path=reading.label(part["file"])) from None
    rows = []
    for idx, record in enumerate(table.to_pylist()):
        name = f"{reading.label(part['file'])}:{part['row'] + idx + 1}"
        rows.append(_table_row(part, idx, name, record, reading, check_reserved=False))
    return rows


def _table_row(part: dict, idx: int, name: str, record, reading: Reading, check_reserved: bool = True) -> dict:
    """A JSON Lines object or a Parquet row as an article row, or as a row with its error."""
    problem = _problem(record, reading, check_reserved)
    if problem:
        return _row(part, idx, id=_key(record, reading), name=name, kind="error", error=f"{name}: {problem}")
    text = record[reading.text_field]
    return _row(part, idx, id=_key(record, reading), name=name, kind="text", text=text, hash=text_hash(text))


def _key(record: object, reading: Reading) -> str:
    """The record's id as the outputs write it (``2`` -> ``"2"``), or "" when it has no valid one."""
    key = record.get(reading.id_field) if isinstance(record, dict) else None
    return str(key) if isinstance(key, (str, int)) and not isinstance(key, bool) else ""


def _problem(record, reading: Reading, check_reserved: bool) -> str | None:
    if not isinstance(record, dict):
        return "not a JSON object"
    for key, option in ((reading.id_field, "--id-field"), (reading.text_field, "--text-field")):
        if record.get(key) is None:
            return f"{key}: missing: choose the field with {option}"
    key = record[reading.id_field]
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        return f"{reading.id_field}: must be a string or an integer"
    if not isinstance(record[reading.text_field], str):
        return f"{reading.text_field}: must be a string"
    clash = [k for k in reading.reserved if k in record] if check_reserved else []
    if clash:
        return f"{clash[0]}: an output column has this name: rename the field"
    return None

