"""Route quality: the tuning table the planner ranks by, and the held-out comparison.

    .venv/bin/python bench/routes.py --tune      # rewrite translator/route_quality.json
    .venv/bin/python bench/run.py --only routes  # the held-out figures (this module's run())

FLORES-200 dev is split once: its first TUNE lines tune (rank routes), the rest are
held out for every figure reported.  Scores are sacrebleu's chrF and BLEU (defaults).

The held-out part compares, for French into each target: the route the old fixed
order took and the route chosen now; and, per route, our pipeline against the raw
``apertium -u`` command, both on the whole slice as one file (one sentence a line:
Apertium's state then flows from each sentence into the next) and on each sentence
alone (a fresh command per sentence, on a subset: what the pipeline must equal); the
command's unknown-word marks are removed after each step by a plain pattern.
It also times Apertium's two ways of keeping documents apart: every sentence on its
own (what the engine does) or each document in order with a boundary between them.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from common import FLORES, ROOT

TUNE = 200  # FLORES-200 dev lines 1-200 tune; 201-997 are held out
FILES = {"fr": "fra", "en": "eng", "es": "spa", "it": "ita", "pt": "por", "de": "deu", "zh": "zho"}
TARGETS = ("es", "en", "it", "pt")
TABLE = ROOT / "translator" / "route_quality.json"


def lines(lang: str, start: int, stop: int | None) -> list[str]:
    return [x.strip() for x in (FLORES / f"{FILES[lang]}.txt").read_text(encoding="utf-8").splitlines()[start:stop]]


def score(hyps: list[str], refs: list[str]) -> dict:
    import sacrebleu

    return {"chrf": round(sacrebleu.corpus_chrf(hyps, [refs]).score, 2),
            "bleu": round(sacrebleu.corpus_bleu(hyps, [refs]).score, 2)}


def _versions(routes) -> dict[str, str]:
    from translator.engines.apertium import _package_versions, _pair_package

    installed = _package_versions()
    packages = {_pair_package(Path(p.location)) for r in routes for p in r.pairs}
    return {pkg: installed.get(pkg, "?") for pkg in sorted(packages | {"apertium"})}


def _steps(engine, route, sentences: list[str], memo: dict) -> list[str]:
    """The route's output, each step computed once per prefix (fr>ca serves it and pt)."""
    texts = sentences
    for depth, pair in enumerate(route.pairs, 1):
        key = route.pairs[:depth]
        if key not in memo:
            memo[key] = engine.translate(texts, pair.source, pair.target).texts
        texts = memo[key]
    return texts


