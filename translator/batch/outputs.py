"""Writing what a run produces, each file atomically (a temporary file, then a rename).

- folder input: each article's translations where ``translate -o`` would put them,
  in a tree that mirrors the input's (``OUT/2019/a.txt`` -> ``OUT/2019/a.es.txt``,
  ``OUT/ui/messages.pot`` -> ``OUT/ui/messages.es.po``);
- table input: one shard per part, the input rows in input order with the output
  columns added (failed rows are left out: they are in ``failures.jsonl``);
- ``OUT/failures.jsonl``: one line per failed article, in input order.

Temporary files go to ``OUT/.batch/tmp``, emptied when a run starts, so a killed run
leaves nothing half-written among the outputs.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError
from ..textio import _umask, derived_path, write_atomic

FAILURES = "failures.jsonl"


def clean_tmp(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True, exist_ok=True)


def article_outputs(out: Path, rel: str, files: list[dict]) -> list[tuple[Path, str | bytes]]:
    """(path, data) of each translation of the article at *rel* (relative to the input folder):
    *files* as the actors give them (``{"ending": ".es.md", "text": ...}`` or ``"base64"``)."""
    folder = out / Path(rel).parent
    return [(derived_path(rel, f["ending"], folder), f["text"] if "text" in f else base64.b64decode(f["base64"]))
            for f in files]


def write_article(out: Path, rel: str, files: list[dict], tmp: Path) -> None:
    for path, data in article_outputs(out, rel, files):
        write_atomic(path, data, tmp_dir=tmp)


def write_jsonl_shard(out: Path, root: Path, part: dict, results: dict[int, str | None], tmp: Path) -> Path:
    """The part's input lines, each object with its output columns added, as ``OUT/<shard>``."""
    dest = out / part["shard"]
    with open(root / part["file"], "rb") as source:
        source.seek(part["start"])
        data = source.read(part["end"] - part["start"])

    def write(fh) -> None:
        idx = 0
        for raw in data.splitlines():
            if not raw.strip():
                continue
            added = results.get(idx)
            idx += 1
            if added is not None:
                record = json.loads(raw)
                record.update(json.loads(added))
                fh.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))

    _atomic(dest, tmp, write)
    return dest


def write_parquet_shard(out: Path, root: Path, part: dict, results: dict[int, str | None], tmp: Path,
                        columns: tuple[str, ...]) -> Path:
    """The part's row group with its output columns added, as ``OUT/<shard>`` (Parquet).
    Text columns are strings; ``route`` and ``terms`` are JSON strings, ``warnings`` a list."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    dest = out / part["shard"]
    source = pq.ParquetFile(root / part["file"])
    added = [pa.field(c, pa.list_(pa.string()) if c == "warnings" else pa.string()) for c in columns]
    schema = pa.schema(list(source.schema_arrow) + added, metadata=source.schema_arrow.metadata)

    def write(fh) -> None:
        with pq.ParquetWriter(fh, schema) as writer:
            start = 0
            for batch in source.iter_batches(row_groups=[part["group"]], batch_size=1024):
                rows = [results.get(i) for i in range(start, start + batch.num_rows)]
                start += batch.num_rows
                keep = [r is not None for r in rows]
                table = pa.Table.from_batches([batch]).filter(pa.array(keep, pa.bool_()))
                values = [json.loads(r) for r in rows if r is not None]
                for f in added:
                    cells = [_cell(v[f.name], f.name) for v in values]
                    table = table.append_column(f, pa.array(cells, f.type))
                writer.write_table(table)

    _atomic(dest, tmp, write)
    return dest


def _cell(value, column: str):
    return value if column == "warnings" or isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def write_failures(out: Path, failures: Iterable[tuple[str, str, str]], tmp: Path) -> int:
    """``OUT/failures.jsonl`` (removed when nothing failed); return the number of lines."""
    lines = [json.dumps({"id": key, "name": name, "error": error}, ensure_ascii=False) + "\n"
             for key, name, error in failures]
    path = out / FAILURES
    if lines:
        write_atomic(path, "".join(lines), tmp_dir=tmp)
    else:
        path.unlink(missing_ok=True)
    return len(lines)


def _atomic(dest: Path, tmp: Path, write) -> None:
    """Call *write* with a binary file in *tmp*, then move it to *dest* (made readable as a
    normal write would: ``0o666`` less the umask)."""
    part = tmp / f"{dest.name}.{os.getpid()}.part"
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(part, 0o666 & ~_umask())
        os.replace(part, dest)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(dest)) from None
