"""Sentence alignment of a source and its (human-edited) translation.

When an editor corrects a machine translation, sentences get merged, split, added
or dropped, and whole paragraphs too.  To harvest the corrected sentences into the
memory we align first paragraphs, then the sentences inside each paired paragraph,
with Gale and Church's length-based method (1993): a dynamic programme over
"beads" (1-1, 1-0, 0-1, 2-1, 1-2, 2-2), each scored by how likely its character
lengths are for a translation, with the document's own length ratio as the
expected one.  Only 1-1 beads whose lengths are plausible become memory entries:
a sentence the editor merged with another has no translation of its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

# Bead kinds and their prior probabilities.  Gale & Church (1993) measured parallel
# texts (1-1 0.89, deletions 0.0099, merges 0.089); an editor's revision of a
# machine translation drops sentences more often, so deletions weigh more here.
_BEADS = {(1, 1): 0.85, (1, 0): 0.03, (0, 1): 0.03, (2, 1): 0.04, (1, 2): 0.04, (2, 2): 0.01}
_VARIANCE = 6.8  # variance of the target length per source character
_PLAUSIBLE = 1.5  # |delta| above this and a 1-1 bead is not trusted for the memory


_ANCHOR = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][\w-]+|\w*\d[\w.,]*")
_ANCHOR_WEIGHT = 4.0


def anchors(text: str) -> frozenset[str]:
    """Words that a translation keeps as they are: numbers, and names (capitalised
    words not opening a sentence)."""
    return frozenset(w.lower().rstrip(".,") for w in _ANCHOR.findall(text))


def _anchor_cost(a: frozenset[str], b: frozenset[str]) -> float:
    """0 when the anchors of both sides agree, up to the weight when none is shared."""
    union = a | b
    if not union:
        return _ANCHOR_WEIGHT / 2
    return _ANCHOR_WEIGHT * (1 - len(a & b) / len(union))


def _delta(source_len: int, target_len: int, ratio: float) -> float:
    mean = (source_len + target_len / ratio) / 2
    return (target_len - source_len * ratio) / math.sqrt(max(mean, 1.0) * _VARIANCE)


def _cost(source_len: int, target_len: int, ratio: float, prior: float) -> float:
    """-log P(bead) for the lengths: two-tailed normal probability of delta, times the
    prior.  A sentence on one side only has no length to compare: the prior alone."""
    if not source_len or not target_len:
        return -math.log(prior)
    delta = abs(_delta(source_len, target_len, ratio))
    tail = max(math.erfc(delta / math.sqrt(2)), 1e-300)
    return -math.log(prior) - math.log(tail)


def align(source: Sequence[str], target: Sequence[str], *, ratio: float | None = None
          ) -> list[tuple[list[int], list[int]]]:
    """Beads pairing indices of *source* with indices of *target*, in order.

    *ratio*: expected target characters per source character (default: the
    texts' own total ratio).  Besides lengths, shared numbers and names (see
    :func:`anchors`) make a bead likelier: a length-only alignment cannot tell a
    dropped paragraph from two merged ones.
    """
    s_len = [len(s) for s in source]
    t_len = [len(t) for t in target]
    s_anchor = [anchors(s) for s in source]
    t_anchor = [anchors(t) for t in target]
    if ratio is None:
        ratio = (sum(t_len) / sum(s_len)) if sum(s_len) and sum(t_len) else 1.0
    n, m = len(source), len(target)
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == math.inf:
                continue
            for (di, dj), prior in _BEADS.items():
                a, b = i + di, j + dj
                if a > n or b > m:
                    continue
                cost = best[i][j] + _cost(sum(s_len[i:a]) if di else 0, sum(t_len[j:b]) if dj else 0,
                                          ratio, prior)
                # per sentence covered, so that merging beads is not a way to pay less
                if di and dj:
                    share = _anchor_cost(frozenset().union(*s_anchor[i:a]), frozenset().union(*t_anchor[j:b]))
                else:
                    share = _ANCHOR_WEIGHT / 2
                cost += share * (di + dj) / 2
                if cost < best[a][b]:
                    best[a][b], back[a][b] = cost, (di, dj)
    beads = []
    i, j = n, m
    while (i, j) != (0, 0):
        di, dj = back[i][j]
        beads.append((list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _trusted(source: str, target: str, ratio: float) -> bool:
    """A 1-1 bead good enough for the memory: plausible lengths.  (Also rejecting
    beads whose names and numbers share nothing lost more right pairs than wrong
    ones on bench/alignment.py.)"""
    return abs(_delta(len(source), len(target), ratio)) <= _PLAUSIBLE


def sentence_pairs(source: Sequence[Sequence[str]], target: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """Sentence pairs for the memory from two documents given as paragraphs of sentences.

    Paragraphs are aligned on their lengths, then the sentences inside each pair of
    paragraphs.  Only plausible 1-1 sentence beads are returned.
    """
    s_chars = sum(len(x) for p in source for x in p)
    t_chars = sum(len(x) for p in target for x in p)
    ratio = t_chars / s_chars if s_chars and t_chars else 1.0
    pairs = []
    for src_ids, tgt_ids in align([" ".join(p) for p in source], [" ".join(p) for p in target], ratio=ratio):
        if not src_ids or not tgt_ids:
            continue
        ss = [x for i in src_ids for x in source[i]]
        ts = [x for j in tgt_ids for x in target[j]]
        for a, b in align(ss, ts, ratio=ratio):
            if len(a) == 1 and len(b) == 1:
                s, t = ss[a[0]], ts[b[0]]
                if _trusted(s, t, ratio):
                    pairs.append((s, t))
    return pairs
