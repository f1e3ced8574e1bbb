"""Peak memory of a neural run: ``translate`` against a raw CTranslate2 script with the same
settings, as whole processes, and what the thread layout costs.

The same 997 FLORES-200 zh sentences, model translate-zh_en 1.9, int8, beam 4, batches of 32,
on 2 CPU threads laid out as one translator of two threads (``inter 1 x intra 2``) or two
translators of one (``inter 2 x intra 1``):

- raw: a Python script that loads SentencePiece and ``ctranslate2.Translator`` with that
  layout, encodes the sentences, calls ``translate_batch`` once and writes the decoded lines;
- ours: ``translate FILE --to en --from zh --engine argos --inter-threads N`` (one paragraph a
  sentence), and the same with the language detected (``--from`` left out), which loads
  langdetect's profiles.

Peak RSS from ``/usr/bin/time -f %M``.  Goal (issue 16): ours within 10% of raw.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import FLORES, command_env, unpacked_model

TRANSLATE = str(Path(sys.executable).parent / "translate")
RAW = """
import sys, ctranslate2, sentencepiece
model, source, out, inter, intra = sys.argv[1:6]
sp = sentencepiece.SentencePieceProcessor(model_file=model + "/sentencepiece.model")
lines = open(source, encoding="utf-8").read().split("\\n\\n")
lines = [l.strip() for l in lines if l.strip()]
translator = ctranslate2.Translator(model + "/model", device="cpu", compute_type="int8",
                                    inter_threads=int(inter), intra_threads=int(intra))
results = translator.translate_batch(sp.encode(lines, out_type=str), beam_size=4, max_batch_size=32,
                                     replace_unknowns=True)
with open(out, "w", encoding="utf-8") as handle:
    handle.write("\\n\\n".join(sp.decode(r.hypotheses[0]) for r in results) + "\\n")
"""
LAYOUTS = ((1, 2), (2, 1))


def _peak_mb(cmd: list[str], env: dict, where: Path) -> float:
    timer = shutil.which("time", path="/usr/bin")
    if timer is None:
        raise RuntimeError("/usr/bin/time is needed to measure peak RSS (apt-get install time)")
    report = where / "rss.txt"
    subprocess.run([timer, "-f", "%M", "-o", str(report), *cmd], env=env, check=True, capture_output=True,
                   timeout=3600)
    return round(int(report.read_text().split()[-1]) / 1024, 1)


def run(*, lines: int = 997) -> dict:
    env = command_env() | {"ARGOS_PACKAGES_DIR": str(unpacked_model())}
    package = unpacked_model() / "translate-zh_en-1_9"
    zh = (FLORES / "zho.txt").read_text(encoding="utf-8").splitlines()[:lines]
    rows = []
    with tempfile.TemporaryDirectory(prefix="memory-") as tmp:
        work = Path(tmp)
        source = work / "zh.txt"
        source.write_text("\n\n".join(zh) + "\n", encoding="utf-8")
        for inter, intra in LAYOUTS:
            raw = _peak_mb([sys.executable, "-c", RAW, str(package), str(source), str(work / "raw.txt"),
                            str(inter), str(intra)], env, work)
            ours_cmd = [TRANSLATE, str(source), "--to", "en", "--engine", "argos", "--threads", str(inter * intra),
                        "--inter-threads", str(inter), "-o", str(work / "out"), "-q", "--overwrite"]
            ours = _peak_mb([*ours_cmd, "--from", "zh"], env, work)
            detected = _peak_mb(ours_cmd, env, work)
            rows.append({"inter_threads": inter, "intra_threads": intra, "raw_mb": raw, "ours_mb": ours,
                         "ours_detecting_mb": detected, "ours_over_raw": round(ours / raw, 3),
                         "detecting_over_raw": round(detected / raw, 3)})
    return {"sentences": len(zh), "beam": 4, "compute_type": "int8", "max_batch_size": 32, "rows": rows}


def render(r: dict) -> list[str]:
    out = ["", "## Memory: a neural run against raw CTranslate2", "",
           f"Peak RSS of whole processes (`/usr/bin/time -f %M`), {r['sentences']} FLORES-200 zh sentences, "
           f"translate-zh_en 1.9, {r['compute_type']}, beam {r['beam']}, batches of {r['max_batch_size']}; "
           "raw: SentencePiece and `ctranslate2.Translator` in a script; ours: `translate FILE --to en "
           "--engine argos --inter-threads N` with `--from zh`, and with the language detected (`bench/peak_memory.py`).",
           "", "| layout | raw (MB) | ours, --from zh (MB) | ours/raw | ours, detected (MB) | detected/raw |",
           "|---|---:|---:|---:|---:|---:|"]
    for row in r["rows"]:
        out.append(f"| inter {row['inter_threads']} x intra {row['intra_threads']} | {row['raw_mb']} | "
                   f"{row['ours_mb']} | {row['ours_over_raw']} | {row['ours_detecting_mb']} | "
                   f"{row['detecting_over_raw']} |")
    if len(r["rows"]) == 2:
        one, two = r["rows"]
        out += ["", f"The layout's cost: two translators of one thread take {two['raw_mb'] - one['raw_mb']:+.1f} MB "
                f"(raw) and {two['ours_mb'] - one['ours_mb']:+.1f} MB (ours) over one translator of two threads. "
                "`--inter-threads 1` keeps memory low; the default picks two translators for many sentences "
                "(faster, see the sweep). Goal: ours within 10% of raw."]
    return out


if __name__ == "__main__":
    import json

    result = run(lines=int(sys.argv[1]) if len(sys.argv) > 1 else 997)
    print(json.dumps(result, indent=2))
    print("\n".join(render(result)))
