"""Deterministic language detection (langdetect, seeded) for documents and paragraphs."""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from . import short_lines
from .errors import InputError
from .languages import ALIASES, NAMES

#: Paragraphs with fewer letters than this take the document's language.
MIN_LETTERS = 25
#: A paragraph needs this confidence to be in another language than the document.
MIN_CONFIDENCE = 0.90
#: Candidates for short lines when no target languages are known (``translate detect``).
COMMON_LANGUAGES = ("en", "fr", "es", "de", "it", "pt")
#: What a short line may be told apart as, whatever the run's targets: English, the language
#: of web boilerplate ("Click to comment", "Read more").  Measured on langid word pairs as
#: short lines of French documents, the six common languages as candidates misassign 12.9% of
#: the document's own short lines (7 in 8 foreign ones found); English alone 2.8%.
SHORT_LINE_CANDIDATES = ("en",)
_SEED = 0
_MAX_CHARS = 20_000
_LETTERS = re.compile(r"[^\W\d_]")

#: Writing systems of languages not written in Latin script (the rest are Latin).
SCRIPTS = {
    **dict.fromkeys(("zh", "zt"), "HAN"), "ja": "JAPANESE", "ko": "HANGUL",
    **dict.fromkeys(("ru", "uk", "bg", "mk", "sr", "be", "kk", "ky"), "CYRILLIC"),
    "el": "GREEK", **dict.fromkeys(("ar", "fa", "ur"), "ARABIC"), "he": "HEBREW", "th": "THAI",
    **dict.fromkeys(("hi", "mr", "ne"), "DEVANAGARI"), "bn": "BENGALI", "ta": "TAMIL", "te": "TELUGU",
    "ka": "GEORGIAN", "hy": "ARMENIAN", "gu": "GUJARATI", "kn": "KANNADA", "ml": "MALAYALAM",
    "pa": "GURMUKHI", "am": "ETHIOPIC",
}
#: Languages a paragraph is not told apart from (langdetect's zh-cn / zh-tw).
FAMILY = {"zt": "zh"}

_lock = threading.Lock()
_factory = None


@dataclass(frozen=True)
class Detection:
    """A detected language with langdetect's probability (1.0 when given by the user)."""

    language: str
    confidence: float
    inherited: bool = False  # True: too short or unsure, took the document's language


def _get_factory():
    """Our own seeded langdetect factory (not langdetect's global one), with the profiles
    read from the compact cache (:mod:`translator.detection_profiles`)."""
    global _factory
    with _lock:
        if _factory is None:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

            from .detection_profiles import load

            factory = DetectorFactory()
            profiles = load(PROFILES_DIRECTORY)
            factory.word_lang_prob_map = profiles
            factory.langlist = list(profiles.langs)
            factory.set_seed(_SEED)
            _factory = factory
        return _factory


#: langdetect's answers by what decides them (the text's n-grams, the prior), so that the
#: same paragraph, or a one-paragraph document and its paragraph, are detected once.
_answers: dict[tuple, list[float]] = {}
_MAX_ANSWERS = 4096


