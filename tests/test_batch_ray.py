"""``translate batch`` on real Ray: the local instance, a two-node cluster, kills and resumes.

Small inputs, every wait bounded, every Ray server on the loopback interface, and every Ray
process a test starts is found by its environment marker and stopped by pid at the end
(:mod:`tests.batch_support`).  The whole module is slow by nature (each run starts Ray).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from translator.batch import run
from translator.cli import main
from translator.errors import ExitCode

from .batch_support import (MARKER, ROOT, article, article_folder, article_jsonl, batch_command, marked, named,
                            ray_env, start, stop_marked, tree, wait_for)
from .conftest import SAMPLES, flores, needs_apertium, needs_flores, needs_model

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[dev]'")
APERTIUM = ["--from", "fr", "--engine", "apertium"]


@pytest.fixture(scope="session")
def ray_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ray-home")


@pytest.fixture
def ray_test(ray_home, monkeypatch):
    """Ray processes of this test (in-process runs inherit the environment) are marked; any
    left at the end are killed by pid, and none may be a raylet or a GCS server of a run that
    ended normally (checked by the tests themselves with :func:`assert_no_ray_left`)."""
    env = ray_env(ray_home)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env
    stop_marked(env[MARKER])
    shutil.rmtree(env["RAY_TMPDIR"], ignore_errors=True)


def assert_no_ray_left(env, timeout: float = 30) -> None:
    """After a run that ended normally, no Ray process of it is left (raylet, GCS, workers)."""
    left = wait_for(lambda: not marked(env[MARKER]), timeout)
    assert left, f"processes of the run left running: {described(marked(env[MARKER]))}"


def described(pids: list[int]) -> list[str]:
    """Each pid with its command line (which Ray process, or which engine program, was left)."""
    out = []
    for pid in pids:
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
            parent += " " + Path(f"/proc/{parent}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except (OSError, IndexError):
            args, parent = "(gone)", "?"
        out.append(f"{pid} (parent {parent}): {args.strip()[:160]}")
    return out


@contextlib.contextmanager
def hang_guard(seconds: int):
    """A generous bound on an in-process run: SIGALRM raises, so the run's finally blocks stop Ray."""
    def expire(signum, frame):
        raise TimeoutError(f"no answer in {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def translate_alone(path: Path, out: Path, *args: str) -> None:
    """What ``translate FILE`` writes for this one file."""
    assert main([str(path), "-o", str(out), "-q", *args]) == 0


# -- a folder, through the command ------------------------------------------------------------
@needs_apertium
def test_folder_mirrors_the_tree_lists_failures_and_exits_1(tmp_path, ray_test):
    src = article_folder(tmp_path / "in", 6, per_folder=3)
    shutil.copy(SAMPLES / "sport.md", src / "000" / "sport.md")
    shutil.copy(SAMPLES / "economie.docx", src / "000" / "economie.docx")  # bytes out
    shutil.copy(SAMPLES / "web" / "article.html", src / "001" / "article.html")
    pot = (SAMPLES / "messages.pot").read_text(encoding="utf-8").replace(
        '"Content-Type:', '"PO-Revision-Date: 2026-01-01 00:00+0000\\n"\n"Content-Type:', 1)
    (src / "001" / "messages.pot").write_text(pot, encoding="utf-8")
    (src / "001" / "broken.txt").write_bytes(b"\x00\x01 not text")
    out = tmp_path / "out"
    done = subprocess.run(batch_command(str(src), "--to", "es,en", *APERTIUM, "-o", str(out)), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == ExitCode.FAILURE, done.stderr
    assert done.stdout == ""  # Ray's messages went to OUT/.batch/ray.log
    assert re.fullmatch(r"batch: 11 articles: 10 translated, 1 failed; [0-9,]+ sentences in 0:\d\d:\d\d "
                        r"\([0-9.]+ sentences/s, 2 workers\); "
                        rf"1 failure listed in {re.escape(str(out))}/failures.jsonl\n",
                        done.stderr), done.stderr  # the summary, and nothing from Ray
    broken = f"{src}/001/broken.txt"
    assert [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()] == [
        {"id": "001/broken.txt", "name": broken,
         "error": f"{broken}:1: NUL byte (byte 0): binary file, not text: pass a text document (plain text, Markdown, PO, HTML, XLIFF, SRT, WebVTT) or a Word file"}]
    inputs = ["000/article-00000.txt", "000/article-00001.txt", "000/article-00002.txt", "000/economie.docx",
              "000/sport.md", "001/article-00003.txt", "001/article-00004.txt", "001/article-00005.txt",
              "001/article.html", "001/messages.pot"]
    assert sorted(p for p in tree(out) if p != "failures.jsonl") == sorted(
        f"{Path(rel).parent}/{Path(rel).stem}.{lang}{'.po' if rel.endswith('.pot') else Path(rel).suffix}"
        for rel in inputs for lang in ("es", "en"))
    assert_no_ray_left(ray_test)
    # Every article is what 'translate FILE' writes for it alone, byte for byte: the plain texts
    # too, though they share engine batches (Apertium translates each sentence on its own).
    for rel in inputs:
        translate_alone(src / rel, tmp_path / "alone" / Path(rel).parent, "--to", "es,en", *APERTIUM)
    alone = tree(tmp_path / "alone")
    assert len(alone) == 2 * len(inputs) and {k: tree(out)[k] for k in alone} == alone


@needs_apertium
def test_a_failed_article_fixed_and_a_new_one_are_translated_by_the_same_command(tmp_path, ray_test):
    """The same command again after the input changed: the parts that changed are translated
    again (it was refused: 'the input changed since this output folder was written')."""
    src = article_folder(tmp_path / "in", 4, per_folder=2)
    (src / "001" / "broken.txt").write_bytes(b"\x00\x01 not text")
    out = tmp_path / "out"
    command = batch_command(str(src), "--to", "es", *APERTIUM, "-o", str(out))
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == ExitCode.FAILURE, first.stderr
    before = tree(out)
    (src / "001" / "broken.txt").write_text("Le Kremlin a confirmé la nouvelle.\n", encoding="utf-8")
    (src / "000" / "ajout.txt").write_text("La Maison-Blanche a parlé du sommet.\n", encoding="utf-8")
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == ExitCode.OK, again.stderr
    after = tree(out)
    failures = out / "failures.jsonl"
    assert "failure" not in again.stderr and (not failures.exists() or not failures.read_text().strip())
    assert {k: v for k, v in after.items() if k in before and k != "failures.jsonl"} == \
        {k: v for k, v in before.items() if k != "failures.jsonl"}  # what was done is the same, byte for byte
    assert "001/broken.es.txt" in after and "000/ajout.es.txt" in after
    translate_alone(src / "001" / "broken.txt", tmp_path / "alone", "--to", "es", *APERTIUM)
    assert after["001/broken.es.txt"] == tree(tmp_path / "alone")["broken.es.txt"]
    assert_no_ray_left(ray_test)


@needs_apertium
def test_a_failed_record_keeps_its_id_and_a_repeated_id_is_listed(tmp_path, ray_test):
    """(Here, with the session's Ray home: Ray caches its token per process, so a second home
    in the same session left the GCS server waiting for ever.)"""
    from translator.batch import job

    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": 1, "text": article(1)}, {"id": 2, "text": None}, {"id": 1, "text": article(3)},
        {"id": "x", "text": article(4)}]), encoding="utf-8")
    with hang_guard(300):
        summary = job.run(path, to="es", source="fr", engine="apertium", output=tmp_path / "out", part_size=2,
                          workers=1)
    assert_no_ray_left(ray_test)
    assert (summary.translated, summary.failed, summary.failures, summary.warnings) == (3, 1, 1, 1)
    out = tmp_path / "out"
    assert [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()] == [
        {"id": "2", "name": f"{path}:2", "error": f"{path}:2: text: missing: choose the field with --text-field"}]
    assert [json.loads(line) for line in (out / "warnings.jsonl").read_text().splitlines()] == [
        {"id": "1", "name": f"{path}:3",
         "warning": f"{path}:3: id '1' already at {path}:1: both rows are translated and kept"}]
    shards = [json.loads(line) for name in ("export.00000.jsonl", "export.00001.jsonl")
              for line in (out / name).read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in shards] == [1, 1, "x"] and all(r["text_es"] for r in shards)
    again = job.run(path, to="es", source="fr", engine="apertium", output=out, part_size=2)  # nothing to do: no Ray
    assert (again.workers, again.warnings) == (0, 1) and (out / "warnings.jsonl").exists()


