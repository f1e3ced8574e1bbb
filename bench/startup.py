"""Cold start and multi-target cost, measured as whole commands (median of runs).

- ``python -c pass``, ``translate --version``, ``translate --help`` (goal: within 2x ``python -c pass``)
  and a one-sentence translation (Apertium fr->es) against the raw ``apertium fr-es`` command on the
  same file (goal: within 2x);
- ``--to en,es,it,pt`` from French in one run against four separate runs (the Spanish pivot
  step is computed once in the single run).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, command_env, median

TRANSLATE = str(Path(sys.executable).parent / "translate")


def _time(cmd: list[str], repeats: int, **kw) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, **kw)
        times.append(time.perf_counter() - start)
    return round(median(times), 3)


def run(*, repeats: int = 5) -> dict:
    env = command_env()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.txt"
        one.write_text("Le ciel est bleu.\n", encoding="utf-8")
        article = Path(tmp) / "article.txt"
        shutil.copy(ROOT / "samples" / "diplomatie.txt", article)
        out = {
            "python_pass_s": _time([sys.executable, "-c", "pass"], repeats, env=env),
            "version_s": _time([TRANSLATE, "--version"], repeats, env=env),
            "help_s": _time([TRANSLATE, "--help"], repeats, env=env),
            "one_sentence_s": _time([TRANSLATE, str(one), "--to", "es", "--engine", "apertium", "-q"], repeats, env=env),
            "raw_apertium_one_sentence_s": _time(["apertium", "fr-es", str(one)], repeats, env=env),
            "four_targets_one_run_s": _time([TRANSLATE, str(article), "--to", "en,es,it,pt", "--engine",
                                             "apertium", "-q"], repeats, env=env),
        }
        separate = []
        for _ in range(repeats):
            start = time.perf_counter()
            for lang in ("en", "es", "it", "pt"):
                subprocess.run([TRANSLATE, str(article), "--to", lang, "--engine", "apertium", "-q"],
                               check=True, capture_output=True, env=env)
            separate.append(time.perf_counter() - start)
        out["four_targets_separate_runs_s"] = round(median(separate), 3)
        out["help_over_python"] = round(out["help_s"] / out["python_pass_s"], 2)
        out["one_sentence_over_raw_apertium"] = round(out["one_sentence_s"] / out["raw_apertium_one_sentence_s"], 2)
        out["multi_target_ratio"] = round(out["four_targets_one_run_s"] / out["four_targets_separate_runs_s"], 3)
    return out
