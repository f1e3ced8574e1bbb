"""Apertium through ``translate`` against the raw ``apertium fr-es`` command, as whole processes.

The same French text (FLORES-200 dev fra.txt, one line a paragraph) at several sizes: one
sentence (what a hook or an editor sends), 10 paragraphs, and a large document.  Runs
alternate (raw, ours, raw...); the medians and their ratio are reported, with the peak
RSS of our process (from /usr/bin/time when present).
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
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            text = Path(tmp) / f"fr-{size}.txt"
            text.write_text(_paragraphs(size) if size > 1 else "Le ciel est bleu au-dessus de la ville.\n",
                            encoding="utf-8")
            raw, ours, rss = [], [], []
            for _ in range(repeats if size < 1000 else max(1, repeats // 2)):
                raw.append(_timed(["apertium", "fr-es"], text, env)[0])
                seconds, peak = _timed([TRANSLATE, "-", "--to", "es", "--engine", "apertium", "-q"], text, env)
                ours.append(seconds)
                rss.append(peak or 0)
            rows[str(size)] = {"raw_s": round(median(raw), 3), "ours_s": round(median(ours), 3),
                               "ratio_ours_over_raw_time": round(median(ours) / median(raw), 2),
                               "ours_peak_rss_mb": round(max(rss) / 1024, 1) if any(rss) else None}
    return {"data": "FLORES-200 dev fra.txt, one line a paragraph (one sentence: a fixed one)",
            "repeats": repeats, "sizes": rows}


def render(r: dict) -> list[str]:
    out = ["", "## Apertium through `translate` against raw `apertium fr-es`", "",
           f"Data: {r['data']}. Whole processes, `translate - --to es --engine apertium -q` and "
           f"`apertium fr-es` on the same stdin, alternating, medians of up to {r['repeats']} runs "
           "(`bench/apertium_cost.py`). Goals: one sentence within 2x, 10 paragraphs within 1.3x, large "
           "documents at parity, peak RSS within 200 MB.", "",
           "| paragraphs | raw apertium (s) | translate (s) | ours / raw time | our peak RSS (MB) |",
           "|---:|---:|---:|---:|---:|"]
    for size, row in r["sizes"].items():
        out.append(f"| {size} | {row['raw_s']} | {row['ours_s']} | {row['ratio_ours_over_raw_time']} | "
                   f"{row['ours_peak_rss_mb']} |")
    return out


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,10000")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run(sizes=tuple(int(s) for s in args.sizes.split(",")), repeats=args.repeats), indent=2))
