"""Cutting the input into parts: the unit of reading, of sealing, and of table shards.

A part is a run of consecutive articles of one input: up to *size* files of one folder
(sorted by name), up to *size* non-blank lines of one JSON Lines file, or one row group
of one Parquet file.  Each is described by a small JSON-able dict, so the driver holds
one dict per part, never one per article.  The plan depends only on the input and the
size: part ``n`` of a restarted run is part ``n`` of the first one, which is what lets
the manifest say which parts are finished.

Planning also checks, before Ray starts, that each table has the id and text fields: a
Parquet file's schema, and the first :data:`FIELD_PROBE` non-blank lines of a JSON Lines
file.  A table none of whose first records has the field stops the run (a wrong
``--text-field`` or ``--id-field``: :class:`MissingField`, exit 2); records that lack it
while others have it fail one by one when they are read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, UsageError
from ..globs import _is_file
from ..inputs import _generated, _match, _wanted

FILES, JSONL, PARQUET = "files", "jsonl", "parquet"
TABLE_ENDINGS = {".jsonl": JSONL, ".ndjson": JSONL, ".parquet": PARQUET}
DEFAULT_SIZE = 1000
FIELD_PROBE = 100  # the first non-blank lines of a JSON Lines file whose fields are checked
_MIXED = ("mixes articles (.txt, .md, .po, .html, ...) and tables (.jsonl, .parquet): pass a folder of one kind, "
          "or narrow it with --include")


class MissingField(UsageError):
    """A table without the id or the text field: a wrong ``--id-field``/``--text-field`` (exit 2)."""


@dataclass(frozen=True)
class Filter:
    """Which files of a folder are input: types, ``--include``/``--exclude`` globs, recursion."""

    recursive: bool = True
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()  # real paths of folders never entered (the output folder)

    def kind(self, below: str) -> str | None:
        """The input kind of the file at *below* (relative, forward slashes), or None."""
        name = below.rsplit("/", 1)[-1]
        if _wanted(below, list(self.include), list(self.exclude)):  # what 'translate DIR' takes
            return None if _generated(name) else FILES
        kind = TABLE_ENDINGS.get(os.path.splitext(name)[1].lower())
        if kind is None or (self.include and not any(_match(below, name, g) for g in self.include)):
            return None
        return None if any(_match(below, name, g) for g in self.exclude) else kind


@dataclass(frozen=True)
class Plan:
    kind: str  # FILES, JSONL or PARQUET
    root: Path  # relative paths in the parts start here (absolute: workers may run elsewhere)
    parts: list[dict]

    @property
    def articles(self) -> int:
        return sum(p["count"] for p in self.parts)


def plan(input_path: str | os.PathLike[str], *, size: int = DEFAULT_SIZE, where: Filter = Filter(),
         id_field: str = "id", text_field: str = "text", reserved: tuple[str, ...] = ()) -> Plan:
    """The parts of *input_path*: a folder of articles or of tables, a .jsonl or a .parquet file."""
    path = Path(input_path)
    if size < 1:
        raise UsageError(f"part size must be at least 1, not {size}")
    if path.is_dir():
        root = path.resolve()
        listing = folder_listing(root, where)
    elif path.is_file():
        kind = TABLE_ENDINGS.get(path.suffix.lower())
        if kind is None:
            raise UsageError("batch takes a folder, a .jsonl or a .parquet file: for one article, "
                             "use 'translate FILE'", path=str(path))
        root, listing = path.resolve().parent, iter([("", [path.name])])
    else:
        raise InputError("no such file or folder: check the path", path=str(path))
    kind, parts = None, []
    for folder, names in listing:
        for name in names:
            rel = f"{folder}/{name}" if folder else name
            found = where.kind(rel) if path.is_dir() else TABLE_ENDINGS[path.suffix.lower()]
            if kind is not None and found != kind:
                raise UsageError(_MIXED, path=str(path))
            kind = found
        if kind == FILES:
            parts += _file_parts(root, folder, names, size)
        elif kind == JSONL:
            for name in names:
                check_fields(root, _join(folder, name), id_field, text_field, _label(path, folder, name))
                parts += jsonl_parts(root, _join(folder, name), size)
        elif kind == PARQUET:
            parts += [p for name in names
                      for p in parquet_parts(root, _join(folder, name), id_field, text_field, reserved,
                                             label=_label(path, folder, name))]
    if kind is None:
        raise InputError("no input found: articles (.txt, .md, .po, .html, ...), .jsonl or .parquet files",
                         path=str(path))
    for number, part in enumerate(parts):
        part["part"] = number
    return Plan(kind, root, parts)


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _label(given: Path, folder: str, name: str) -> str:
    """A table's path as the user would write it: the input file, or below the input folder."""
    return str(given / folder / name) if given.is_dir() else str(given)


def folder_listing(root: Path, where: Filter) -> Iterator[tuple[str, list[str]]]:
    """``(folder, names)`` for each folder below *root* holding input files, folders and
    names sorted; symlinked folders are not entered (no loops), nor the ``skip`` folders."""
    skip = {os.path.realpath(s) for s in where.skip}
    for current, dirs, _ in os.walk(root):
        if not where.recursive:
            dirs.clear()
        dirs[:] = sorted(d for d in dirs if os.path.realpath(os.path.join(current, d)) not in skip)
        folder = Path(current).relative_to(root).as_posix()
        folder = "" if folder == "." else folder
        names = listed(root, folder, where)
        if names:
            yield folder, names


