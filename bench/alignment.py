"""Harvesting human edits: sentence alignment of a source and an edited translation.

FLORES-200 dev fra/eng, 200 sentences in paragraphs of 4, 20 seeds.  The "editor"
drops paragraphs (5%), deletes sentences (5%), merges two (5%) and splits one (3%).
Precision: harvested pairs that are true translations; recall: harvested among the
sentences left intact.  Against the former rule (paragraphs paired in order, only
those with equal sentence counts).
"""

from __future__ import annotations

import random

from common import FLORES


def _lines(lang: str) -> list[str]:
    return [l.strip() for l in (FLORES / f"{lang}.txt").read_text(encoding="utf-8").splitlines()]


def _edit(rnd: random.Random, fr: list[str], en: list[str]):
    source = [fr[i:i + 4] for i in range(0, len(fr), 4)]
    target, intact = [], set()
    for k in range(len(source)):
        if rnd.random() < 0.05:
            continue  # paragraph dropped
        para, out, j = en[4 * k:4 * k + 4], [], 0
        while j < len(para):
            r = rnd.random()
            if r < 0.05:
                j += 1  # deleted
            elif r < 0.10 and j + 1 < len(para):
                out.append(para[j] + " " + para[j + 1])  # merged
                j += 2
            elif r < 0.13 and " " in para[j][len(para[j]) // 2:]:
                cut = para[j].index(" ", len(para[j]) // 2)
                out += [para[j][:cut] + ".", para[j][cut + 1:]]  # split
                j += 1
            else:
                out.append(para[j])
                intact.add((fr[4 * k + j], para[j]))
                j += 1
        target.append(out)
    return source, target, intact


def _in_order(source, target):
    return [p for s, t in zip(source, target) if len(s) == len(t) for p in zip(s, t)]


def run(*, quick: bool = False) -> dict:
    from translator.alignment import sentence_pairs

    fra, eng = _lines("fra"), _lines("eng")
    seeds = 5 if quick else 20
    scores = {"aligned": [0, 0, 0], "in order": [0, 0, 0]}
    for seed in range(seeds):
        rnd = random.Random(seed)
        start = rnd.randrange(0, len(fra) - 200)
        fr, en = fra[start:start + 200], eng[start:start + 200]
        source, target, intact = _edit(rnd, fr, en)
        truth = set(zip(fr, en))
        for name, method in (("aligned", sentence_pairs), ("in order", _in_order)):
            pairs = method(source, target)
            right = sum(p in truth for p in pairs)
            s = scores[name]
            s[0] += len(pairs)
            s[1] += right
            s[2] += len(intact)
    return {"seeds": seeds, "sentences": 200, "methods": {
        name: {"harvested": p, "correct": r, "precision": round(r / p, 4) if p else None,
               "recall": round(r / i, 4)} for name, (p, r, i) in scores.items()}}
