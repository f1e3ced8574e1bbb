"""``translate batch`` (Ray Data) against one plain ``translate`` process; a real two-node
cluster that loses a node; the driver's memory on ten times more articles.

1. Throughput on this machine: the same articles (FLORES-200 dev, four sentences each) as a
   folder, through one ``translate DIR -r`` process and through ``translate batch`` with 1 and
   2 workers; Apertium fr -> es,en and Argos zh -> en.  French articles are repeated with a
   per-copy prefix on every sentence ("Copie 3 : ...", "第3份：..." in Chinese) so that no two
   sentences are the same (a plain run translates each distinct sentence once, whatever the
   file): 2,000 French and 997 Chinese articles, so that Ray's start (10 to 20 s before the
   first result) weighs less than in a small test (in an archive of 100,000 articles it is
   noise).  Calls of 16 articles for Apertium, 128 for Argos, two at a time on a neural actor
   (the defaults).  Wall time includes Ray's start; ``first result`` is when the first batch
   came back.  (No "steady rate" from there on: with several large calls in flight, the first
   result comes back late, and the rate after it counts work done before it.)
2. Cluster: ``ray start --head`` and a second node with ``ray start --address`` (separate
   processes, one CPU each, on this machine's network address), the job run against it (a
   driver on the head: ``translate batch --cluster``), and ``kill -9`` of the second node's
   raylet once an actor runs there.  Checked: the run finishes, every article is in the
   output exactly once, and the output is the bytes of a run on the local instance.
3. Memory: the driver's peak RSS on N and 10 N articles (JSON Lines, Apertium).

Every Ray process started here is found by an environment marker and stopped by pid at the
end (never ``ray stop``, which stops every Ray process of the user).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import FLORES, ROOT, command_env, unpacked_model

sys.path.insert(0, str(ROOT))
from tests.batch_support import MARKER, marked, named, ray_env, stop_marked, tree, wait_for  # noqa: E402

TRANSLATE = str(Path(sys.executable).parent / "translate")
RAY = str(Path(sys.executable).parent / "ray")
DRIVER = """
import json, resource, sys, time
from translator.batch import run
start, seen = time.monotonic(), []
def progress(done, total, sentences, seconds):
    if done:  # the first call, done = 0, comes before Ray starts
        seen.append((time.monotonic() - start, sentences))
