"""Sentence-boundary accuracy on FLORES-200 dev: neighbouring lines joined into
paragraphs of four, then split back.  Compares raw sentencex with our segmenter
(sentencex plus the abbreviation and initial rules)."""

from __future__ import annotations

from common import FLORES

LANGS = {"fra": "fr", "eng": "en", "spa": "es", "deu": "de", "ita": "it", "por": "pt"}


def _boundaries(parts: list[str]) -> set[int]:
    out, pos = set(), 0
    for p in parts[:-1]:
        pos += len(p) + 1
        out.add(pos)
    return out


def _score(split, lines: list[str]) -> dict:
    found = gold_total = inside = exact = groups = 0
    for i in range(0, len(lines), 4):
        group = lines[i:i + 4]
        parts = [p.strip() for p in split(" ".join(group)) if p.strip()]
        gold = _boundaries(group)
        pred = _boundaries(parts)
        found += len(gold & pred)
        gold_total += len(gold)
        inside += len(pred - gold)
        exact += parts == group
        groups += 1
    return {"boundary_recall": round(found / gold_total, 4), "splits_inside_lines": inside,
            "paragraphs_split_exactly": round(exact / groups, 4)}


def run(*, lines: int = 997) -> dict:
    import sentencex

    from translator.segmentation import split_sentences

    results = {}
    for file, lang in LANGS.items():
        data = [line.strip() for line in (FLORES / f"{file}.txt").read_text(encoding="utf-8").splitlines()[:lines]]
        results[lang] = {
            "sentencex": _score(lambda t: list(sentencex.segment(lang, t)), data),
            "translator": _score(lambda t: split_sentences(t, lang), data),
        }
    return {"data": f"FLORES-200 dev, first {lines} lines per language, paragraphs of 4 lines", "languages": results}