@needs_model
@needs_flores
def test_argos_articles_are_what_translate_writes_alone(tmp_path, ray_test, with_zh_en):
    src = tmp_path / "in"
    src.mkdir()
    lines = flores("zho", 40, 18)
    for n in range(6):  # six articles of three sentences
        (src / f"zh-{n}.txt").write_text("".join(lines[3 * n:3 * n + 3]) + "\n", encoding="utf-8")
    # Together in one engine batch, then in calls of one article, two at a time on the one
    # actor (sharing its model): the same outputs, each what 'translate FILE' writes alone.
    with hang_guard(400):
        summary = run(src, to="en", source="zh", engine="argos", output=tmp_path / "out", batch_size=8)
        assert (summary.translated, summary.failed, summary.workers) == (6, 0, 1)
        summary = run(src, to="en", source="zh", engine="argos", output=tmp_path / "calls", batch_size=1)
        assert (summary.translated, summary.failed, summary.workers) == (6, 0, 1)
    assert_no_ray_left(ray_test)
    for n in range(6):
        translate_alone(src / f"zh-{n}.txt", tmp_path / "alone", "--to", "en", "--from", "zh", "--engine", "argos")
    assert tree(tmp_path / "out") == tree(tmp_path / "alone") == tree(tmp_path / "calls")


