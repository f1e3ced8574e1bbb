"""Apertium through ``translate`` against the raw ``apertium fr-es`` command, as whole processes.

The same French text (FLORES-200 dev fra.txt, one line a paragraph) at several sizes: one
sentence (what a hook or an editor sends), 10 paragraphs, and a large document.  Runs
alternate (raw, ours, ours through the warm Apertium server, raw...); the medians and their
ratios are reported, with the peak RSS of our process (from /usr/bin/time when present).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import FLORES, command_env, median

TRANSLATE = str(Path(sys.executable).parent / "translate")


def _paragraphs(count: int) -> str:
    lines = (FLORES / "fra.txt").read_text(encoding="utf-8").splitlines()
    return "\n\n".join(lines[i % len(lines)] for i in range(count)) + "\n"


def _timed(cmd: list[str], stdin: Path, env: dict) -> tuple[float, int | None]:
    timer = shutil.which("time", path="/usr/bin")
    prefix = [timer, "-f", "%M", "-o", str(stdin) + ".rss"] if timer else []
    with open(stdin, "rb") as fin:
        start = time.perf_counter()
        subprocess.run(prefix + cmd, stdin=fin, stdout=subprocess.DEVNULL, check=True, env=env)
        seconds = time.perf_counter() - start
    rss = int(Path(str(stdin) + ".rss").read_text().split()[-1]) if timer else None
    return seconds, rss


def run(*, sizes: tuple[int, ...] = (1, 10, 10_000), repeats: int = 5) -> dict:
    env = command_env()
    ours_cmd = [TRANSLATE, "-", "--to", "es", "--engine", "apertium", "-q"]
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp) / "run"  # a private folder for the Apertium server of this run
        runtime.mkdir(mode=0o700)
        served_env = env | {"TRANSLATOR_RUNTIME_DIR": str(runtime)}
        try:
            for size in sizes:
                text = Path(tmp) / f"fr-{size}.txt"
                text.write_text(_paragraphs(size) if size > 1 else "Le ciel est bleu au-dessus de la ville.\n",
                                encoding="utf-8")
                for _ in range(2):  # starts it, then loads its detection (not timed)
                    _timed(ours_cmd + ["--apertium-server"], text, served_env)
                raw, ours, served, rss = [], [], [], []
                for _ in range(repeats if size < 1000 else max(1, repeats // 2)):
                    raw.append(_timed(["apertium", "fr-es"], text, env)[0])
                    seconds, peak = _timed(ours_cmd, text, env)
                    ours.append(seconds)
                    rss.append(peak or 0)
                    served.append(_timed(ours_cmd + ["--apertium-server"], text, served_env)[0])
                rows[str(size)] = {"raw_s": round(median(raw), 3), "ours_s": round(median(ours), 3),
                                   "ratio_ours_over_raw_time": round(median(ours) / median(raw), 2),
                                   "ours_peak_rss_mb": round(max(rss) / 1024, 1) if any(rss) else None,
                                   "served_s": round(median(served), 3),
                                   "ratio_served_over_raw_time": round(median(served) / median(raw), 2)}
        finally:
            subprocess.run([TRANSLATE, "apertium-server", "stop"], env=served_env, stdout=subprocess.DEVNULL,
                           check=False)
    return {"data": "FLORES-200 dev fra.txt, one line a paragraph (one sentence: a fixed one)",
            "repeats": repeats, "sizes": rows}


def render(r: dict) -> list[str]:
    out = ["", "## Apertium through `translate` against raw `apertium fr-es`", "",
           f"Data: {r['data']}. Whole processes, `translate - --to es --engine apertium -q` and "
           f"`apertium fr-es` on the same stdin, alternating, medians of up to {r['repeats']} runs "
           "(`bench/apertium_cost.py`). Goals: one sentence within 2x, 10 paragraphs within 1.3x, large "
           "documents at parity, peak RSS within 200 MB. **served**: `translate --apertium-server`, the "
           "per-user server already running (started, and its language detection loaded, by two untimed "
           "runs), as an editor or a script that calls translate often would use it: it keeps Apertium's "
           "programs and the detection models loaded, and the run's own process does the rest. A process of "
           "its own starts Apertium's programs (the raw command's work) while its Python runs, on two cores: "
           "the CPU time of both is the floor of its time.", "",
           "| paragraphs | raw apertium (s) | translate (s) | ours / raw time | our peak RSS (MB) "
           "| served (s) | served / raw time |",
           "|---:|---:|---:|---:|---:|---:|---:|"]
    for size, row in r["sizes"].items():
        out.append(f"| {size} | {row['raw_s']} | {row['ours_s']} | {row['ratio_ours_over_raw_time']} | "
                   f"{row['ours_peak_rss_mb']} | {row.get('served_s', '')} | "
                   f"{row.get('ratio_served_over_raw_time', '')} |")
    return out


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,10000")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run(sizes=tuple(int(s) for s in args.sizes.split(",")), repeats=args.repeats), indent=2))
