"""The language of a short line inside a document: a title, a caption, "Click to comment".

A line of a few words says little about its language: langdetect's character n-grams give
"bien que" to Spanish and "a pris" to Italian, and lose "depending on whether or not very"
among its 55 languages.  So a short line keeps the document's language unless the evidence
for one of the run's candidate languages is strong:

1. it is decided among the document's language and the candidates only, whatever its
   length in letters (a six-word line is still short; in one of 25 letters or more, the
   language langdetect finds freely is one more candidate, :func:`translator.detection.detect_paragraph`);
2. langdetect, primed toward the document's language, must be sure (:data:`SURE`);
3. when lingua-language-detector is installed (made for short text; the optional extra
   ``translator[lingua]``), it gives a second opinion among the same languages: a foreign
   language it is sure of (:data:`LINGUA_SURE`) wins where langdetect was unsure, and
   langdetect's sure answer stands only if lingua does not lean toward the document's
   language (:data:`LINGUA_VETO`).

Measured (bench/short_lines.py, held-out FLORES lines of 2-6 words in French documents,
English as the candidate): French lines kept 98.4% -> 98.6% (98.8% with lingua), English
lines found 88.8% -> 90.9% (94.9% with lingua).  Everything here is deterministic:
langdetect is seeded by the caller, lingua has no randomness.  lingua is imported, and its
models loaded (about 95 MB for two languages), only when a short phrase is decided.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

#: A line of at most this many words is decided as a short line, whatever its letter count.
MAX_WORDS = 6
#: langdetect's probability for a foreign language in a duel primed 0.6/0.4 toward the document.
SURE = 0.99
#: The prior of that duel: the document's language is likelier for a line found in it.
DUEL_PRIOR = 0.6
#: lingua's confidence (among the document's language and the candidates) for a foreign language.
LINGUA_SURE = 0.8
#: langdetect's sure answer is dropped when lingua gives the document's language this much.
LINGUA_VETO = 0.5
#: Set to False to decide with langdetect alone even when lingua is installed.
USE_LINGUA = True

_MAX_WORD_LENGTH = 12
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
_lock = threading.Lock()

#: Ranks languages for a text: ``rank(text, prior) -> [(code, probability), ...]``, best first.
Ranker = Callable[[str, "dict[str, float] | None"], "list[tuple[str, float]]"]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_short(text: str) -> bool:
    """True for a line of at most :data:`MAX_WORDS` words of a script written with spaces.

    (A Chinese or Thai sentence is one long "word": it is not short.)"""
    found = words(text)
    return len(found) <= MAX_WORDS and sum(map(len, found)) <= _MAX_WORD_LENGTH * max(1, len(found))


def is_phrase(text: str) -> bool:
    """Two words or more, one of them in lower case: not a name ("Emmanuel Macron")."""
    found = words(text)
    return len(found) >= 2 and any(w.islower() and len(w) > 1 for w in found)


def decide(text: str, document: str, candidates: Sequence[str], rank: Ranker) -> tuple[str, float] | None:
    """The foreign language of the short line *text* with its confidence, or None: the document's.

    *candidates* are the foreign languages it may be in (the caller keeps those that fit its
    script and that langdetect knows); *rank* is langdetect's ranking (seeded).
    """
    others = [c for c in candidates if c != document]
    if not others or not is_phrase(text):
        return None
    ranked = rank(text, {c: 1.0 for c in (document, *others)})
    best = ranked[0][0] if ranked else document
    sure = None
    if best != document:
        duel = rank(text, {document: DUEL_PRIOR, best: 1.0 - DUEL_PRIOR})
        if duel and duel[0][0] == best and duel[0][1] >= SURE:
            sure = best, duel[0][1]
    shares = _lingua_shares(text, (document, *others)) if USE_LINGUA else None
    if shares is None:
        return sure
    foreign = max(others, key=lambda c: (shares.get(c, 0.0), -others.index(c)))
    if shares.get(foreign, 0.0) >= LINGUA_SURE:  # (langdetect's confidence when both agree)
        return sure if sure and sure[0] == foreign else (foreign, round(shares[foreign], 4))
    # langdetect's sure answer stands unless lingua leans toward the document's language.
    return sure if sure and shares.get(document, 0.0) < LINGUA_VETO else None


def _lingua_shares(text: str, languages: Sequence[str]) -> dict[str, float] | None:
    """lingua's confidence for each of *languages* (they add up to 1); None without lingua."""
    detector = _lingua(languages)
    if detector is None:
        return None
    values = {_iso(v.language): v.value for v in detector.compute_language_confidence_values(text)}
    total = sum(values.values())
    return {c: v / total for c, v in values.items()} if total else {}


def _iso(language) -> str:
    return language.iso_code_639_1.name.lower()


@lru_cache(maxsize=None)
def lingua_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("lingua") is not None


def _lingua(languages: Sequence[str]):
    """A lingua detector for exactly *languages* (cached), or None without lingua or a model."""
    if not lingua_installed():
        return None
    with _lock:
        return _build(tuple(sorted(set(languages))))


@lru_cache(maxsize=8)
def _build(languages: tuple[str, ...]):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    try:
        chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages]
    except (AttributeError, ValueError):
        return None  # a language lingua has no model for: langdetect alone decides
    return LanguageDetectorBuilder.from_languages(*chosen).build()
