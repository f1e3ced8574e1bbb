"""Glossary terms through a route: what each step must produce, and the term report.

A term found in a source sentence is followed step by step: at each step the
engine gets the spans of the term in its input and the form its output must
contain (the glossary's form in that step's target language).  Engines enforce
in their own way (Apertium: inline tags it copies untouched; Argos: n-best
choice, post-editing, source substitution); the pipeline then checks the output.
"""

from __future__ import annotations

from dataclasses import dataclass

from .glossary import Concept, Glossary, contains, fold, _bounded

_OPENERS = "«\"“'‘(¿¡ \u00a0\u202f-–—"


@dataclass(frozen=True)
class TermSpan:
    """A term in a step's input, and the form the step's output must contain."""

    start: int
    end: int
    required: str
    case_sensitive: bool = False


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


def at_sentence_start(text: str, start: int) -> bool:
    return not text[:start].strip(_OPENERS)


def adapt_case(required: str, matched: str, sentence_start: bool) -> str:
    """Capitalise a lower-case form where the source term was capitalised at the start
    of a sentence ("Cessez-le-feu : ..." -> "Alto el fuego : ...")."""
    if sentence_start and matched[:1].isupper() and required[:1].islower():
        return required[:1].upper() + required[1:]
    return required


def locate(text: str, form: str, after: int = 0, *, case_sensitive: bool = False) -> tuple[int, int] | None:
    """The first whole-word occurrence of *form* in *text* at or after *after*."""
    hay, needle = fold(text, lower=not case_sensitive), fold(form, lower=not case_sensitive)
    start = hay.find(needle, after)
    while start != -1:
        if _bounded(text, start, start + len(needle)):
            return start, start + len(needle)
        start = hay.find(needle, start + 1)
    return None


def spans_for(text: str, terms: list[tuple[Term, str]], target: str, *,
              carry: bool) -> list[tuple[Term, TermSpan]]:
    """Spans of *terms* (each with its form in *text*) and the form required in *target*.

    With *carry*, a concept that has no form in *target* (a pivot language) is
    required unchanged, so that an engine able to copy it carries it to the next step.
    """
    spans, cursor = [], 0
    for term, current in terms:
        required = term.required(target) or (current if carry else None)
        if not required:
            continue
        where = (term.start, term.end) if term.start >= 0 and text[term.start:term.end] == current \
            else locate(text, current, cursor)
        if where is None:
            continue
        start, end = where
        if start < cursor:
            continue
        spans.append((term, TermSpan(start, end, adapt_case(required, current, at_sentence_start(text, start)),
                                     term.concept.is_case_sensitive(required))))
        cursor = end
    return spans


def satisfied(output: str, span: TermSpan) -> bool:
    return contains(output, span.required, case_sensitive=span.case_sensitive)


def enforce(texts: list[str], terms: list[list[TermSpan]], first: list[list[str]], *,
            translate, hard) -> list[str]:
    """Choose, for each text, an output that has every required form, keeping the
    engine's own grammar whenever possible:

    1. the first of the engine's hypotheses (*first*, best first) that has them all;
    2. else the best hypothesis post-edited: the engine's rendering of the term,
       translated alone with ``translate(texts, n)``, replaced by the required form;
    3. else ``hard(texts, spans)``, the engine's own constraint (Apertium carries the
       term as an inline tag; Argos retranslates with the form put in the source),
       kept when it satisfies more terms.
    """
    result = [h[0] for h in first]
    pending = []
    for i, spans in enumerate(terms):
        if not spans:
            continue
        pick = next((h for h in first[i] if all(satisfied(h, sp) for sp in spans)), None)
        if pick is not None:
            result[i] = pick
        else:
            pending.append(i)
    if not pending:
        return result
    isolated = sorted({texts[i][sp.start:sp.end] for i in pending for sp in terms[i]
                       if not satisfied(result[i], sp)})
    renderings = dict(zip(isolated, translate(isolated, 4)))
    retry = []
    for i in pending:
        out = result[i]
        for sp in terms[i]:
            if not satisfied(out, sp):
                out = _post_edit(out, sp, renderings.get(texts[i][sp.start:sp.end], []))
        result[i] = out
        if not all(satisfied(out, sp) for sp in terms[i]):
            retry.append(i)
    if retry:
        forced = hard([texts[i] for i in retry], [terms[i] for i in retry])
        for i, out in zip(retry, forced):
            if sum(satisfied(out, sp) for sp in terms[i]) > sum(satisfied(result[i], sp) for sp in terms[i]):
                result[i] = out
    return result


def _post_edit(output: str, span: TermSpan, renderings: list[str]) -> str:
    for rendering in renderings:
        rendering = rendering.strip(" .,;:!?\"'«»")
        where = locate(output, rendering) if len(rendering) >= 2 else None
        if where:
            a, b = where
            found = output[a:b]
            required = span.required
            if found[:1].isupper() and required[:1].islower():
                required = required[:1].upper() + required[1:]
            return output[:a] + required + output[b:]
    return output


def translate_protected(translator, texts: list[str], source: str, target, name: str,
                        protected: dict[str, list[str]]):
    """Translate *texts* together (one batch per engine step, shared by every target) with
    the pieces listed in *protected* (placeholders, Markdown markup) as do-not-translate
    terms, on top of the translator's glossary.  Callers check that the pieces came back.

    *target* is one language (returns ``{text: translation}``) or a list of languages
    (returns ``{language: {text: translation}}``).
    """
    from .glossary import Concept, Glossary

    targets = [target] if isinstance(target, str) else list(target)
    pieces = sorted({p for t in texts for p in protected.get(t, [])})
    glossary = translator.glossary
    if pieces:
        keep = Glossary([Concept({source: (p,)}, dnt=True, case_sensitive=True, origin=f"protected {p!r}")
                         for p in pieces], ["protected"], source)
        glossary = Glossary.combine([keep, glossary]) if glossary else keep
    worker = translator.with_glossary(glossary)
    docs = []
    for i, text in enumerate(texts):
        if text.strip() and any(ch.isalpha() for ch in text):
            docs.append((text, worker.prepare(text, to=targets, source=source, name=f"{name}#{i}")))
    worker.translate_documents([d for _, d in docs])
    out = {}
    for lang in targets:
        out[lang] = {text: text for text in texts}
        out[lang].update({text: doc.text(lang) for text, doc in docs})
    return out[target] if isinstance(target, str) else out
