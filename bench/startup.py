"""Cold start and multi-target cost, measured as whole commands (medians of runs taking turns).

- ``python -c pass``, ``translate --version``, ``translate --help`` (goal: within 2x ``python -c pass``)
  and a one-sentence translation (Apertium fr->es), in a process of its own and through the warm
  per-user server (``--apertium-server``), against the raw ``apertium fr-es`` command on the
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


def _alternating(commands: dict[str, list[list[str]]], repeats: int, env: dict) -> dict[str, float]:
    """The median time of each entry (one command, or several run one after another), the
    entries taking turns round after round, so that a drift of the machine's speed
    during the run weighs on each alike."""
    times: dict[str, list[float]] = {key: [] for key in commands}
    for _ in range(repeats):
        for key, cmds in commands.items():
            start = time.perf_counter()
            for cmd in cmds:
                subprocess.run(cmd, check=True, capture_output=True, env=env)
            times[key].append(time.perf_counter() - start)
    return {key: round(median(values), 3) for key, values in times.items()}


def run(*, repeats: int = 5) -> dict:
    env = command_env()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.txt"
        one.write_text("Le ciel est bleu.\n", encoding="utf-8")
        article = Path(tmp) / "article.txt"
        shutil.copy(ROOT / "samples" / "diplomatie.txt", article)
        apertium = ["--engine", "apertium", "-q"]
        out = _alternating({
            "python_pass_s": [[sys.executable, "-c", "pass"]],
            "version_s": [[TRANSLATE, "--version"]],
            "help_s": [[TRANSLATE, "--help"]],
        }, repeats, env)
        # Through the warm per-user server too (a private folder for this run's): started, and
        # its detection loaded, by two untimed runs.
        runtime = Path(tmp) / "run"
        runtime.mkdir(mode=0o700)
        served_env = env | {"TRANSLATOR_RUNTIME_DIR": str(runtime)}
        served = [TRANSLATE, str(one), "--to", "es", *apertium, "--apertium-server"]
        try:
            for _ in range(2):
                subprocess.run(served, check=True, capture_output=True, env=served_env)
            out |= _alternating({
                "one_sentence_s": [[TRANSLATE, str(one), "--to", "es", *apertium]],
                "one_sentence_served_s": [served],
                "raw_apertium_one_sentence_s": [["apertium", "fr-es", str(one)]],
            }, repeats, served_env)
        finally:
            subprocess.run([TRANSLATE, "apertium-server", "stop"], env=served_env, capture_output=True, check=False)
        out |= _alternating({
            "four_targets_one_run_s": [[TRANSLATE, str(article), "--to", "en,es,it,pt", *apertium]],
            "four_targets_separate_runs_s": [[TRANSLATE, str(article), "--to", lang, *apertium]
                                             for lang in ("en", "es", "it", "pt")],
        }, repeats, env)
        out["help_over_python"] = round(out["help_s"] / out["python_pass_s"], 2)
        out["one_sentence_over_raw_apertium"] = round(out["one_sentence_s"] / out["raw_apertium_one_sentence_s"], 2)
        out["one_sentence_served_over_raw_apertium"] = round(
            out["one_sentence_served_s"] / out["raw_apertium_one_sentence_s"], 2)
        out["multi_target_ratio"] = round(out["four_targets_one_run_s"] / out["four_targets_separate_runs_s"], 3)
    return out
