"""``translate batch`` and the records of a table: the id of a failed record, a wrong
--text-field/--id-field refused before Ray starts, and ids that two rows of a table share.

Without Ray, except one small real run (at the end) of a JSON Lines export with a record
without text and an id used twice.
"""

from __future__ import annotations

import json
import sys

import pytest

from translator.batch import actors, job, outputs, parts, readers
from translator.batch import ids as ids_module
from translator.batch.manifest import Manifest
from translator.batch.sink import Sink
from translator.cli import main
from translator.errors import ExitCode, UsageError



def _lines(path, records) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")


# -- 1. a failed record keeps its id -----------------------------------------------------------
def test_a_failed_record_keeps_its_id_in_failures_jsonl(tmp_path):
    path = tmp_path / "odd.jsonl"
    _lines(path, [{"id": 1, "text": "Bonjour."}, {"id": 2, "text": None}, {"id": "b"}, {"id": 3, "text": 5},
                  {"id": 4, "text": "t", "text_es": "?"}, {"text": "sans id"}, "{not json",
                  {"id": True, "text": None}, {"id": 1.5, "text": None}])
    reading = readers.Reading(str(tmp_path), "", reserved=actors.output_columns("text", ["es"]))
    rows = readers.read_part(parts.plan(path).parts[0], reading)
    assert [(r["id"], r["kind"]) for r in rows] == [
        ("1", "text"), ("2", "error"), ("b", "error"), ("3", "error"), ("4", "error"),
        ("", "error"), ("", "error"), ("", "error"), ("", "error")]  # no id, not JSON, ids of another type
    # Through the actors and the sink, as a run writes failures.jsonl.
    results = actors.translate_rows(None, rows[1:], actors.Settings(("es",)))
    out = tmp_path / "out"
    manifest = Manifest(out / ".batch", {"to": ["es"]})
    sink = Sink(manifest, parts.JSONL, tmp_path, out, ())
    outputs.clean_tmp(sink.tmp)
    sink.open(manifest.register(parts.plan(path).parts))
    sink.take(results)
    assert sink.finish() == 8
    manifest.close()
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]
    assert failures[0] == {"id": "2", "name": "odd.jsonl:2", "error": "odd.jsonl:2: text: missing: choose the "
                                                                       "field with --text-field"}
    assert [f["id"] for f in failures] == ["2", "b", "3", "4", "", "", "", ""]


def test_a_parquet_row_with_a_null_text_keeps_its_id(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [10, 20, 30], "text": ["Un.", None, "Trois."]}), tmp_path / "t.parquet")
    rows = readers.read_part(parts.plan(tmp_path / "t.parquet").parts[0], readers.Reading(str(tmp_path), ""))
    assert [(r["id"], r["kind"], r["name"]) for r in rows] == [
        ("10", "text", "t.parquet:1"), ("20", "error", "t.parquet:2"), ("30", "text", "t.parquet:3")]
    assert rows[1]["error"] == "t.parquet:2: text: missing: choose the field with --text-field"


# -- 2. a wrong field is refused up front --------------------------------------------------------
def test_a_jsonl_file_without_the_text_field_is_refused_naming_the_fields_it_has(tmp_path):
    path = tmp_path / "cms.jsonl"
    _lines(path, [{"id": n, "body": "Texte.", "title": "T"} for n in range(3)])
    with pytest.raises(UsageError) as caught:
        parts.plan(path)
    assert str(caught.value) == (f"{path}: no field 'text' in its first records (fields: id, body, title): "
                                 "choose the text with --text-field")
    assert caught.value.exit_code == ExitCode.USAGE
    with pytest.raises(UsageError, match=r"no field 'key' in its first records \(fields: id, body, title\): "
                                         "choose the id with --id-field"):
        parts.plan(path, id_field="key", text_field="body")
    assert parts.plan(path, text_field="body").articles == 3
    # In a folder of tables: the file named as the user would write it, below the folder.
    (tmp_path / "in" / "2019").mkdir(parents=True)
    _lines(tmp_path / "in" / "2019" / "cms.jsonl", [{"id": 1, "body": "x"}])
    with pytest.raises(UsageError, match=r"^.*/in/2019/cms\.jsonl: no field 'text' in its first records "
                                         r"\(fields: id, body\)"):
        parts.plan(tmp_path / "in")