# -- tables, through the library -----------------------------------------------------------------
@needs_apertium
def test_jsonl_and_parquet_shards_with_a_shared_memory(tmp_path, ray_test):
    path = article_jsonl(tmp_path / "export.jsonl", 7)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"id": "bad", "texte": "pas de champ text"}\n')
    memory = tmp_path / "memory.sqlite"
    with hang_guard(400):
        summary = run(path, to="es", source="fr", engine="apertium", output=tmp_path / "out", part_size=3,
                      memory=memory)
    assert (summary.articles, summary.translated, summary.failed, summary.workers) == (8, 7, 1, 2)
    assert_no_ray_left(ray_test)
    out = tree(tmp_path / "out")
    assert sorted(out) == ["export.00000.jsonl", "export.00001.jsonl", "export.00002.jsonl", "failures.jsonl"]
    rows = [json.loads(line) for name in sorted(out)[:3] for line in out[name].decode().splitlines()]
    assert [r["id"] for r in rows] == [f"a{n}" for n in range(7)]
    assert all(r["desk"] == "monde" and r["text"] == article(r["n"]) and r["source_language"] == "fr"
               and r["route"]["es"]["route"] == ["fr", "es"] for r in rows)
    assert json.loads(out["failures.jsonl"])["error"] == f"{path}:8: text: missing: choose the field with --text-field"
    from translator.memory import Memory, normalize

    stats = Memory(memory).stats()  # two actors shared the memory: every sentence is stored once
    assert stats["segments"] == len({normalize(s) for r in rows for s in _sentences_of(r["text"])})
    # Started again when finished: nothing to do, Ray not even started, the same bytes.
    again = run(path, to="es", source="fr", engine="apertium", output=tmp_path / "out", part_size=3, memory=memory)
    assert (again.translated, again.skipped, again.workers) == (0, 8, 0) and tree(tmp_path / "out") == out
    # Parquet: one shard per row group, the input's columns and types kept.
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": list(range(5)), "text": [article(n) for n in range(5)],
                             "tags": [["monde"]] * 5}), tmp_path / "export.parquet", row_group_size=2)
    with hang_guard(400):
        summary = run(tmp_path / "export.parquet", to="es", source="fr", engine="apertium", output=tmp_path / "pq")
    assert (summary.translated, summary.failed) == (5, 0)
    table = pa.concat_tables(pq.read_table(tmp_path / "pq" / f"export.{g:05d}.parquet") for g in range(3))
    assert table.column("id").to_pylist() == list(range(5)) and table.column("tags").to_pylist() == [["monde"]] * 5
    assert [t.split("\n")[0] for t in table.column("text_es").to_pylist()] == [r["text_es"].split("\n")[0]
                                                                              for r in rows[:5]]
    assert_no_ray_left(ray_test)


def _sentences_of(text: str) -> list[str]:
    from translator.pipeline import Translator

    doc = Translator(engine="apertium").prepare(text, to="es", source="fr")
    return [s for seg in doc.segments for s in seg.sentences]


# -- killed at random moments, resumed --------------------------------------------------------
def _finished(out: Path) -> int:
    """Articles the manifest records as finished (read while the run writes it: WAL)."""
    path = out / ".batch" / "manifest.sqlite"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            sealed = db.execute("SELECT coalesce(sum(count), 0) FROM parts WHERE sealed = 1").fetchone()[0]
            return sealed + db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _victim(kind: str, driver: subprocess.Popen, env) -> int | None:
    """The process to kill: the driver, an actor (a Ray worker), or the local instance's raylet."""
    if kind == "driver":
        return driver.pid
    found = named(marked(env[MARKER]), "ray::MapWorker" if kind == "worker" else "raylet")
    return found[0] if found else None


