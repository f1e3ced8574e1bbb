"""Glossary terms through a route: what each step must produce, and the term report.

A term found in a source sentence is followed step by step: at each step the
engine gets the spans of the term in its input and the form its output must
contain (the glossary's form in that step's target language), with its gender
and number where the glossary says them.  Engines enforce in their own way
(Apertium: the term given its analysis in Apertium's stream, so that the words
around it agree, else an inline tag it copies untouched; Argos: n-best choice,
post-editing, source substitution); the pipeline then checks the output.
"""

from __future__ import annotations

from dataclasses import dataclass

from .glossary import Concept, Glossary, Haystack

_OPENERS = "«\"“'‘(¿¡ \u00a0\u202f-–—"


@dataclass(frozen=True)
class TermSpan:
    """A term in a step's input, and the form the step's output must contain."""

    start: int
    end: int
    required: str
    case_sensitive: bool = False
    gender: str | None = None  # of the required form, where the glossary says it (m, f, n)
    number: str | None = None  # sg, pl
    code: bool = False  # an inline code of a document (markup), not a word


@dataclass(frozen=True)
class Term:
    """A glossary match in a source sentence, followed through the route."""

    concept: Concept
    matched: str  # as written in the source
    start: int = -1
    end: int = -1

    def required(self, lang: str) -> str | None:
        return self.concept.target(lang, self.matched)

    def case_sensitive(self, lang: str) -> bool:
        form = self.required(lang)
        return bool(form) and self.concept.is_case_sensitive(form)


def find_terms(glossary: Glossary | None, text: str, lang: str) -> list[Term]:
    if not glossary:
        return []
    return [Term(m.concept, m.text, m.start, m.end) for m in glossary.find(text, lang)]


def at_sentence_start(text: str, start: int, lead: int | None = None) -> bool:
    """Only openers before *start*; *lead*: :func:`_lead` of *text*, if known."""
    return min(start, len(text)) <= (_lead(text) if lead is None else lead)


def _lead(text: str) -> int:
    """How many characters open *text* before its first word (quotes, dashes, spaces)."""
    return len(text) - len(text.lstrip(_OPENERS))


def adapt_case(required: str, matched: str, sentence_start: bool) -> str:
    """Capitalise a lower-case form where the source term was capitalised at the start
    of a sentence ("Cessez-le-feu : ..." -> "Alto el fuego : ...")."""
    if sentence_start and matched[:1].isupper() and required[:1].islower():
        return required[:1].upper() + required[1:]
    return required


def spans_for(text: str, terms: list[tuple[Term, str]], target: str, *,
              carry: bool) -> list[tuple[Term, TermSpan]]:
    """Spans of *terms* (each with its form in *text*) and the form required in *target*.

    With *carry*, a concept that has no form in *target* (a pivot language) is
    required unchanged, so that an engine able to copy it carries it to the next step.
    """
    spans, cursor, hay, lead = [], 0, Haystack(text), _lead(text)
    # Where the terms were found, if that is *text* (the first step of a route); later
    # steps translated it, and a form seen at a term's old offset is a coincidence.
    found_here = all(0 <= term.start and text[term.start:term.end] == current for term, current in terms)
    for term, current in terms:
        required = term.required(target) or (current if carry else None)
        if not required:
            continue
        where = (term.start, term.end) if found_here else hay.locate(current, cursor)
        if where is None:
            continue
        start, end = where
        if start < cursor:
            continue
        gender, number = term.concept.grammar_of(target) if term.required(target) else (None, None)
        spans.append((term, TermSpan(start, end, adapt_case(required, current, at_sentence_start(text, start, lead)),
                                     term.concept.is_case_sensitive(required), gender, number,
                                     term.concept.code)))
        cursor = end
    return spans


def missing(output: str, spans: list[TermSpan]) -> list[TermSpan]:
    """The spans whose required form *output* lacks (folded once for all of them)."""
    hay = Haystack(output)
    return [sp for sp in spans if not hay.contains(sp.required, case_sensitive=sp.case_sensitive)]


def enforce(texts: list[str], terms: list[list[TermSpan]], first: list[list[str]], *,
            translate, hard) -> list[str]:
    """Choose, for each text, an output that has every required form, keeping the
    engine's own grammar whenever possible:

    1. the first of the engine's hypotheses (*first*, best first) that has them all;
    2. else the best hypothesis post-edited: the engine's rendering of the term,
       translated alone with ``translate(texts, n)``, replaced by the required form
       (skipped when *translate* is None: an engine that can enforce terms without
       breaking the grammar around them, as Apertium given their analysis, does not
       need it);
    3. else ``hard(texts, spans)``, the engine's own constraint (Apertium carries the
       term as an inline tag; Argos retranslates with the form put in the source),
       kept when it satisfies more terms.

    Each output is folded once and each distinct required form looked up once in it,
    so that the work grows linearly with the length of a sentence full of terms.
    """
    result, gaps = [h[0] for h in first], {}
    for i, spans in enumerate(terms):
        if spans:
            result[i], gap = _pick(first[i], spans)
            if gap:
                gaps[i] = gap
    if not gaps:
        return result
    left = gaps if translate is None else _post_edit_all(texts, terms, result, gaps, translate)
    if left:
        forced = hard([texts[i] for i in left], [terms[i] for i in left])
        for (i, lacking), out in zip(left.items(), forced):
            if len(missing(out, terms[i])) < len(lacking):
                result[i] = out
    return result