def test_records_lacking_the_field_among_others_still_fail_one_by_one(tmp_path):
    mixed = tmp_path / "mixed.jsonl"
    _lines(mixed, ["", {"id": 1, "body": "x"}, "not json", {"id": 2, "text": "Bonjour."}])
    assert parts.plan(mixed).articles == 3  # one record of the first has the field: read row by row
    garbage = tmp_path / "garbage.jsonl"
    _lines(garbage, ["{not json", "[1, 2]"])
    assert parts.plan(garbage).articles == 2  # no object at all: each line fails as what it is
    late = tmp_path / "late.jsonl"
    _lines(late, [{"id": n, "body": "x"} for n in range(parts.FIELD_PROBE)] + [{"id": "z", "text": "t"}])
    with pytest.raises(UsageError, match="no field 'text' in its first records"):
        parts.plan(late)  # only the first records are looked at


def test_a_parquet_file_without_the_field_is_a_usage_error_naming_its_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [1], "body": ["Texte."]}), tmp_path / "a.parquet")
    with pytest.raises(UsageError) as caught:
        parts.plan(tmp_path / "a.parquet")
    assert str(caught.value) == (f"{tmp_path / 'a.parquet'}: no column 'text': choose the column with --text-field "
                                 "(columns: id, body)")
    assert caught.value.exit_code == ExitCode.USAGE


def test_the_command_stops_before_ray_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # a start of Ray would say how to install it
    path = tmp_path / "cms.jsonl"
    _lines(path, [{"id": 1, "body": "Texte.", "title": "T"}])
    code = main(["batch", str(path), "--to", "es", "--engine", "apertium", "-o", str(tmp_path / "out"), "-q"])
    assert code == ExitCode.USAGE
    assert capsys.readouterr().err == (f"{path}: no field 'text' in its first records (fields: id, body, title): "
                                       "choose the text with --text-field\n")
    assert not (tmp_path / "out").exists()


# -- 3. ids two rows of a table share --------------------------------------------------------------
def _ok(part: dict, idx: int, key: str, line: int) -> dict:
    return {"part": part["part"], "idx": idx, "id": key, "name": f"{part['file']}:{line}", "status": "ok"}


def test_repeated_ids_of_a_table_are_listed_and_both_rows_kept(tmp_path):
    _lines(tmp_path / "a.jsonl", [{"id": 1, "text": "x"}, {"id": 2, "text": "x"}, {"id": "1", "text": "x"},
                                  {"id": 1, "text": "x"}])
    _lines(tmp_path / "b.jsonl", [{"id": 1, "text": "x"}])  # another table may use the same ids
    plan = parts.plan(tmp_path, size=2).parts
    a0, a1, b0 = plan
    work = tmp_path / "out" / ".batch"
    work.mkdir(parents=True)
    ids = ids_module.Ids(work, plan)
    ids.record([_ok(a0, 0, "1", 1), _ok(a0, 1, "2", 2)])
    ids.record([_ok(a1, 0, "1", 3), _ok(a1, 1, "1", 4), _ok(b0, 0, "1", 1)])
    assert list(ids.repeats()) == [("1", "a.jsonl:3", "a.jsonl:1"), ("1", "a.jsonl:4", "a.jsonl:1")]
    ids.record([{**_ok(a0, 0, "1", 1), "status": "failed"}])  # a failed row is in failures.jsonl, not here
    assert list(ids.repeats()) == [("1", "a.jsonl:4", "a.jsonl:3")]
    out = tmp_path / "out"
    (out / ".batch" / "tmp").mkdir()
    assert ids_module.write_warnings(out, ids.repeats(), out / ".batch" / "tmp") == 1
    assert [json.loads(line) for line in (out / "warnings.jsonl").read_text().splitlines()] == [
        {"id": "1", "name": "a.jsonl:4",
         "warning": "a.jsonl:4: id '1' already at a.jsonl:3: both rows are translated and kept"}]
    ids.close()
    # A later run whose plan lost rows (the table shrank) forgets their ids; none left: no file.
    ids = ids_module.Ids(work, [a0, {**a1, "count": 1}])
    assert list(ids.repeats()) == [] and ids.db.execute("SELECT count(*) FROM ids").fetchone() == (2,)
    assert ids_module.write_warnings(out, ids.repeats(), out / ".batch" / "tmp") == 0
    assert not (out / "warnings.jsonl").exists()
    ids.close()


def test_the_command_says_how_many_rows_repeat_an_id(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"

    def run(*args, **kwargs):
        return job.Summary(out, 3, 3, 0, 0, 9, 1.0, 1, 0, warnings=2)

    monkeypatch.setattr(job, "run", run)
    _lines(tmp_path / "a.jsonl", [{"id": 1, "text": "x"}])
    assert main(["batch", str(tmp_path / "a.jsonl"), "--to", "es", "-o", str(out)]) == ExitCode.OK
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"batch: 2 rows with the id of an earlier row of its table (both kept): listed in {out}/warnings.jsonl")


# -- a real run on Ray ---------------------------------------------------------------------------