@functools.cache
def _detector_class():
    """langdetect's Detector, answering from :data:`_answers` when it can, with its
    sampling loop written with list operations: the same random draws and the same
    arithmetic in the same order (``p * (weight + q)``, a sum from left to right, then
    ``p / sum``), so the same probabilities, in a third of the time."""
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    class CachedDetector(Detector):
        def _detect_block(self) -> None:
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            digest = hashlib.blake2b("\x00".join(ngrams).encode("utf-8"), digest_size=16).digest()
            key = (len(ngrams), digest, tuple(self.prior_map) if self.prior_map else None, self.alpha)
            with _lock:
                found = _answers.get(key)
            if found is None:
                found = self._sample(ngrams)
                with _lock:
                    if len(_answers) >= _MAX_ANSWERS:
                        del _answers[next(iter(_answers))]
                    _answers[key] = found
            self.langprob = list(found)

        def _sample(self, ngrams: list[str]) -> list[float]:
            """Detector._detect_block's trials (``_update_lang_prob``, ``_normalize_prob``)."""
            rows = {w: self.word_lang_prob_map[w] for w in set(ngrams)}
            langprob = [0.0] * len(self.langlist)
            rand = self.random
            rand.seed(self.seed)
            for _ in range(self.n_trial):
                prob = self._init_probability()
                weight = (self.alpha + rand.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
                i = 0
                while True:
                    row = rows[rand.choice(ngrams)]
                    prob = [p * (weight + q) for p, q in zip(prob, row)]
                    if i % 5 == 0:
                        total = sum(prob)
                        prob = [p / total for p in prob]
                        if max(prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                            break
                    i += 1
                for j in range(len(langprob)):
                    langprob[j] += prob[j] / self.n_trial
            return langprob

    return CachedDetector


def _canonical(code: str) -> str | None:
    code = ALIASES.get(code.lower(), code.lower())
    return code if code in NAMES else None


def letter_count(text: str) -> int:
    return len(_LETTERS.findall(text))


def _char_script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK", "IDEOGRAPHIC")):
        return "HAN"
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return "JAPANESE"
    return name.split(" ", 1)[0] if name else ""


def _script_counts(text: str) -> Counter:
    return Counter(_char_script(ch) for ch in _LETTERS.findall(text))


def dominant_script(text: str) -> str:
    """The writing system of most letters of *text* ("LATIN", "HAN", "CYRILLIC"...)."""
    counts = _script_counts(text)
    return counts.most_common(1)[0][0] if counts else ""


def _share(text: str, lang: str) -> float:
    """The share of *text*'s letters written in *lang*'s script."""
    counts = _script_counts(text)
    expected = SCRIPTS.get(lang, "LATIN")
    mine = counts[expected] + (counts["HAN"] if expected == "JAPANESE" else 0)
    return mine / max(1, sum(counts.values()))


def script_fits(lang: str, script: str) -> bool:
    expected = SCRIPTS.get(lang, "LATIN")
    return script == expected or (expected == "JAPANESE" and script == "HAN")


def detect(text: str, *, name: str = "<text>") -> Detection:
    """Detect the language of *text*; the same input always gives the same answer.

    Raises :class:`InputError` when *text* has no letters.
    """
    if not _LETTERS.search(text):
        raise InputError("no letters to detect a language from", path=name)
    ranked = _ranked(text)
    if ranked:
        return Detection(*ranked[0])
    raise InputError("cannot detect the language: pass --from LANG", path=name)


def _ranked(text: str, prior: dict[str, float] | None = None) -> list[tuple[str, float]]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_class()(_get_factory())
    if prior:
        detector.set_prior_map(prior)
    detector.append(text[:_MAX_CHARS])
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return []
    out = []
    for candidate in ranked:
        code = _canonical(candidate.lang)
        if code:
            out.append((code, round(candidate.prob, 4)))
    return out


def detect_paragraph(text: str, document: Detection, candidates: tuple[str, ...] = ()) -> Detection:
    """The language of one paragraph of a document in *document*'s language.

    Long paragraphs are detected freely, but must be confident to differ from the
    document.  Short ones (titles, "Monde", bylines, names; fewer than
    :data:`MIN_LETTERS` letters or a few words) take the document's language, unless
    they are a phrase (two words or more, one of them in lower case, so not a name)
    that is clearly in one of *candidates* (:data:`SHORT_LINE_CANDIDATES` in a
    translation run): "Click to comment" in a French article.  How clearly:
    :mod:`translator.short_lines`.
    """
    doc = document.language
    inherit = Detection(doc, document.confidence, inherited=True)
    script = dominant_script(text)
    enough = letter_count(text) >= MIN_LETTERS
    if is_free(text):
        found = detect(text)
        if found.language == doc:
            return found
        # Names in Latin letters inside a Chinese paragraph do not make it English: a
        # paragraph with a fair share of the document's own (non-Latin) script is in its language.
        own_script = SCRIPTS.get(doc, "LATIN") != "LATIN" and _share(text, doc) >= 0.25
        if found.confidence < MIN_CONFIDENCE or own_script or not script_fits(found.language, script) \
                or FAMILY.get(found.language, found.language) == FAMILY.get(doc, doc):
            return inherit
        return found
    if enough:  # a few long words: what langdetect finds freely is one more candidate
        found = detect(text)
        candidates = (*candidates, found.language) if found.confidence >= MIN_CONFIDENCE else candidates
    others = tuple(dict.fromkeys(c for c in candidates if c != doc and c in _profile_languages() and script_fits(c, script)))
    found = short_lines.decide(text, doc, others, _ranked) if doc in _profile_languages() else None
    return Detection(*found) if found else inherit


def paragraphs(texts: Sequence[str], document: Detection, candidates: tuple[str, ...] = ()) -> list[Detection]:
    """:func:`detect_paragraph` of each of *texts* (as :mod:`translator.detection_served` does)."""
    return [detect_paragraph(text, document, candidates) for text in texts]


def is_free(text: str) -> bool:
    """Whether :func:`detect_paragraph` detects *text* freely (enough letters, not a short
    line), as :func:`detect` does a whole document: a document of one such paragraph is
    then in the language found for the document, with no need to ask again."""
    return letter_count(text) >= MIN_LETTERS and not short_lines.is_short(text)


def _profile_languages() -> frozenset[str]:
    """Languages langdetect has a profile for, in our canonical codes."""
    global _languages
    if _languages is None:
        _languages = frozenset(c for c in (_canonical(x) for x in _get_factory().get_lang_list()) if c)
    return _languages


_languages: frozenset[str] | None = None
