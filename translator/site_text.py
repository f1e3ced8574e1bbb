"""Which paragraphs of a web page saved as plain text are the site around the article
(menus, sharing buttons, comment forms, "most read" lists, footers) rather than the article.

A page copied or scraped to text has lost the markup that HTML's extractor reads
(:mod:`translator.documents.html_content`), so this works from the text alone, in the way
of Finn, Kushmerick and Smyth's body text extraction: prose paragraphs (several words
ending a sentence) are the article's evidence and everything else counts against it; the
article is the stretch of paragraphs with the most evidence.  Short paragraphs inside that
stretch (intertitles, captions, table cells) belong to it, and so do the title, lead and
byline just before it; known site phrases (:file:`site_phrases.txt`) are site text
wherever they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Segment

#: A paragraph of at least this many words that ends a sentence is prose.
PROSE_WORDS = 6
#: ... and one this long is prose whatever its end.
LONG_WORDS = 20
#: What a known site phrase counts against the article's stretch.
PHRASE_COST = 30
#: At most this many title, lead or byline paragraphs are taken just before the stretch.
HEAD_PARAGRAPHS = 3
#: A title or byline has at least this many words (a one-word line before it is a section name).
HEAD_WORDS = 3

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…][\s»”\"')\]]*$")
_TRAILING = re.compile(r"[\s*:.!?…·|>»]+$")
_NUMBER = re.compile(r"^\d+\s+")


@functools.cache
def phrases() -> frozenset[str]:
    """The known site phrases, from the package's data file."""
    text = resources.files("translator").joinpath("site_phrases.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_site_phrase(paragraph: str) -> bool:
    """Whether *paragraph* is a known site phrase ("Partager", "Lire aussi : ...", "3
    commentaires", "© 2024 Le Quotidien")."""
    text = " ".join(paragraph.lower().split())
    if text.startswith(("©", "(c) ", "copyright ")):
        return True
    text = _TRAILING.sub("", text)
    known = phrases()
    if text in known or _NUMBER.sub("", text) in known:
        return True
    head = re.split(r"\s*:\s*|\s+-\s+", text, maxsplit=1)[0]
    return head != text and head in known


def site_paragraphs(paragraphs: Sequence[str]) -> list[bool]:
    """For each paragraph of a page's text, whether it is the site's rather than the article's.

    With no prose at all (a list, a fragment of a menu...), nothing is taken for site text
    but the known phrases: the text is then not a page with an article in it."""
    words = [len(_WORD.findall(p)) for p in paragraphs]
    known = [is_site_phrase(p) for p in paragraphs]
    prose = [not k and (n >= LONG_WORDS or (n >= PROSE_WORDS and _SENTENCE_END.search(p.strip()) is not None))
             for p, n, k in zip(paragraphs, words, known)]
    if not any(prose):
        return known
    scores = [-PHRASE_COST if k else n if p else -max(n, 1) for n, k, p in zip(words, known, prose)]
    start, end = _best_stretch(scores)
    heads = skipped = 0
    i = start - 1  # the title, lead and byline just before, over sharing buttons between them
    while i >= 0 and heads < HEAD_PARAGRAPHS:
        if known[i]:
            skipped += 1
            if skipped > HEAD_PARAGRAPHS:
                break
        elif prose[i] or words[i] >= HEAD_WORDS:
            heads += not prose[i]
            start = i
        else:
            break
        i -= 1
    return [known[i] or not start <= i < end for i in range(len(paragraphs))]


def _best_stretch(scores: list[int]) -> tuple[int, int]:
    """The contiguous stretch ``[start, end)`` with the largest sum (Kadane)."""
    best, best_at = scores[0], (0, 1)
    total, start = 0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0, i
        total += score
        if total > best:
            best, best_at = total, (start, i + 1)
    return best_at


def mark(segments: Sequence[Segment]) -> int:
    """Make the site's segments ``boilerplate`` (kept as they are); return how many."""
    from .document import BOILERPLATE

    flags = site_paragraphs([seg.source for seg in segments])
    for seg, site in zip(segments, flags):
        if site:
            seg.kind = BOILERPLATE
    return sum(flags)
