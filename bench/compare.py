"""Neural throughput and memory three ways, same model, same sentences, same beam and threads:
our ``Translator``, raw CTranslate2 ``translate_batch``, and argostranslate's own
``translate()`` (what users would pick instead), each in its own process so that peak RSS
and model load time are its own.

argostranslate runs from a separate virtualenv under bench/.work/argos-venv (created on
first use: CPU torch 2.13.0 first, then argostranslate==1.9.6 with its pinned stanza),
offline: the package's own stanza model splits sentences.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from common import FLORES, WORK, unpacked_model

ARGOS_VERSION = "1.9.6"
VENV = WORK / "argos-venv"

COMMON = r'''
import json, resource, sys, time
lines = [l.strip() for l in open(sys.argv[1], encoding="utf-8").read().splitlines()[:int(sys.argv[2])]]
beam, threads = 4, 2
'''
OURS = COMMON + r'''
t0 = time.perf_counter()
from translator import Translator
t = Translator(engine="argos", beam_size=beam, threads=threads)
t.engines[0]._model("zh", "en")
load = time.perf_counter() - t0
t1 = time.perf_counter()
doc = t.translate_text("\n\n".join(lines) + "\n", to="en", source="zh")
out = [s.translations["en"].strip() for s in doc.segments]
'''
RAW = COMMON + r'''
import os
t0 = time.perf_counter()
import ctranslate2, sentencepiece
pkg = os.environ["PKG"]
tr = ctranslate2.Translator(pkg + "/model", device="cpu", compute_type="int8", inter_threads=1, intra_threads=threads)
sp = sentencepiece.SentencePieceProcessor(model_file=pkg + "/sentencepiece.model")
load = time.perf_counter() - t0
t1 = time.perf_counter()
res = tr.translate_batch(sp.encode(lines, out_type=str), beam_size=beam, max_batch_size=32, replace_unknowns=True)
out = ["".join(r.hypotheses[0]).replace("\u2581", " ").strip() for r in res]
'''
ARGOS = COMMON + r'''
t0 = time.perf_counter()
from argostranslate import settings, translate
settings.device = "cpu"
langs = {l.code: l for l in translate.get_installed_languages()}
tr = langs["zh"].get_translation(langs["en"])
load = time.perf_counter() - t0
t1 = time.perf_counter()
out = [tr.translate(l) for l in lines]
'''
TAIL = r'''
seconds = time.perf_counter() - t1
print(json.dumps({"load_s": load, "seconds": seconds, "outputs": out,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if python.exists():
        return python
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    index = os.environ.get("TORCH_INDEX_URL")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "torch==2.13.0", *(["--index-url", index] if index else [])],
                   check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"argostranslate=={ARGOS_VERSION}"], check=True)
    return python


def _run(python: str, code: str, lines: int, env: dict) -> dict:
    proc = subprocess.run([python, "-c", code + TAIL, str(FLORES / "zho.txt"), str(lines)],
                          capture_output=True, text=True, env=env, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(*, lines: int = 200, repeats: int = 3) -> dict:
    packages = unpacked_model()
    pkg = packages / "translate-zh_en-1_9"
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(packages), PKG=str(pkg), HOME=str(WORK / "home"),
               XDG_DATA_HOME=str(WORK / "home" / "data"), XDG_CACHE_HOME=str(WORK / "home" / "cache"),
               XDG_CONFIG_HOME=str(WORK / "home" / "config"), ARGOS_DEVICE_TYPE="cpu")
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
    results = {}
    from common import median

    systems = (("raw_ctranslate2", sys.executable, RAW), ("translator", sys.executable, OURS),
               (f"argostranslate_{ARGOS_VERSION}", str(ensure_venv()), ARGOS))
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in systems}
    for _ in range(repeats):  # interleaved, so that drift hits every system alike
        for name, python, code in systems:
            r = _run(python, code, lines, env)
            r["tokens"] = sum(len(sp.encode(o, out_type=str)) for o in r.pop("outputs"))
            runs[name].append(r)
    for name, rs in runs.items():
        seconds = median([r["seconds"] for r in rs])
        results[name] = {"load_s": round(median([r["load_s"] for r in rs]), 2), "seconds": round(seconds, 2),
                         "sentences_per_s": round(lines / seconds, 2),
                         "target_tokens_per_s": round(median([r["tokens"] for r in rs]) / seconds, 1),
                         "peak_rss_mb": round(max(r["peak_rss_mb"] for r in rs), 1), "runs": len(rs)}
    ours, raw = results["translator"], results["raw_ctranslate2"]
    argos = results[f"argostranslate_{ARGOS_VERSION}"]
    return {"data": f"FLORES-200 dev zho.txt, first {lines} lines", "beam": 4, "threads": 2, "repeats": repeats,
            "systems": results,
            "ours_over_raw": round(ours["sentences_per_s"] / raw["sentences_per_s"], 3),
            "ours_over_argostranslate": round(ours["sentences_per_s"] / argos["sentences_per_s"], 2)}
