"""Matching and enforcing glossary terms is linear in the length of a sentence.

Counted, not timed: every character the matcher folds (case, apostrophes, hyphens)
goes through ``glossary.fold``; a sentence of N terms must not be folded once per term.
"""

from __future__ import annotations

import pytest

from translator import glossary
from translator.glossary import contains, load, parse_rows
from translator.terms import enforce, find_terms, spans_for

from .conftest import needs_apertium

NEWS = parse_rows([["fr", "es", "en"], ["Kremlin", "Kremlin", "Kremlin"], ["OTAN", "OTAN", "NATO"],
                   ["cessez-le-feu", "alto el fuego", "ceasefire"], ["Poutine", "Putin", "Putin"]], "news.csv")


@pytest.fixture
def folded(monkeypatch) -> list[int]:
    """The length of every text folded from now on."""
    sizes: list[int] = []
    real = glossary.fold

    def counting(text: str, **kwargs) -> str:
        sizes.append(len(text))
        return real(text, **kwargs)

    glossary.haystack.cache_clear()
    monkeypatch.setattr(glossary, "fold", counting)
    yield sizes
    glossary.haystack.cache_clear()


def _check_sentence(n: int, folded: list[int]) -> tuple[int, int]:
    """Find the terms of a sentence of 4*n terms, check each in an output, follow them
    through a pivot: (characters folded, characters of sentence and outputs)."""
    sentence = "Le Kremlin et l'OTAN saluent le cessez-le-feu, dit Poutine ; " * n
    output = "El Kremlin y la OTAN saludan el alto el fuego, dice Putin; " * n
    del folded[:]
    terms = find_terms(NEWS, sentence, "fr")
    assert len(terms) == 4 * n
    assert all(contains(output, t.required("es"), case_sensitive=t.case_sensitive("es")) for t in terms)
    spans = spans_for(sentence, [(t, t.matched) for t in terms], "es", carry=False)
    assert len(spans) == 4 * n
    pivot = spans_for(output, [(t, sp.required) for t, sp in spans], "en", carry=True)
    assert [sp.required for _, sp in pivot] == ["Kremlin", "NATO", "ceasefire", "Putin"] * n
    assert [output[sp.start:sp.end] for _, sp in pivot] == ["Kremlin", "OTAN", "alto el fuego", "Putin"] * n
    return sum(folded), len(sentence) + len(output)


def _linear(work: dict[int, int]) -> bool:
    """Doubling the sentence at most doubles the work (quadratic work quadruples)."""
    sizes = sorted(work)
    return all(work[b] <= 2.1 * work[a] for a, b in zip(sizes, sizes[1:]))


def test_a_sentence_is_folded_a_bounded_number_of_times_whatever_its_terms(folded):
    work = {}
    for n in (50, 100, 200):
        work[n], size = _check_sentence(n, folded)
        # The sentence and the output, each folded at most twice (lower-cased or not);
        # the rest is the terms' own forms.  Was: the whole output once per term.
        assert len([s for s in folded if s > 1000]) <= 4
        assert work[n] <= 8 * size, (n, work[n], size)
    assert _linear(work), work


def _enforce(n: int, folded: list[int]) -> tuple[str, int]:
    """Enforce 2*n terms that the engine all missed and that all need a post-edit."""
    rows = [["fr", "es"]] + [[f"terme{i}", f"término{i}"] for i in range(n)]
    g = parse_rows(rows, "g.csv")
    sentence = " et ".join(f"terme{i}" for i in range(n)) + " puis " + " et ".join(["terme0"] * n) + "."
    output = " y ".join(f"term{i}" for i in range(n)) + " luego " + " y ".join(["term0"] * n) + "."
    terms = find_terms(g, sentence, "fr")
    spans = [sp for _, sp in spans_for(sentence, [(t, t.matched) for t in terms], "es", carry=False)]
    asked = []

    def translate(texts, k):
        asked.append(texts)
        return [[text.replace("terme", "term")] for text in texts]

    def hard(texts, spans_):
        raise AssertionError("post-editing was enough")

    del folded[:]
    result = enforce([sentence], [spans], [[output]], translate=translate, hard=hard)
    assert len(asked) == 1 and len(asked[0]) == n  # each distinct term translated once
    return result[0], sum(folded)


def test_a_pivot_follows_every_term_of_a_long_sentence():
    """In a later step the terms are looked for in the translation, not at their offsets in
    the source: an offset that happens to hold the same form further on skipped the terms
    before it (8 of 400 lost here)."""
    n = 100
    sentence = "Le Kremlin et l'OTAN saluent le cessez-le-feu, dit Poutine ; " * n
    output = "El Kremlin y la OTAN saludan el alto el fuego, dice Putin; " * n
    spans = spans_for(sentence, [(t, t.matched) for t in find_terms(NEWS, sentence, "fr")], "es", carry=False)
    pivot = spans_for(output, [(t, sp.required) for t, sp in spans], "en", carry=True)
    assert [(output[sp.start:sp.end], sp.required) for _, sp in pivot] == [
        ("Kremlin", "Kremlin"), ("OTAN", "NATO"), ("alto el fuego", "ceasefire"), ("Putin", "Putin")] * n


def test_post_editing_a_sentence_full_of_missed_terms_is_linear(folded):
    work = {}
    for n in (50, 100, 200):
        result, work[n] = _enforce(n, folded)
        # Each term in place of the engine's rendering; the repeated one once, as before
        # (the first edit puts the required form in, which satisfies the others).
        assert result == (" y ".join(f"término{i}" for i in range(n)) + " luego "
                          + " y ".join(["term0"] * n) + ".")
        assert len([s for s in folded if s > 1000]) <= 4  # the output before and after editing
        assert work[n] <= 8 * len(result), (n, work[n], len(result))
    assert _linear(work), work


@needs_apertium
def test_a_markdown_line_of_emphasis_is_linear(folded):
    """The audit's case: ``*a`` repeated, each ``*`` a do-not-translate piece."""
    from translator import Translator
    from translator.documents.markdown import translate_markdown

    translator = Translator(engine="apertium", glossary=load("news"))
    work = {}
    for n in (150, 300, 600):
        del folded[:]
        out = translate_markdown(translator, "*a" * n + "\n", to=["es"], source="fr")["es"]
        assert out.count("*") == n
        work[n] = sum(folded)
    assert _linear(work), work  # was 4 times the work: quadratic
