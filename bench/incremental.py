"""Content-repository benchmarks: an incremental re-run and translate-check over 500 files.

1. A 50-paragraph article (FLORES-200 dev, 4 sentences a paragraph) in a temporary
   content repository: ``translate-sync`` from scratch, then again after one paragraph
   is edited; the second run's time as a share of the first (goal: at most 10%).
   Apertium fr -> en, es (its programs started by each run, or kept by the Apertium
   server) and Argos zh -> en; measured in-process (the work) and as the
   ``translate-sync`` command a hook runs (adding Python's start and imports).
2. 500 source files with their translations and lock file: ``translate-check`` time
   (goal: under 2 s), with the news glossary lint included.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import FLORES, command_env, median, unpacked_model

CONFIG = """[tool.translator]
source_language = "{src}"
sources = ["content/{src}/**/*.md"]
targets = [{targets}]
output = "content/{{lang}}/{{path}}"
engine = "{engine}"
{glossary}
{extra}
"""


def _article(lang_file: str, paragraphs: int, start: int = 0) -> str:
    lines = [l.strip() for l in (FLORES / lang_file).read_text(encoding="utf-8").splitlines()]
    paras = [" ".join(lines[start + 4 * i:start + 4 * i + 4]) for i in range(paragraphs)]
    return "# Article\n\n" + "\n\n".join(paras) + "\n"


def _repo(tmp: Path, src: str, targets: list[str], engine: str, glossary: bool = False,
          server: bool = False) -> Path:
    (tmp / "content" / src).mkdir(parents=True)
    (tmp / "pyproject.toml").write_text(CONFIG.format(
        src=src, targets=", ".join(f'"{t}"' for t in targets), engine=engine,
        glossary='glossaries = ["news"]' if glossary else "",
        extra="apertium_server = true" if server else ""), encoding="utf-8")
    return tmp


def _sync(repo: Path, process: bool = False) -> tuple[float, str]:
    """One ``translate-sync`` of the whole repository: in this process (the work
    itself), or as the command a hook runs (adding Python's start and imports)."""
    from translator import config
    from translator.hooks import sync

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        if process:
            command = [str(Path(sys.executable).with_name("translate-sync"))]
            env = command_env()
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
            return time.perf_counter() - start, done.stdout.strip().splitlines()[-1]
        out = io.StringIO()
        start = time.perf_counter()
        sync(config.load(), [], out=out)
        return time.perf_counter() - start, out.getvalue().strip().splitlines()[-1]
    finally:
        os.chdir(cwd)


def incremental(src: str, lang_file: str, targets: list[str], engine: str, *,
                server: bool = False, process: bool = False) -> dict:
    """First run and re-run after a one-paragraph edit.  With *server*, a private
    Apertium server (started cold by the first run, stopped at the end)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRANSLATOR_RUNTIME_DIR"] = str(Path(tmp) / "run")
        try:
            return _incremental(Path(tmp), src, lang_file, targets, engine, server, process)
        finally:
            if server:
                from translator.engines import apertium_server

                try:
                    apertium_server.request({"command": "stop"}, timeout=5)
                except OSError:
                    pass
            del os.environ["TRANSLATOR_RUNTIME_DIR"]


def _incremental(tmp: Path, src, lang_file, targets, engine, server, process) -> dict:
    repo = _repo(tmp / "repo", src, targets, engine, server=server)
    path = repo / "content" / src / "article.md"
    text = _article(lang_file, 50)
    path.write_text(text, encoding="utf-8")
    first, first_line = _sync(repo, process)
    paragraphs = text.split("\n\n")
    replacement = _article(lang_file, 1, start=400).split("\n\n")[1].strip()
    paragraphs[10] = replacement  # one paragraph rewritten
    path.write_text("\n\n".join(paragraphs) + ("" if paragraphs[-1].endswith("\n") else "\n"), encoding="utf-8")
    second, second_line = _sync(repo, process)
    how = ("Apertium server" if server else "programs started per run") if engine == "apertium" else "models loaded per run"
    return {"route": f"{src} -> {', '.join(targets)}", "engine": engine, "paragraphs": 50,
            "apertium": how, "measured": "translate-sync process" if process else "sync() in-process",
            "first_s": round(first, 3), "rerun_s": round(second, 3), "share": round(second / first, 4),
            "first": first_line, "rerun": second_line}


def check_speed(files: int = 500, repeats: int = 3) -> dict:
    from translator import config
    from translator.hooks import check, sync

    with tempfile.TemporaryDirectory() as tmp:
        repo = _repo(Path(tmp), "fr", ["en", "es"], "apertium", glossary=True)
        lines = [l.strip() for l in (FLORES / "fra.txt").read_text(encoding="utf-8").splitlines()]
        for i in range(files):
            body = "\n\n".join(lines[(i * 3 + k) % len(lines)] for k in range(3))
            (repo / "content" / "fr" / f"a{i:03}.md").write_text(f"# Article {i}\n\n{body}\n", encoding="utf-8")
        cwd = os.getcwd()
        os.chdir(repo)
        try:
            sync(config.load(), [], out=io.StringIO())
            times = []
            for _ in range(repeats):
                out = io.StringIO()
                start = time.perf_counter()
                code = check(config.load(), [], out=out)
                times.append(time.perf_counter() - start)
        finally:
            os.chdir(cwd)
    problems = len(out.getvalue().splitlines())
    return {"files": files, "targets": 2, "glossary": "news", "median_s": round(median(times), 3),
            "exit_code": code, "problems_reported": problems}


def _median_of(runs: list[dict]) -> dict:
    """The run whose re-run share is the median (its own first and re-run times)."""
    return sorted(runs, key=lambda r: r["share"])[len(runs) // 2] | {"runs": len(runs)}


def run(*, quick: bool = False) -> dict:
    os.environ["ARGOS_PACKAGES_DIR"] = str(unpacked_model())
    repeats = 1 if quick else 3
    results = []
    for server in (False, True):
        for process in (False, True):
            results.append(_median_of([incremental("fr", "fra.txt", ["en", "es"], "apertium",
                                                   server=server, process=process)
                                       for _ in range(repeats)]))
    if not quick:
        for process in (False, True):
            results.append(incremental("zh", "zho.txt", ["en"], "argos", process=process) | {"runs": 1})
    return {"incremental": results, "check": check_speed(files=50 if quick else 500, repeats=1 if quick else 3)}
