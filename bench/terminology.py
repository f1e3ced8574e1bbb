"""Glossary benchmarks on FLORES-200 dev: term accuracy and chrF/BLEU with and
without the glossary, for every route here; and the speed of term matching.

The glossary is built from ``bench/flores-candidates.csv`` (place and organisation
names frequent in FLORES, with their usual forms): a cell is kept only where the
FLORES references use that form for at least 70% of the sentences with the term,
so that the glossary agrees with the references it is scored against.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from common import FLORES, WORK, median

HERE = Path(__file__).resolve().parent
FILES = {"fr": "fra", "en": "eng", "es": "spa", "it": "ita", "pt": "por", "zh": "zho", "de": "deu"}
AGREEMENT = 0.7


def lines(lang: str, count: int) -> list[str]:
    return [line.strip() for line in (FLORES / f"{FILES[lang]}.txt").read_text(encoding="utf-8").splitlines()[:count]]


def build_glossary(count: int = 997) -> tuple[Path, dict]:
    """Keep each candidate cell the references agree with; write the CSV; return stats."""
    import csv

    from translator.glossary import contains, parse_rows

    rows = list(csv.reader((HERE / "flores-candidates.csv").read_text(encoding="utf-8").splitlines()))
    header, body = rows[0], rows[1:]
    data = {lang: lines(lang, count) for lang in header}
    kept_rows, kept_cells = [], 0
    for row in body:
        g = parse_rows([header, row], "candidate")
        concept = g.concepts[0]
        out = list(row)
        for col, lang in enumerate(header):
            if lang in ("fr", "zh"):
                continue
            hits = [i for i, line in enumerate(data["fr"]) if g.find(line, "fr")]
            agree = sum(contains(data[lang][i], concept.forms[lang][0]) for i in hits)
            if not hits or agree / len(hits) < AGREEMENT:
                out[col] = ""
        zh_hits = [i for i, line in enumerate(data["zh"]) if row[header.index("zh")] in line]
        if not zh_hits or sum(contains(data["en"][i], out[1]) for i in zh_hits if out[1]) / len(zh_hits) < AGREEMENT:
            out[header.index("zh")] = ""
        if any(out[1:]) and any(g.find(line, "fr") for line in data["fr"]):
            kept_rows.append(out)
            kept_cells += sum(1 for c in out[1:] if c)
    path = WORK / "flores-glossary.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(kept_rows)
    return path, {"candidates": len(body), "concepts_kept": len(kept_rows), "cells_kept": kept_cells}


def _score(hyps: list[str], refs: list[str]) -> dict:
    import sacrebleu

    return {"chrf": round(sacrebleu.corpus_chrf(hyps, [refs]).score, 2),
            "bleu": round(sacrebleu.corpus_bleu(hyps, [refs]).score, 2)}


def _term_accuracy(glossary, sources: list[str], hyps: list[str], src: str, tgt: str) -> tuple[int, int]:
    from translator.glossary import contains

    required = present = 0
    for source, hyp in zip(sources, hyps):
        for m in glossary.find(source, src):
            form = m.required(tgt)
            if form:
                required += 1
                present += contains(hyp, form, case_sensitive=m.concept.is_case_sensitive(form))
    return required, present


def _route(translator_cls, glossary, engine: str, src: str, tgt: str, count: int) -> dict:
    sources, refs = lines(src, count), lines(tgt, count)
    text = "\n\n".join(sources) + "\n"
    result = {"route": f"{src}->{tgt}", "engine": engine, "sentences": count}
    for label, g in (("without", None), ("with", glossary)):
        t = translator_cls(engine=engine, glossary=g)
        start = time.perf_counter()
        doc = t.translate_text(text, to=[tgt], source=src)
        elapsed = time.perf_counter() - start
        hyps = [s.translations[tgt] for s in doc.segments]
        assert len(hyps) == len(refs)
        required, present = _term_accuracy(glossary, sources, hyps, src, tgt)
        # Scores on every sentence, and on the sentences that hold a glossary term.
        with_terms = [i for i, s in enumerate(sources) if any(m.required(tgt) for m in glossary.find(s, src))]
        result[label] = {**_score(hyps, refs),
                         "term_sentences": _score([hyps[i] for i in with_terms], [refs[i] for i in with_terms]),
                         "terms_required": required, "terms_present": present,
                         "term_accuracy": round(present / required, 4) if required else None,
                         "seconds": round(elapsed, 2)}
        result["route_taken"] = doc.engine[tgt]["route"]
    result["chrf_delta"] = round(result["with"]["chrf"] - result["without"]["chrf"], 2)
    return result


def run(*, count: int, argos: bool = True) -> dict:
    import os

    from common import unpacked_model
    from translator import Translator
    from translator.glossary import load

    path, stats = build_glossary()
    glossary = load(str(path))
    routes = []
    for tgt in ("es", "en", "it", "pt"):
        routes.append(_route(Translator, glossary, "apertium", "fr", tgt, count))
    if argos:
        os.environ["ARGOS_PACKAGES_DIR"] = str(unpacked_model())
        routes.append(_route(Translator, glossary, "argos", "zh", "en", count))
    return {"glossary": stats, "glossary_file": "bench/flores-candidates.csv filtered by reference agreement",
            "routes": routes, "matching": matching_speed()}


def matching_speed(terms: int = 10_000, words: int = 5_000, repeats: int = 5) -> dict:
    """A 10,000-term glossary on a 5,000-word article, and the same at 2x and 4x length."""
    from translator.glossary import parse_rows

    vocab = sorted({w for line in lines("fr", 997) for w in line.split() if w.isalpha() and len(w) > 3})
    rng = random.Random(0)
    rows, seen = [["fr", "en"]], set()
    while len(rows) <= terms:
        term = " ".join(rng.sample(vocab, rng.choice((1, 2, 2, 3))))
        if term.lower() not in seen:
            seen.add(term.lower())
            rows.append([term, f"T{len(rows)}"])
    start = time.perf_counter()
    g = parse_rows(rows, "synthetic")
    g.find("x", "fr")  # builds the automaton
    build = time.perf_counter() - start
    article = " ".join(" ".join(lines("fr", 997)).split()[:words])
    out = {"terms": terms, "words": words, "build_s": round(build, 3)}
    for factor in (1, 2, 4):
        text = " ".join([article] * factor)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            matches = g.find(text, "fr")
            times.append(time.perf_counter() - t0)
        out[f"find_{factor}x_ms"] = round(median(times) * 1000, 2)
        out[f"matches_{factor}x"] = len(matches)
    return out