@needs_apertium
@pytest.mark.parametrize("kind", ["folder", "jsonl"])
def test_killed_at_random_moments_the_resumed_run_ends_byte_identical(tmp_path, ray_test, kind):
    """A worker, the driver, the local Ray instance (its raylet), then the driver again are
    killed with SIGKILL at random moments of one run; started again with the same command each
    time, it ends with the bytes of an uninterrupted run.  Batches of one article: each kill
    loses little work, and parts are sealed between kills too."""
    total = 64
    src = article_folder(tmp_path / "in", total, per_folder=16) if kind == "folder" else \
        article_jsonl(tmp_path / "in.jsonl", total)
    args = lambda out: batch_command(str(src), "--to", "es,en", *APERTIUM, "-o", str(out), "-q",  # noqa: E731
                                     "--batch-size", "1", "--part-size", "5")  # kills land between seals too
    assert subprocess.run(args(tmp_path / "ref"), cwd=ROOT, timeout=300, capture_output=True).returncode == 0
    out, rng, kills = tmp_path / "out", random.Random(12), []
    driver = None
    for victim_kind in ("worker", "driver", "raylet", "driver"):
        driver = driver or start(args(out), ray_test, tmp_path / "runs.log")
        goal = _finished(out) + rng.randint(1, 4)
        wait_for(lambda: _finished(out) >= goal or driver.poll() is not None, 240, 0.05)
        pid = wait_for(lambda: _victim(victim_kind, driver, ray_test), 60, 0.05)
        if driver.poll() is not None or pid is None:
            break
        os.kill(pid, signal.SIGKILL)
        kills.append((victim_kind, _finished(out)))
        if victim_kind != "worker":  # the driver is gone (or goes: its raylet is gone)
            driver.wait(timeout=180)
            stop_marked(ray_test[MARKER])
            driver = None
    assert [k for k, _ in kills] == ["worker", "driver", "raylet", "driver"], kills
    assert all(done < total for _, done in kills), kills  # each in the middle of the run
    driver = driver or start(args(out), ray_test, tmp_path / "runs.log")
    assert driver.wait(timeout=300) == 0
    assert tree(out) == tree(tmp_path / "ref"), kills
    assert_no_ray_left(ray_test)


# -- a two-node cluster on this machine ---------------------------------------------------------
@needs_apertium
def test_two_node_cluster_survives_the_loss_of_a_node(tmp_path, ray_test):
    src = article_folder(tmp_path / "in", 40, per_folder=20)
    args = lambda out, *more: batch_command(str(src), "--to", "es", *APERTIUM, "-o", str(out), "-q",  # noqa: E731
                                            "--batch-size", "1", *more)
    assert subprocess.run(args(tmp_path / "ref"), cwd=ROOT, timeout=300, capture_output=True).returncode == 0
    helper = subprocess.Popen([sys.executable, str(ROOT / "tests" / "batch_cluster.py"), "1", "1"], cwd=ROOT,
                              env={**os.environ, **ray_test}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        info = json.loads(helper.stdout.readline())
        env = {**ray_test, "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}  # the driver joins on 127.0.0.1 too
        driver = start(args(tmp_path / "out", "--cluster", info["address"], "--workers", "2"), env,
                       tmp_path / "run.log")
        # An actor runs on the second node, and some articles are done: then that node is lost.
        assert wait_for(lambda: _actor_on(info["worker_raylet"]) and _finished(tmp_path / "out") >= 4, 240, 0.05)
        os.kill(info["worker_raylet"], signal.SIGKILL)
        assert driver.wait(timeout=300) == 0
        assert tree(tmp_path / "out") == tree(tmp_path / "ref")
    finally:
        helper.stdin.close()
        helper.wait(timeout=120)
    assert_no_ray_left(ray_test, timeout=60)


def _actor_on(raylet: int) -> bool:
    children = Path(f"/proc/{raylet}/task/{raylet}/children")
    try:
        pids = children.read_text().split()
    except OSError:
        return False
    return bool(named([int(p) for p in pids], "ray::MapWorker"))


# -- the driver streams ------------------------------------------------------------------------
@needs_apertium
def test_driver_memory_stays_flat_on_ten_times_more_articles(tmp_path, ray_test):
    script = ("import resource, sys; from translator.batch import run; "
              "s = run(sys.argv[1], to='es', source='fr', engine='apertium', output=sys.argv[2]); "
              "print(s.translated, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    peaks = {}
    for count in (20, 200):
        path = article_jsonl(tmp_path / f"in-{count}.jsonl", count)
        done = subprocess.run([sys.executable, "-c", script, str(path), str(tmp_path / f"out-{count}")], cwd=ROOT,
                              env={**os.environ, **ray_test}, capture_output=True, text=True, timeout=400)
        translated, peak = (int(v) for v in done.stdout.split())
        assert translated == count
        peaks[count] = peak
    assert peaks[200] <= 1.2 * peaks[20], peaks
    assert_no_ray_left(ray_test)