def _post_edit_all(texts: list[str], terms: list[list[TermSpan]], result: list[str],
                   gaps: dict[int, list[TermSpan]], translate) -> dict[int, list[TermSpan]]:
    """Post-edit ``result[i]`` for each text missing forms (in place); what each still lacks."""
    isolated = sorted({texts[i][sp.start:sp.end] for i, gap in gaps.items() for sp in gap})
    renderings = dict(zip(isolated, translate(isolated, 4)))
    left = {}
    for i, gap in gaps.items():
        result[i] = _post_edit(result[i], gap, texts[i], renderings)
        if lacking := missing(result[i], terms[i]):
            left[i] = lacking
    return left


def _pick(hypotheses: list[str], spans: list[TermSpan]) -> tuple[str, list[TermSpan]]:
    """The first hypothesis that has every required form, else the best one and what it lacks."""
    lacking = None
    for hypothesis in hypotheses:
        gap = missing(hypothesis, spans)
        if not gap:
            return hypothesis, []
        lacking = gap if lacking is None else lacking
    return hypotheses[0], lacking or []


def _post_edit(output: str, spans: list[TermSpan], source: str, renderings: dict[str, list[str]]) -> str:
    """*output* with each of *spans* (missing from it) put in place of the engine's
    rendering of its term: the first whole-word occurrence of the first of
    ``renderings[term in source]`` (best first) found that no earlier span took.

    One pass over *output*, edits applied at once: a span whose required form an
    earlier edit already put in is done.
    """
    hay = Haystack(output)
    taken = bytearray(len(output))  # 1 where an edit replaces the output
    cursors: dict[str, int] = {}  # per rendering: where its next free occurrence may start
    edits, put = [], set()
    for span in spans:
        key = (span.required, span.case_sensitive)
        if key in put:
            continue
        for rendering in renderings.get(source[span.start:span.end], []):
            rendering = rendering.strip(" .,;:!?\"'«»")
            where = _free(hay, rendering, taken, cursors) if len(rendering) >= 2 else None
            if where:
                a, b = where
                required = span.required
                if output[a:a + 1].isupper() and required[:1].islower():
                    required = required[:1].upper() + required[1:]
                taken[a:b] = b"\x01" * (b - a)
                edits.append((a, b, required))
                if Haystack(output[a - 1:a] + required + output[b:b + 1]).contains(
                        span.required, case_sensitive=span.case_sensitive):
                    put.add(key)
                break
    pieces, cursor = [], 0
    for a, b, required in sorted(edits):
        pieces += [output[cursor:a], required]
        cursor = b
    return "".join(pieces) + output[cursor:]


def _free(hay: Haystack, form: str, taken: bytearray, cursors: dict[str, int]) -> tuple[int, int] | None:
    """The first whole-word occurrence of *form* in *hay* that overlaps no edit yet."""
    where = hay.locate(form, cursors.get(form, 0))
    while where is not None and taken.find(1, where[0], where[1]) != -1:
        where = hay.locate(form, where[0] + 1)
    cursors[form] = where[1] if where else len(hay.text) + 1
    return where


def translate_protected(translator, texts: list[str], source: str, target, name: str,
                        protected: dict[str, list[str]], *, documents: dict | None = None):
    """Translate *texts* together (one batch per engine step, shared by every target) with
    the pieces listed in *protected* (placeholders, Markdown markup) as do-not-translate
    terms, on top of the translator's glossary.  Callers check that the pieces came back.

    *target* is one language (returns ``{text: translation}``) or a list of languages
    (returns ``{language: {text: translation}}``).  *documents*, when given, receives each
    translated text's :class:`~translator.document.Document` (segments, terms, warnings).
    """
    from .glossary import Concept, Glossary

    targets = [target] if isinstance(target, str) else list(target)
    pieces = sorted({p for t in texts for p in protected.get(t, [])})
    glossary = translator.glossary
    if pieces:
        keep = Glossary([Concept({source: (p,)}, dnt=True, case_sensitive=True, origin=f"protected {p!r}", code=True)
                         for p in pieces], ["protected"], source)
        glossary = Glossary.combine([keep, glossary]) if glossary else keep
    worker = translator.with_glossary(glossary)
    docs = []
    for i, text in enumerate(texts):
        if text.strip() and any(ch.isalpha() for ch in text):
            docs.append((text, worker.prepare(text, to=targets, source=source, name=f"{name}#{i}")))
    worker.translate_documents([d for _, d in docs])
    if documents is not None:
        documents.update(docs)
    out = {}
    for lang in targets:
        out[lang] = {text: text for text in texts}
        out[lang].update({text: doc.text(lang) for text, doc in docs})
    return out[target] if isinstance(target, str) else out