def listed(root: Path, folder: str, where: Filter) -> list[str]:
    """The input files directly in *root*/*folder*, sorted (the reader lists them again)."""
    try:
        with os.scandir(root / folder) as entries:
            files = [e.name for e in entries if _is_file(e)]
    except OSError as exc:
        raise InputError(f"cannot list: {exc.strerror or exc}", path=str(root / folder)) from None
    return sorted(n for n in files if where.kind(_join(folder, n)))


def names_digest(names: Iterable[str]) -> str:
    """A short hash of a list of file names: a part of a folder that changed is noticed."""
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def stamps_digest(root: Path, folder: str, names: Iterable[str]) -> str:
    """A short hash of the files' sizes and modification times: a part whose articles were
    edited since a run (a failed one fixed) is noticed, and translated again."""
    digest = hashlib.sha256()
    for name in names:
        try:
            info = os.stat(root / _join(folder, name))
            stamp = f"{info.st_size}:{info.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        digest.update(f"{name}\0{stamp}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def _file_parts(root: Path, folder: str, names: list[str], size: int) -> list[dict]:
    return [{"kind": FILES, "dir": folder, "start": i, "end": min(i + size, len(names)),
             "count": min(i + size, len(names)) - i, "names": names_digest(names[i:i + size]),
             "stamps": stamps_digest(root, folder, names[i:i + size])}
            for i in range(0, len(names), size)]


def shard_name(rel: str, number: int, ending: str) -> str:
    """``exports/2019.jsonl``, 3 -> ``exports/2019.00003.jsonl``: a table part's output file."""
    stem = rel[: -len(Path(rel).suffix)] if Path(rel).suffix else rel
    return f"{stem}.{number:05d}{ending}"


def check_fields(root: Path, rel: str, id_field: str, text_field: str, label: str | None = None) -> None:
    """Refuse a JSON Lines file none of whose first :data:`FIELD_PROBE` records has the id or the
    text field (:class:`MissingField`, naming the fields they have).  Lines that are not JSON
    objects are passed over; when none of those lines is one, nothing is said here (each line
    fails as not valid JSON when it is read)."""
    found: dict[str, None] = {}  # the fields seen, in order of appearance
    objects = lines = 0
    try:
        with open(root / rel, "rb") as fh:
            for raw in fh:
                if not raw.strip():
                    continue
                lines += 1
                try:
                    record = json.loads(raw)
                except ValueError:
                    record = None
                if isinstance(record, dict):
                    objects += 1
                    found.update(dict.fromkeys(record))
                    if id_field in found and text_field in found:
                        return
                if lines >= FIELD_PROBE:
                    break
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=label or str(root / rel)) from None
    if not objects:
        return
    field, option, what = ((id_field, "--id-field", "id") if id_field not in found
                           else (text_field, "--text-field", "text"))
    raise MissingField(f"no field {field!r} in its first records ({_names('fields', list(found))}): "
                       f"choose the {what} with {option}", path=label or str(root / rel))


def _names(what: str, names: list[str], most: int = 20) -> str:
    """``fields: id, body, title`` (the first *most*, then how many more)."""
    more = f", and {len(names) - most} more" if len(names) > most else ""
    return f"{what}: {', '.join(names[:most]) or 'none'}{more}"


def jsonl_parts(root: Path, rel: str, size: int) -> Iterator[dict]:
    """Parts of *size* non-blank lines, by byte range, with the number of their first line."""
    start, first, count, number, line = 0, 1, 0, 0, 0
    offset = 0
    try:
        with open(root / rel, "rb") as fh:
            for raw in fh:
                line += 1
                offset += len(raw)
                if not raw.strip():
                    if count == 0:  # blank lines before a part belong to no part
                        start, first = offset, line + 1
                    continue
                count += 1
                if count == size:
                    yield _jsonl_part(rel, start, offset, first, count, number)
                    start, first, count, number = offset, line + 1, 0, number + 1
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(root / rel)) from None
    if count:
        yield _jsonl_part(rel, start, offset, first, count, number)


def _jsonl_part(rel: str, start: int, end: int, first: int, count: int, number: int) -> dict:
    return {"kind": JSONL, "file": rel, "start": start, "end": end, "line": first, "count": count,
            "shard": shard_name(rel, number, ".jsonl")}


def parquet_parts(root: Path, rel: str, id_field: str, text_field: str,
                  reserved: tuple[str, ...] = (), label: str | None = None) -> Iterator[dict]:
    """One part per non-empty row group; the id and text columns must exist (else
    :class:`MissingField`, naming the columns), and no column may have the name of an output
    column (*reserved*).  *label*: the file as the user wrote it, for messages."""
    import pyarrow.parquet as pq

    where = label or str(root / rel)
    try:
        meta = pq.ParquetFile(root / rel).metadata
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(f"not a readable Parquet file: {exc}", path=where) from None
    columns = meta.schema.to_arrow_schema().names
    names = set(columns)
    for field, option in ((id_field, "--id-field"), (text_field, "--text-field")):
        if field not in names:
            raise MissingField(f"no column {field!r}: choose the column with {option} "
                               f"({_names('columns', columns)})", path=where)
    clash = sorted(names.intersection(reserved))
    if clash:
        raise InputError(f"column {clash[0]!r} has the name of an output column: rename it", path=where)
    row = 0
    for group in range(meta.num_row_groups):
        count = meta.row_group(group).num_rows
        if count:
            yield {"kind": PARQUET, "file": rel, "group": group, "row": row, "count": count,
                   "shard": shard_name(rel, group, ".parquet")}
        row += count
