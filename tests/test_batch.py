"""``translate batch`` without Ray: planning parts, reading rows, translating rows, the manifest,
committing results, shards, progress, pool sizing, and the command's surface.

The Ray runs themselves (kills, resume, a two-node cluster) are in test_batch_ray.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from translator.batch import actors, cluster, outputs, parts, progress, readers
from translator.batch.manifest import Manifest
from translator.batch.sink import Sink
from translator.cli import main
from translator.errors import ExitCode, InputError, OutputError, UsageError

from .batch_support import article, article_folder, article_jsonl
from .conftest import SAMPLES, needs_apertium

OPTIONS = {"to": ["es"], "from": "fr"}


def _reading(root, **kw) -> readers.Reading:
    return readers.Reading(str(root), "", **kw)


# -- planning ---------------------------------------------------------------------------------
def test_folder_parts_follow_sorted_folders_and_skip_outputs(tmp_path):
    article_folder(tmp_path / "in", 7, per_folder=3)  # 000/ 3 files, 001/ 3, 002/ 1
    (tmp_path / "in" / "000" / "article-00000.es.txt").write_text("déjà traduit", encoding="utf-8")  # an output
    (tmp_path / "in" / "notes.csv").write_text("x", encoding="utf-8")  # not an input type
    out = tmp_path / "in" / "out"
    article_folder(out, 2)  # the output folder inside the input is never read
    plan = parts.plan(tmp_path / "in", size=2, where=parts.Filter(skip=(str(out),)))
    assert plan.kind == parts.FILES and plan.articles == 7
    assert [(p["dir"], p["start"], p["end"]) for p in plan.parts] == [
        ("000", 0, 2), ("000", 2, 3), ("001", 0, 2), ("001", 2, 3), ("002", 0, 1)]
    assert [p["part"] for p in plan.parts] == [0, 1, 2, 3, 4]
    assert parts.plan(tmp_path / "in", size=2, where=parts.Filter(skip=(str(out),))).parts == plan.parts


def test_folder_filters_include_exclude_and_recursion(tmp_path):
    article_folder(tmp_path / "in", 6, per_folder=3)
    (tmp_path / "in" / "top.md").write_text("# Titre\n\nUn texte.\n", encoding="utf-8")
    only_md = parts.plan(tmp_path / "in", where=parts.Filter(include=("*.md",)))
    assert only_md.articles == 1
    no_001 = parts.plan(tmp_path / "in", where=parts.Filter(exclude=("001/*",)))
    assert no_001.articles == 4
    assert parts.plan(tmp_path / "in", where=parts.Filter(recursive=False)).articles == 1


def test_mixed_single_file_and_missing_inputs_are_refused(tmp_path):
    article_folder(tmp_path / "in", 2)
    article_jsonl(tmp_path / "in" / "export.jsonl", 2)
    with pytest.raises(UsageError, match="mixes articles"):
        parts.plan(tmp_path / "in")
    with pytest.raises(UsageError, match="use 'translate FILE'"):
        parts.plan(SAMPLES / "diplomatie.txt")
    with pytest.raises(InputError, match="no such file"):
        parts.plan(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no input found"):
        parts.plan(tmp_path / "empty")


def test_jsonl_parts_are_byte_ranges_of_non_blank_lines(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = ['{"id": 1, "text": "a"}', "", '{"id": 2, "text": "b"}', '{"id": 3, "text": "c"}', "   ",
             '{"id": 4, "text": "d"}', ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = parts.plan(path, size=2)
    assert plan.root == tmp_path and plan.articles == 4
    assert [(p["line"], p["count"], p["shard"]) for p in plan.parts] == [
        (1, 2, "export.00000.jsonl"), (4, 2, "export.00001.jsonl")]
    data = path.read_bytes()
    first = data[plan.parts[0]["start"]:plan.parts[0]["end"]].decode()
    assert json.loads(first.split("\n")[2])["id"] == 2
    rows = readers.read_part(plan.parts[1], _reading(tmp_path))
    assert [(r["id"], r["name"], r["text"]) for r in rows] == [("3", "export.jsonl:4", "c"),
                                                               ("4", "export.jsonl:6", "d")]


def test_a_folder_of_tables_is_planned_file_by_file_with_shards_mirroring_it(tmp_path):
    (tmp_path / "in" / "2019").mkdir(parents=True)
    article_jsonl(tmp_path / "in" / "2019" / "export.jsonl", 3)
    article_jsonl(tmp_path / "in" / "2020.jsonl", 2)
    (tmp_path / "in" / "README").write_text("not a table", encoding="utf-8")
    plan = parts.plan(tmp_path / "in", size=2)
    assert plan.kind == parts.JSONL and plan.articles == 5
    assert [(p["file"], p["count"], p["shard"]) for p in plan.parts] == [
        ("2020.jsonl", 2, "2020.00000.jsonl"), ("2019/export.jsonl", 2, "2019/export.00000.jsonl"),
        ("2019/export.jsonl", 1, "2019/export.00001.jsonl")]


def test_parquet_parts_are_row_groups_and_columns_are_checked(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": list(range(5)), "text": [f"Texte {i}." for i in range(5)]})
    pq.write_table(table, tmp_path / "a.parquet", row_group_size=2)
    plan = parts.plan(tmp_path / "a.parquet")
    assert [(p["group"], p["row"], p["count"], p["shard"]) for p in plan.parts] == [
        (0, 0, 2, "a.00000.parquet"), (1, 2, 2, "a.00001.parquet"), (2, 4, 1, "a.00002.parquet")]
    rows = readers.read_part(plan.parts[1], _reading(tmp_path))
    assert [(r["id"], r["name"], r["text"]) for r in rows] == [("2", "a.parquet:3", "Texte 2."),
                                                               ("3", "a.parquet:4", "Texte 3.")]
    with pytest.raises(UsageError, match="no column 'body': choose the column with --text-field"):
        parts.plan(tmp_path / "a.parquet", text_field="body")
    with pytest.raises(InputError, match="column 'id' has the name of an output column"):
        parts.plan(tmp_path / "a.parquet", reserved=("id",))


# -- reading -------------------------------------------------------------------------------
def test_bad_jsonl_rows_become_errors_naming_file_and_line(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join([
        '{"id": "ok", "text": "Bonjour."}', "{not json", '["a list"]', '{"id": "x"}', '{"id": 1.5, "text": "t"}',
        '{"id": true, "text": "t"}', '{"id": "y", "text": 3}', '{"id": "z", "text": "t", "text_es": "?"}',
    ]) + "\n", encoding="utf-8")
    reading = _reading(tmp_path, reserved=actors.output_columns("text", ["es"]))
    rows = readers.read_part(parts.plan(path).parts[0], reading)
    assert [r["kind"] for r in rows] == ["text"] + ["error"] * 7
    assert [r["error"] for r in rows[1:]] == [
        "e.jsonl:2: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        "e.jsonl:3: not a JSON object",
        "e.jsonl:4: text: missing: choose the field with --text-field",
        "e.jsonl:5: id: must be a string or an integer",
        "e.jsonl:6: id: must be a string or an integer",
        "e.jsonl:7: text: must be a string",
        "e.jsonl:8: text_es: an output column has this name: rename the field",
    ]
    assert all(isinstance(r[c], (str, int)) for r in rows for c in readers.COLUMNS)


def test_reader_skips_finished_rows_unless_they_changed(tmp_path):
    path = article_jsonl(tmp_path / "a.jsonl", 4)
    part = parts.plan(path).parts[0]
    rows = readers.read_part(part, _reading(tmp_path))
    skip = {"0": rows[0]["hash"], "2": "a different hash: the text changed"}
    again = readers.read_part({**part, "skip": skip}, _reading(tmp_path))
    assert [r["idx"] for r in again] == [1, 2, 3]


def test_folder_reader_stamps_files_and_notices_a_changed_folder(tmp_path):
    article_folder(tmp_path / "in", 3)
    part = parts.plan(tmp_path / "in").parts[0]
    rows = readers.read_part(part, readers.Reading(str(tmp_path / "in"), "archive"))
    assert [(r["id"], r["name"], r["kind"]) for r in rows] == [
        (f"000/article-0000{i}.txt", f"archive/000/article-0000{i}.txt", "file") for i in range(3)]
    assert all(r["stamp"] and not r["text"] for r in rows)
    (tmp_path / "in" / "000" / "article-00001.txt").unlink()
    with pytest.raises(InputError, match="the folder changed during the run"):
        readers.read_part(part, readers.Reading(str(tmp_path / "in"), "archive"))


# -- translating rows (real Apertium, no Ray) -------------------------------------------------
def _rows(tmp_path, names_texts: dict[str, bytes]) -> list[dict]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in names_texts.items():
        (folder / name).write_bytes(data)
    return readers.read_part(parts.plan(folder).parts[0], _reading(folder))


@needs_apertium
def test_rows_fail_one_by_one_and_the_others_are_translated(tmp_path, monkeypatch):
    rows = _rows(tmp_path, {"a.txt": article(1).encode(), "b.txt": b"\x00\x01binary", "c.txt": b"   \n",
                            "d.md": (SAMPLES / "sport.md").read_bytes(), "e.txt": article(2).encode()})
    settings = actors.Settings(("es",), source="fr", engine="apertium")
    translator = actors.make_translator(settings)
    real = translator.engines[0].translate

    def fails_on_2(texts, source, target, **kw):  # an engine error caused by one article only
        if any("numéro 2" in t for t in texts):
            from translator.errors import EngineError
            raise EngineError("Apertium stopped")
        return real(texts, source, target, **kw)

    monkeypatch.setattr(translator.engines[0], "translate", fails_on_2)
    results = actors.translate_rows(translator, rows, settings)
    assert [r["status"] for r in results] == ["ok", "failed", "failed", "ok", "failed"]
    assert results[1]["error"] == ("b.txt:1: NUL byte (byte 0): binary file, not text: "
                                   "pass a text document (plain text, Markdown, PO, HTML, XLIFF, SRT, WebVTT) or a Word file")
    assert results[2]["error"] == "c.txt: empty file: nothing to translate"
    assert results[4]["error"] == "e.txt: Apertium stopped"
    [a] = json.loads(results[0]["result"])["outputs"]
    assert a["ending"] == ".es.txt" and a["text"].startswith("Noticia Número 1") and results[0]["sentences"] > 3
    [md] = json.loads(results[3]["result"])["outputs"]
    assert md["ending"] == ".es.md" and md["text"].startswith("# Rugby")
    assert all(r["stamp"] for r in results)  # what a restart compares to skip them
    translator.close()


@needs_apertium
def test_table_rows_get_their_columns(tmp_path):
    rows = readers.read_part(parts.plan(article_jsonl(tmp_path / "a.jsonl", 2)).parts[0], _reading(tmp_path))
    settings = actors.Settings(("es", "en"), source="fr", engine="apertium", glossary=_news())
    translator = actors.make_translator(settings)
    results = actors.translate_rows(translator, rows, settings)
    translator.close()
    columns = json.loads(results[1]["result"])
    assert set(columns) == set(actors.output_columns("text", ["es", "en"]))
    assert columns["source_language"] == "fr" and columns["route"]["en"]["route"] == ["fr", "es", "en"]
    assert columns["text_es"].startswith("Noticia Número 1")
    assert all({"segment", "term", "required", "ok"} <= set(t) for t in columns["terms"]["es"])


def _news():
    from translator.glossary import load

    return load("news")


# -- manifest -------------------------------------------------------------------------------
def _result(part, idx, status="ok", result='{"outputs": [{"ending": ".es.txt", "text": "x"}]}', stamp="1:1",
            sentences=2):
    return {"part": part, "idx": idx, "id": f"f{part}-{idx}", "name": f"n{idx}", "status": status,
            "error": "" if status == "ok" else f"n{idx}: broken", "hash": "h", "stamp": stamp,
            "sentences": sentences, "result": result}


def test_manifest_resumes_seals_and_refuses_other_options(tmp_path):
    plan = [{"part": 0, "kind": "files", "count": 2}, {"part": 1, "kind": "files", "count": 1}]
    m = Manifest(tmp_path / ".batch", OPTIONS)
    assert [p["skip"] for p in m.register(plan)] == [{}, {}]
    m.record([_result(0, 0), _result(0, 1, "failed")], keep_results=False)
    m.seal(0)
    m.record([_result(1, 0, stamp="5:5")], keep_results=False)
    m.close()
    m = Manifest(tmp_path / ".batch", OPTIONS)
    assert m.register(plan) == [{**plan[1], "skip": {"0": "5:5"}}]
    assert m.known(_result(1, 0, stamp="5:5")) and not m.known(_result(1, 0, stamp="6:6"))
    assert m.totals() == (2, 4, 1)
    assert list(m.failures()) == [("f0-1", "n1", "n1: broken")]
    m.close()
    with pytest.raises(UsageError, match=r"other options \(to\): resume it with the same command"):
        Manifest(tmp_path / ".batch", {**OPTIONS, "to": ["en"]})


def test_one_run_at_a_time_writes_an_output_folder(tmp_path):
    first = Manifest(tmp_path / ".batch", OPTIONS)
    with pytest.raises(UsageError, match="another run is writing to this output folder"):
        Manifest(tmp_path / ".batch", OPTIONS)
    first.close()
    Manifest(tmp_path / ".batch", OPTIONS).close()


def test_manifest_translates_again_the_parts_whose_input_changed(tmp_path):
    plan = [{"part": 0, "kind": "files", "count": 2, "names": "a"}, {"part": 1, "kind": "files", "count": 2}]
    m = Manifest(tmp_path / ".batch", OPTIONS)
    m.register(plan)
    m.record([_result(1, 0)], keep_results=False)
    m.seal(0)
    # An unsealed part that changed starts again ...
    assert m.register([plan[0], {**plan[1], "count": 3}])[0]["skip"] == {}
    assert m.renewed == 0
    # ... and so does a sealed one (an article added, removed or edited; a failed one fixed):
    # it was refused, so a fixed article could only be translated into a new output folder.
    again = m.register([{**plan[0], "names": "b"}, {**plan[1], "count": 3}])
    assert [p["part"] for p in again] == [0, 1] and again[0]["skip"] == {} and m.renewed == 1
    m.close()


def test_a_table_shard_the_new_plan_does_not_write_is_removed(tmp_path):
    out = tmp_path / "out"
    old = [{"part": 0, "kind": "jsonl", "count": 1, "shard": "a.00000.jsonl"},
           {"part": 1, "kind": "jsonl", "count": 1, "shard": "a.00001.jsonl"}]
    m = Manifest(out / ".batch", OPTIONS)
    m.register(old)
    for part in old:
        (out / part["shard"]).write_text("{}\n", encoding="utf-8")
        m.seal(part["part"])
    assert m.register(old[:1]) == [] and m.renewed == 1  # the file lost its second part
    assert (out / "a.00000.jsonl").exists() and not (out / "a.00001.jsonl").exists()
    m.close()


# -- committing results, shards, failures ----------------------------------------------------
def test_sink_writes_each_article_once_and_seals_parts(tmp_path, monkeypatch):
    out = tmp_path / "out"
    manifest = Manifest(out / ".batch", OPTIONS)
    plan = [{"part": 0, "kind": "files", "count": 2}]
    sink = Sink(manifest, parts.FILES, tmp_path, out, ())
    outputs.clean_tmp(sink.tmp)
    sink.open(manifest.register(plan))
    writes = []
    real = outputs.write_article
    monkeypatch.setattr(outputs, "write_article", lambda *a: (writes.append(a[1]), real(*a)))
    files = [{"ending": ".es.txt", "text": "hola\n"}, {"ending": ".en.txt", "text": "hi\n"}]
    first = {**_result(0, 0), "id": "2019/a.txt", "result": json.dumps({"outputs": files})}
    sink.take([first])
    sink.take([first])  # delivered twice (a retried task): written once
    assert writes == ["2019/a.txt"] and sink.counts.translated == 1
    assert (out / "2019" / "a.es.txt").read_text() == "hola\n" and (out / "2019" / "a.en.txt").read_text() == "hi\n"
    sink.take([{**_result(0, 1, "failed"), "id": "2019/b.txt"}])
    assert sink.parts == {} and sink.counts.failed == 1
    assert sink.finish() == 1
    assert json.loads((out / "failures.jsonl").read_text()) == {"id": "2019/b.txt", "name": "n1", "error": "n1: broken"}
    manifest.close()


def test_jsonl_shard_keeps_input_order_and_fields(tmp_path):
    path = article_jsonl(tmp_path / "a.jsonl", 3)
    part = parts.plan(path).parts[0]
    results = {0: json.dumps({"text_es": "uno"}), 1: None, 2: json.dumps({"text_es": "tres"})}
    dest = outputs.write_jsonl_shard(tmp_path / "out", tmp_path, part, results, _tmp(tmp_path))
    rows = [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["n"], r["desk"], r["text_es"]) for r in rows] == [("a0", 0, "monde", "uno"),
                                                                          ("a2", 2, "monde", "tres")]
    assert rows[0]["text"] == article(0)


def test_parquet_shard_adds_typed_columns_and_is_reproducible(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [1, 2, 3], "text": ["a", "b", "c"], "tags": [["x"], [], ["y", "z"]]}),
                   tmp_path / "t.parquet")
    part = parts.plan(tmp_path / "t.parquet").parts[0]
    columns = actors.output_columns("text", ["es"])
    done = {"text_es": "A", "source_language": "fr", "route": {"es": {"route": ["fr", "es"]}}, "terms": {},
            "warnings": ["w"]}
    results = {0: json.dumps(done), 1: None, 2: json.dumps({**done, "text_es": "C", "warnings": []})}
    dest = outputs.write_parquet_shard(tmp_path / "out", tmp_path, part, results, _tmp(tmp_path), columns)
    first = dest.read_bytes()
    table = pq.read_table(dest)
    assert table.column_names == ["id", "text", "tags", *columns]
    assert table.to_pylist()[1] == {"id": 3, "text": "c", "tags": ["y", "z"], "text_es": "C", "source_language": "fr",
                                    "route": '{"es": {"route": ["fr", "es"]}}', "terms": "{}", "warnings": []}
    outputs.write_parquet_shard(tmp_path / "out", tmp_path, part, results, _tmp(tmp_path), columns)
    assert dest.read_bytes() == first


def _tmp(tmp_path):
    outputs.clean_tmp(tmp_path / "tmp")
    return tmp_path / "tmp"


def test_outputs_mirror_the_tree_as_translate_names_them(tmp_path):
    got = outputs.article_outputs(tmp_path, "2019/01/a.md", [{"ending": ".es.md", "text": "x"}])
    assert got == [(tmp_path / "2019" / "01" / "a.es.md", "x")]
    pot = outputs.article_outputs(tmp_path, "ui/messages.pot", [{"ending": ".fr.po", "text": "y"}])
    assert pot == [(tmp_path / "ui" / "messages.fr.po", "y")]
    docx = outputs.article_outputs(tmp_path, "a.docx", [{"ending": ".es.docx", "base64": "UEsDBA=="}])
    assert docx == [(tmp_path / "a.es.docx", b"PK\x03\x04")]  # bytes travel in base 64
    (tmp_path / "failures.jsonl").write_text("stale\n")
    assert outputs.write_failures(tmp_path, [], _tmp(tmp_path)) == 0
    assert not (tmp_path / "failures.jsonl").exists()
    (tmp_path / "x.jsonl").write_text("")
    (tmp_path / "blocked").write_text("a file where the shard's folder should be")
    part = {"file": "x.jsonl", "start": 0, "end": 0, "shard": "blocked/x.00000.jsonl"}
    with pytest.raises(OutputError, match="blocked/x.00000.jsonl: cannot write"):
        outputs.write_jsonl_shard(tmp_path, tmp_path, part, {}, _tmp(tmp_path))


# -- progress, sizing, the command ------------------------------------------------------------
def test_progress_bar_and_summary():
    import io

    assert progress.duration(3725) == "1:02:05"
    assert progress.status(0, 10, 0, 1.0) == "         0 sentences,     0.0 sentences/s, ETA --:--:--"
    assert progress.status(5, 10, 1000, 50.0) == "     1,000 sentences,    20.0 sentences/s, ETA  0:00:50"
    stream = io.StringIO()
    bar = progress.BatchBar(stream)
    bar(10, 10, 1000, 50.0)
    bar.close()
    assert stream.getvalue() == ("\r     1,000 sentences,    20.0 sentences/s, ETA  0:00:00 "
                                 f"[{'#' * 30}] 10/10\r\x1b[K")
    from pathlib import Path

    from translator.batch.job import Summary
    s = Summary(Path("/o"), 1200, 1190, 10, 0, 20000, 100.0, 2, 10)
    assert progress.summary_line(s) == ("batch: 1,200 articles: 1,190 translated, 10 failed; 20,000 sentences in "
                                        "0:01:40 (200.0 sentences/s, 2 workers); "
                                        "10 failures listed in /o/failures.jsonl")
    one = Summary(Path("/o"), 1, 0, 1, 0, 1, 2.0, 1, 1)
    assert progress.summary_line(one) == ("batch: 1 article: 0 translated, 1 failed; 1 sentence in 0:00:02 "
                                          "(0.5 sentences/s, 1 worker); 1 failure listed in /o/failures.jsonl")


def test_pool_sizes_follow_the_engine_and_device():
    two = cluster.Resources(cpus=2, gpus=0, embedded=True, one_host=True)
    # Neural actors run two calls at once (one fills the parallel translators the other's
    # last batch leaves idle); Apertium's, and any with a translation memory, one.
    assert cluster.size_pool(two, neural=True) == cluster.Pool(1, 2, 2.0, 0.0, calls=2)
    assert cluster.size_pool(two, neural=True, memory=True) == cluster.Pool(1, 2, 2.0, 0.0, calls=1)
    assert cluster.size_pool(two, neural=False) == cluster.Pool(2, 1, 1.0, 0.0, calls=1)
    assert cluster.size_pool(cluster.Resources(16, 0, False, False), neural=True) == \
        cluster.Pool(8, 2, 2.0, 0.0, calls=2)
    assert cluster.size_pool(two, neural=True, workers=3) == cluster.Pool(3, 1, 0.666, 0.0, calls=2)
    with pytest.raises(UsageError, match="--device cuda: the Ray cluster has no GPU"):
        cluster.size_pool(two, neural=True, device="cuda")
    assert cluster.size_pool(cluster.Resources(8, 2, False, False), neural=True, device="cuda") == \
        cluster.Pool(2, 1, 1.0, 1.0, calls=2)


def test_without_ray_the_command_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    article_folder(tmp_path / "in", 1)
    code = main(["batch", str(tmp_path / "in"), "--to", "es", "--from", "fr", "--engine", "apertium",
                 "-o", str(tmp_path / "out")])
    assert code == ExitCode.USAGE
    assert capsys.readouterr().err.strip() == cluster.INSTALL


def test_help_lists_batch_without_importing_ray():
    script = ("import sys; from translator.cli import main; main(['--help']); main(['batch', '--help']); "
              "print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "batch" in out and "--cluster ADDRESS" in out and out.strip().endswith("False")


def test_options_are_checked_before_ray_starts(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # any start of Ray would fail with the install message
    article_folder(tmp_path / "in", 1)
    base = ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "apertium"]
    assert main([*base, "--to", "xx"]) == ExitCode.LANGUAGE
    assert main([*base, "--to", "ja", "--from", "fr"]) == ExitCode.NO_ROUTE
    assert main([*base, "--to", "es", "--device", "tpu"]) == ExitCode.USAGE
    assert main([*base, "--to", "es", "--from", "fr", "--route", "es=fr>de>es"]) == ExitCode.NO_ROUTE
    assert main([*base, "--to", "es", "--route", "es"]) == ExitCode.USAGE
    assert main([*base, "--to", "es", "--max-size", "big"]) == ExitCode.USAGE
    assert main([*base, "--to", "es", "--content", "article"]) == ExitCode.USAGE
    assert main([*base, "--to", "es", "--glossary", str(tmp_path / "none.csv")]) == ExitCode.GLOSSARY
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "in"), "--to", "es"]) == ExitCode.OUTPUT
    err = capsys.readouterr().err
    assert "no installed route from fr to ja" in err and "--device: 'tpu': choose cpu or cuda" in err
    assert "--content: 'article': choose auto, main or all" in err
    assert "route fr>de>es is not installed" in err and "--route 'es': write it as LANG=ROUTE" in err


def test_a_cluster_nobody_answers_at_is_refused_at_once(tmp_path, capsys):
    pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[dev]'")
    article_folder(tmp_path / "in", 1)
    code = main(["batch", str(tmp_path / "in"), "--to", "es", "--from", "fr", "--engine", "apertium",
                 "-o", str(tmp_path / "out"), "--cluster", "127.0.0.1:1"])
    assert code == ExitCode.USAGE
    assert capsys.readouterr().err.startswith("cannot reach the Ray cluster at 127.0.0.1:1: Connection refused")


def test_actor_calls_are_larger_for_neural_models():
    """128 articles a call keep CTranslate2's parallel translators busy and sort more sentences
    by length (997 articles, one worker, two calls at a time: 193.1 s against 202.4 s with 64,
    one at a time); Apertium keeps 16; an explicit --batch-size wins."""
    from translator.batch.job import DEFAULT_BATCH, NEURAL_BATCH, block_size

    assert (block_size(None, neural=True), block_size(None, neural=False)) == (NEURAL_BATCH, DEFAULT_BATCH) == (128, 16)
    assert block_size(3, neural=True) == 3 and block_size(0, neural=False) == 0  # 0 is refused later, not replaced


def test_batch_help_gives_the_default_call_sizes():
    from translator.batch.job import DEFAULT_BATCH, NEURAL_BATCH

    out = subprocess.run([sys.executable, "-c", "from translator.cli import main; main(['batch', '--help'])"],
                         capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}).stdout
    assert f"(default: {NEURAL_BATCH} for neural models, {DEFAULT_BATCH} for Apertium)" in " ".join(out.split())