options = json.loads(sys.argv[1])
summary = run(options.pop("input"), progress=progress, **options)
wall = time.monotonic() - start
t0 = seen[0][0] if seen else wall
print(json.dumps({"seconds": wall, "articles": summary.translated, "failed": summary.failed,
                  "sentences": summary.sentences, "workers": summary.workers, "first_result_s": t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _sentences(lang: str, copies: int) -> list[str]:
    lines = [line.strip() for line in (FLORES / f"{lang}.txt").read_text(encoding="utf-8").splitlines()]
    prefix = "第{k}份：" if lang == "zho" else "Copie {k} : "
    return [(prefix.format(k=k) + line if k else line) for k in range(copies) for line in lines]


def _folder(folder: Path, lang: str, count: int, copies: int = 1) -> Path:
    lines = _sentences(lang, copies)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(min(count, len(lines) // 4)):
        (folder / f"{lang}-{n:05d}.txt").write_text(" ".join(lines[4 * n:4 * n + 4]) + "\n", encoding="utf-8")
    return folder


def _jsonl(path: Path, lang: str, count: int, copies: int = 1) -> Path:
    lines = _sentences(lang, copies)
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(min(count, len(lines) // 4)):
            record = {"id": f"{lang}-{n}", "text": " ".join(lines[4 * n:4 * n + 4])}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _busy() -> float:
    """CPU seconds the whole machine has spent busy (every process: Ray's, Apertium's programs)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def _cpu(row: dict, busy: float) -> dict:
    """*row* with the machine's busy CPU seconds during it, and the cores that kept busy on average."""
    row["cpu_s"] = round(_busy() - busy, 1)
    row["cores_busy"] = round(row["cpu_s"] / row["seconds"], 2)
    return row


def _driver(options: dict, env: dict) -> dict:
    busy = _busy()
    done = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(options)], env=env, capture_output=True,
                          text=True, timeout=7200, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"batch run failed: {done.stderr[-2000:]}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row["articles_per_s"] = round(row["articles"] / row["seconds"], 2)
    row["sentences_per_s"] = round(row["sentences"] / row["seconds"], 2)
    return _cpu({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}, busy)


def _plain(src: Path, out: Path, args: list[str], env: dict) -> dict:
    busy, start = _busy(), time.perf_counter()
    subprocess.run([TRANSLATE, str(src), "-r", "-o", str(out), "-q", *args], env=env, check=True,
                   capture_output=True, timeout=7200)
    return _cpu({"seconds": round(time.perf_counter() - start, 3)}, busy)


def _throughput(work: Path, env: dict, *, lang: str, count: int, copies: int, args: list[str],
                options: dict) -> dict:
    src = _folder(work / f"{lang}-in", lang, count, copies)
    articles = len(list(src.iterdir()))
    plain = _plain(src, work / f"{lang}-plain", args, env)
    rows = {"plain": plain}
    for workers in (1, 2):
        rows[f"batch_{workers}"] = _driver({"input": str(src), "output": str(work / f"{lang}-batch-{workers}"),
                                            "workers": workers, **options}, env)
        stop_marked(env[MARKER])
    sentences = rows["batch_1"]["sentences"]
    plain.update(sentences=sentences, sentences_per_s=round(sentences / plain["seconds"], 2),
                 articles_per_s=round(articles / plain["seconds"], 2))
    return {"articles": articles, "sentences": sentences, **rows,
            "ratio_2_workers_over_plain": round(plain["seconds"] / rows["batch_2"]["seconds"], 3),
            # No way of sharing the cores out beats the cores the plain run left idle.
            "ceiling_over_plain": round(os.cpu_count() / plain["cores_busy"], 2)}


def _start_node(args: list[str], env: dict) -> str:
    done = subprocess.run([RAY, "start", *args, "--num-cpus", "1", "--disable-usage-stats"], env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"ray start failed: {done.stderr[-2000:]}")
    return done.stdout + done.stderr


def _started(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])


def _cluster(work: Path, env: dict, count: int) -> dict:
    """Two nodes from the real commands, a job against them, the second node's raylet killed."""
    path = _jsonl(work / "cluster.jsonl", "fra", count, copies=max(1, count * 4 // 997 + 1))
    options = ["--to", "es", "--from", "fr", "--engine", "apertium", "--batch-size", "1", "-q", "--part-size", "50"]
    local = subprocess.run([TRANSLATE, "batch", str(path), "-o", str(work / "cluster-local"), *options], env=env,
                           capture_output=True, timeout=3600)
    stop_marked(env[MARKER])
    if local.returncode != 0:
        raise RuntimeError("the local reference run failed")
    # Ray's token authentication: the head makes a token in $HOME/.ray; the other node and the
    # driver read it there (on other machines: copy it, or set RAY_AUTH_TOKEN).
    env = {**env, "RAY_AUTH_MODE": "token"}
    head = _start_node(["--head", "--port", "0", "--include-dashboard=false"], env)
    address = re.search(r"ray start --address='([^']+)'", head).group(1)
    _start_node(["--address", address], env)
    raylets = sorted(named(marked(env[MARKER]), "raylet"), key=_started)
    second = raylets[-1]
    start = time.monotonic()
    job = subprocess.Popen([TRANSLATE, "batch", str(path), "-o", str(work / "cluster-out"), "--cluster", address,
                            "--workers", "2", *options], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    ran_there = wait_for(lambda: _actor_under(second), 600, 0.05)
    time.sleep(2)  # in the middle of the run
    os.kill(second, signal.SIGKILL)
    killed_at = time.monotonic() - start
    code = job.wait(timeout=7200)
    seconds = time.monotonic() - start
    stop_marked(env[MARKER])
    ids = [json.loads(line)["id"] for p in sorted((work / "cluster-out").glob("*.jsonl")) if p.name != "failures.jsonl"
           for line in p.read_text(encoding="utf-8").splitlines()]
    expected = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
    return {"articles": len(expected), "address": address, "actor_on_second_node": bool(ran_there),
            "killed_after_s": round(killed_at, 1), "exit_code": code, "seconds": round(seconds, 1),
            "lost": len(set(expected) - set(ids)), "duplicated": len(ids) - len(set(ids)),
            "identical_to_local_run": tree(work / "cluster-out") == tree(work / "cluster-local")}


def _actor_under(raylet: int) -> bool:
    try:
        children = Path(f"/proc/{raylet}/task/{raylet}/children").read_text().split()
    except OSError:
        return False
    return bool(named([int(p) for p in children], "ray::MapWorker"))


def _memory(work: Path, env: dict, small: int) -> dict:
    rows = {}
    for count in (small, 10 * small):
        path = _jsonl(work / f"memory-{count}.jsonl", "fra", count, copies=max(1, count * 4 // 997 + 1))
        rows[count] = _driver({"input": str(path), "output": str(work / f"memory-{count}"), "to": "es",
                               "source": "fr", "engine": "apertium"}, env)
        stop_marked(env[MARKER])
    return {"articles": list(rows), "peak_rss_mb": [rows[c]["peak_rss_mb"] for c in rows],
            "ratio": round(rows[10 * small]["peak_rss_mb"] / rows[small]["peak_rss_mb"], 3)}


def run(*, quick: bool = False) -> dict:
    packages = unpacked_model()
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        work = Path(tmp)
        env = {**command_env(), **ray_env(work / "home"), "ARGOS_PACKAGES_DIR": str(packages)}
        try:
            apertium = _throughput(work, env, lang="fra", count=40 if quick else 2000, copies=1 if quick else 8,
                                   args=["--to", "es,en", "--from", "fr", "--engine", "apertium"],
                                   options={"to": "es,en", "source": "fr", "engine": "apertium"})
            argos = _throughput(work, env, lang="zho", count=6 if quick else 1000, copies=1 if quick else 4,
                                args=["--to", "en", "--from", "zh", "--engine", "argos"],
                                options={"to": "en", "source": "zh", "engine": "argos"})
            cluster = _cluster(work, env, 40 if quick else 400)
            memory = _memory(work, env, 20 if quick else 500)
        finally:
            stop_marked(env[MARKER])
            shutil.rmtree(env["RAY_TMPDIR"], ignore_errors=True)
    return {"data": "FLORES-200 dev (fra, zho), 4 sentences an article", "cpu_count": os.cpu_count(),
            "apertium_fr_es_en": apertium, "argos_zh_en": argos, "cluster": cluster, "driver_memory": memory}


def _verdict(apertium: float, argos: float) -> str:
    """Which goals (Apertium 1.6x, Argos 1.0x) the machine's idle cores leave out of reach."""
    out = [f"{name} ({goal}x)" for name, goal, ceiling in (("Apertium", 1.6, apertium), ("Argos", 1.0, argos))
           if ceiling < goal]
    return f": the goal{'s' if len(out) > 1 else ''} for {' and '.join(out)} cannot be met on this machine" if out else ""


def _one_worker(t: dict) -> float:
    return round(t["plain"]["seconds"] / t["batch_1"]["seconds"], 3)


def render(r: dict) -> list[str]:
    """The section of docs/benchmarks.md."""
    out = [
        "",
        "## Archives: `translate batch` on Ray Data",
        "",
        f"Data: {r['data']}. One plain `translate DIR -r` process against `translate batch` (a local Ray "
        "instance started and stopped by the run) with 1 and 2 workers, on "
        f"{r['cpu_count']} cores. Wall time includes Ray's start; *first result* is when the first batch came "
        "back; *CPU* is the whole machine's busy time during the run (every process: Ray's, Apertium's "
        "programs), and *cores busy* that over the wall time (`bench/batch.py`).",
        "",
        "| route | run | articles | sentences | wall (s) | sentences/s | first result (s) | CPU (s) | cores busy "
        "| driver peak RSS (MB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, name in (("apertium_fr_es_en", "Apertium fr → es, en"), ("argos_zh_en", "Argos zh → en")):
        t = r[key]
        for run, label in (("plain", "one `translate` process"), ("batch_1", "batch, 1 worker"),
                           ("batch_2", "batch, 2 workers")):
            row = t[run]
            out.append(f"| {name} | {label} | {t['articles']} | {t['sentences']} | {row['seconds']} | "
                       f"{row['sentences_per_s']} | {row.get('first_result_s', '')} | {row.get('cpu_s', '')} | "
                       f"{row.get('cores_busy', '')} | {row.get('peak_rss_mb', '')} |")
    a, g = r["apertium_fr_es_en"], r["argos_zh_en"]
    c, m = r["cluster"], r["driver_memory"]
    out += [
        "",
        f"2 workers over one plain process, wall time: Apertium **{a['ratio_2_workers_over_plain']}x** (goal: "
        f"1.6x), Argos **{g['ratio_2_workers_over_plain']}x** (goal: 1.0x); 1 worker: Apertium "
        f"{_one_worker(a)}x, Argos {_one_worker(g)}x.",
        *(["",
           f"What any way of running the same work on {r['cpu_count']} cores can gain over the plain run: the cores "
           f"it left idle. It kept {a['plain']['cores_busy']} cores busy for Apertium (the programs of a mode run "
           f"side by side in a pipeline, beside our Python), {g['plain']['cores_busy']} for Argos (CTranslate2's "
           f"translators on every core): at best {a['ceiling_over_plain']}x and {g['ceiling_over_plain']}x (the "
           f"same CPU work on every core, with no overhead at all){_verdict(a['ceiling_over_plain'], g['ceiling_over_plain'])}. Workers gain what "
           "one process leaves idle: on machines with more cores than it keeps busy, and on several machines. "
           "What batch adds here is Ray's share: "
           f"{round(a['batch_2']['cpu_s'] - a['plain']['cpu_s'], 1)} CPU seconds more than the plain run for "
           f"Apertium, {round(g['batch_2']['cpu_s'] - g['plain']['cpu_s'], 1)} for Argos (its processes, "
           "the start of each worker, moving batches between processes)."] if "ceiling_over_plain" in a else []),
        "",
        f"Two-node cluster (`ray start --head` and `ray start --address={c['address']}`, one CPU each), "
        f"{c['articles']} articles (Apertium fr → es, batches of one), the second node's raylet killed with "
        f"SIGKILL after {c['killed_after_s']} s (an actor ran there: {c['actor_on_second_node']}): exit code "
        f"{c['exit_code']} after {c['seconds']} s, {c['lost']} articles lost, {c['duplicated']} duplicated, "
        f"output identical to a run on the local instance: {c['identical_to_local_run']}.",
        "",
        f"Driver peak RSS: {m['peak_rss_mb'][0]} MB on {m['articles'][0]} articles, {m['peak_rss_mb'][1]} MB on "
        f"{m['articles'][1]} (ratio {m['ratio']}; goal: at most 1.2).",
    ]
    return out
