"""Peak memory and time of `translate` on large plain-text inputs (1, 10, 50 MB of French
news paragraphs from FLORES), translated piece by piece (translator/chunks.py) or whole.

    .venv/bin/python bench/large_inputs.py [--sizes 1,10,50] [--whole]

Each run is a fresh `translate FILE --to es --from fr -q` process (Apertium fr->es); peak RSS
is that Python process's maximum resident set (/usr/bin/time), its Apertium programs apart.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import FLORES, command_env  # noqa: E402

WHOLE = ("import sys; from translator import chunks; chunks.THRESHOLD = 10**12; "
         "from translator.cli import main; sys.exit(main(sys.argv[1:]))")


def _article_text(megabytes: float) -> str:
    lines = (FLORES / "fra.txt").read_text(encoding="utf-8").splitlines()
    paragraphs, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        # numbered, so that no sentence repeats (the engines would translate a repeated one once)
        paragraph = " ".join(f"{lines[(i * 3 + k) % len(lines)].rstrip('.')} ({i}.{k})." for k in range(3))
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(paragraphs) + "\n"


def run_one(path: Path, whole: bool) -> dict:
    """One fresh process under /usr/bin/time: its peak resident set and its time."""
    args = [sys.executable, "-c", WHOLE] if whole else [sys.executable, "-m", "translator"]
    done = subprocess.run(["/usr/bin/time", "-f", "TIME %M %e", *args, str(path), "--to", "es", "--from", "fr", "-q",
                           "--max-size", "1GB",
                           "-o", str(path.parent / "out")], env=command_env(), capture_output=True, text=True)
    measured = next(line for line in reversed(done.stderr.splitlines()) if line.startswith("TIME "))
    kilobytes, seconds = measured.split()[1:]
    return {"ok": done.returncode == 0, "seconds": float(seconds), "peak_rss_mb": round(int(kilobytes) / 1024, 1)}


def run(sizes: list[float], whole: bool = False) -> dict:
    results = []
    for mb in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"large-{mb}mb.txt"
            path.write_text(_article_text(mb), encoding="utf-8")
            for mode in (["pieces", "whole"] if whole else ["pieces"]):
                results.append({"megabytes": mb, "mode": mode, **run_one(path, mode == "whole")})
    return {"data": "FLORES-200 dev fra, 3 sentences per paragraph, repeated", "route": "fr>es (Apertium)",
            "results": results}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--whole", action="store_true", help="also the whole-document path, for comparison")
    args = parser.parse_args()
    print(json.dumps(run([float(s) for s in args.sizes.split(",")], args.whole), indent=2))