def tune(count: int = TUNE) -> dict:
    """chrF of every installed Apertium route between FLORES languages on the tuning slice."""
    import sacrebleu

    from translator.engines import rank
    from translator.engines.apertium import ApertiumEngine

    engine = ApertiumEngine()
    rows, every = [], []
    for source in FILES:
        sentences, memo = lines(source, 0, count), {}
        for target in FILES:
            routes = rank([engine], source, target, table={}) if target != source else []
            for route in routes:
                hyps = _steps(engine, route, sentences, memo)
                rows.append({"route": route.name, "engine": route.engine, "sentences": count,
                             **score(hyps, lines(target, 0, count))})
                every.append(route)
    engine.close()
    return {"made": {"command": "bench/routes.py --tune",
                     "data": f"FLORES-200 dev lines 1-{count} (tuning slice; lines {count + 1}-997 held out)",
                     "metric": f"chrF and BLEU, sacrebleu {sacrebleu.__version__} defaults",
                     "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                     "apertium": _versions(every)},
            "routes": rows}


# -- the held-out part -------------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_MARK = re.compile(r"[*#@]+(?=\w)")


def _apertium(mode: str, text: str, *, paragraph: bool = False) -> str:
    """The ``apertium MODE`` command's output with its marks removed the simple way
    (marks left in would change the next step's input; ``-u`` would change the output).
    *paragraph*: *text* is one sentence, given as an HTML paragraph (``-f html``), as
    the engine gives it: the format puts a sentence boundary before the first word,
    as the previous line's full stop does in a file, and the first word is tagged as
    a sentence's first word ("Des camions" -> "Uns camiões", not "Dos camiões")."""
    if paragraph:
        out = subprocess.run(["apertium", "-f", "html", mode], input=f"<p>{html.escape(text, quote=False)}</p>",
                             capture_output=True, text=True, check=True).stdout
        out = html.unescape(re.sub(r"</?p>", "", out))
    else:
        out = subprocess.run(["apertium", mode], input=text, capture_output=True, text=True, check=True).stdout
    return _MARK.sub("", out)


def _raw_file(route, sentences: list[str]) -> list[str]:
    """``apertium MODE`` on the slice as one file, one sentence a line, per step."""
    text = "\n".join(sentences) + "\n"
    for pair in route.pairs:
        text = _apertium(pair.name, text)
    out = text.splitlines()
    assert len(out) == len(sentences), (route.name, len(out), len(sentences))
    return out


def _raw_alone(route, sentences: list[str], memo: dict) -> list[str]:
    """``apertium -f html MODE`` started afresh for each sentence (a paragraph) and each step."""
    def one(pair, text: str) -> str:
        return _apertium(pair.name, text, paragraph=True).strip()

    texts = sentences
    with ThreadPoolExecutor(2) as pool:
        for depth, pair in enumerate(route.pairs, 1):
            key = route.pairs[:depth]
            if key not in memo:
                memo[key] = list(pool.map(lambda t, p=pair: one(p, t), texts))
            texts = memo[key]
    return texts


_OURS: dict[tuple, list[str]] = {}


def _pipeline(route, sentences: list[str]) -> list[str]:
    """Our Translator with the route pinned, each sentence a paragraph of one document."""
    key = (route.name, tuple(sentences))
    if key not in _OURS:
        _OURS[key] = _translate(route, sentences)
    return _OURS[key]


def _translate(route, sentences: list[str]) -> list[str]:
    from translator import Translator

    target = route.languages[-1]
    with Translator(engine="apertium", routes={target: route.name}) as t:
        doc = t.translate_text("\n\n".join(sentences) + "\n", to=[target], source=route.languages[0])
    out = [seg.translations[target] for seg in doc.segments]
    assert len(out) == len(sentences)
    return out


def _same(a: list[str], b: list[str]) -> int:
    return sum(_norm(x) == _norm(y) for x, y in zip(a, b))


def compare_raw(route, sentences: list[str], refs: list[str], alone: int, memo: dict) -> dict:
    ours = _pipeline(route, sentences)
    raw = _raw_file(route, sentences)
    row = {"route": route.name, "sentences": len(sentences), "pipeline": score(ours, refs),
           "raw_file": score(raw, refs), "equal_to_raw_file": round(_same(ours, raw) / len(sentences), 4)}
    if alone:
        raw1 = _raw_alone(route, sentences[:alone], memo)
        row["alone"] = {"sentences": alone, "pipeline": score(ours[:alone], refs[:alone]),
                        "raw_alone": score(raw1, refs[:alone]),
                        "equal_to_raw_alone": round(_same(ours[:alone], raw1) / alone, 4)}
    return row


def boundary_speed(route, sentences: list[str], per_document: int = 8, repeats: int = 3) -> dict:
    """Seconds for the route's steps with every sentence alone (what the engine does),
    with documents of *per_document* sentences in order (one boundary per document),
    and with all sentences as one document (as before: no boundary); median of runs."""
    from translator.engines.apertium_pipe import ModePipeline

    docs = [f"<p>{html.escape(s, quote=False)}</p>" for s in sentences]
    grouped = ["\n".join(docs[i:i + per_document]) for i in range(0, len(docs), per_document)]
    pipes = [ModePipeline(p.location) for p in route.pairs]
    for pipe in pipes:
        pipe.translate("<p>Bonjour.</p>")  # programs loaded before timing
    times: dict[str, list[float]] = {"sentences_alone": [], "documents_in_order": [], "one_document": []}
    restarts: dict[str, int] = {}
    try:
        for _ in range(repeats):
            for label, batch in (("sentences_alone", docs), ("documents_in_order", grouped),
                                 ("one_document", ["\n".join(docs)])):
                before = sum(p.tagger_restarts for p in pipes)
                start = time.perf_counter()
                texts = batch
                for pipe in pipes:
                    texts = pipe.translate_each(texts)
                times[label].append(time.perf_counter() - start)
                restarts[label] = sum(p.tagger_restarts for p in pipes) - before
    finally:
        for pipe in pipes:
            pipe.close()
    out = {label: round(sorted(v)[len(v) // 2], 2) for label, v in times.items()}
    return {"route": route.name, "sentences": len(sentences), "per_document": per_document, **out,
            "tagger_restarts": restarts}


def run(*, quick: bool = False) -> dict:
    from translator.engines import rank
    from translator.engines.apertium import ApertiumEngine
    from translator.engines.routes import candidates

    stop = TUNE + 60 if quick else None
    alone = 10 if quick else 150
    sentences = lines("fr", TUNE, stop)
    engine = ApertiumEngine()
    targets, compared, memo = [], [], {}
    for target in TARGETS:
        refs = lines(target, TUNE, stop)
        old = candidates([engine], "fr", target)[0]
        new = rank([engine], "fr", target)[0]
        row = {"target": target, "old_route": old.name, "new_route": new.name}
        for label, route in (("old", old), ("new", new)):
            row[label] = score(_pipeline(route, sentences), refs)
        for route in candidates([engine], "fr", target):  # every installed route, raw and ours
            compared.append(compare_raw(route, sentences, refs, alone, memo))
        row["chrf_gain"] = round(row["new"]["chrf"] - row["old"]["chrf"], 2)
        targets.append(row)
    speed = boundary_speed(rank([engine], "fr", "it")[0], sentences[:80 if quick else 400], repeats=1 if quick else 3)
    return {"data": f"FLORES-200 dev lines {TUNE + 1}-{TUNE + len(sentences)} (held out from tuning)",
            "sentences": len(sentences), "targets": targets, "raw": compared, "boundary_speed": speed,
            "apertium": _versions([rank([engine], "fr", t)[0] for t in TARGETS])}


def render(r: dict) -> list[str]:
    out = ["", "## French routes: chosen by measured quality, and the pipeline against raw Apertium", "",
           f"Data: {r['data']}, {r['sentences']} sentences. Routes are ranked by chrF on lines 1-{TUNE} "
           "(translator/route_quality.json, `bench/routes.py --tune`).", "",
           "| target | old route | chrF / BLEU | new route | chrF / BLEU | chrF gain |", "|---|---|---:|---|---:|---:|"]
    for t in r["targets"]:
        out.append(f"| {t['target']} | {t['old_route']} | {t['old']['chrf']} / {t['old']['bleu']} | {t['new_route']} | "
                   f"{t['new']['chrf']} / {t['new']['bleu']} | {t['chrf_gain']:+} |")
    out += ["", "| route | pipeline chrF / BLEU | raw file chrF / BLEU | same as raw file | alone: pipeline chrF | "
            "alone: raw chrF | same as raw alone |", "|---|---:|---:|---:|---:|---:|---:|"]
    for c in r["raw"]:
        a = c.get("alone", {})
        out.append(f"| {c['route']} | {c['pipeline']['chrf']} / {c['pipeline']['bleu']} | {c['raw_file']['chrf']} / "
                   f"{c['raw_file']['bleu']} | {c['equal_to_raw_file']:.1%} | {a.get('pipeline', {}).get('chrf', '')} | "
                   f"{a.get('raw_alone', {}).get('chrf', '')} | "
                   + (f"{a['equal_to_raw_alone']:.1%} ({a['sentences']})" if a else "") + " |")
    s = r["boundary_speed"]
    out += ["", f"Apertium, {s['route']}, {s['sentences']} sentences: every sentence alone {s['sentences_alone']} s, "
            f"documents of {s['per_document']} in order {s['documents_in_order']} s, all in one document (no "
            f"boundary, as before) {s['one_document']} s; tagger restarts: {s['tagger_restarts']}."]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help=f"rewrite {TABLE.relative_to(ROOT)}")
    parser.add_argument("--quick", action="store_true", help="the held-out part on a small slice")
    args = parser.parse_args(argv)
    if args.tune:
        table = tune()
        TABLE.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {TABLE} ({len(table['routes'])} routes)")
        return 0
    result = run(quick=args.quick)
    print(json.dumps(result, indent=1))
    print("\n".join(render(result)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
