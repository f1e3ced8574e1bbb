"""Property-based tests: glossary matching against a brute-force matcher written from
the rules (not from the code), and post-editing in one pass against the former loop.
Fixed seed (derandomize), bounded examples, no example database: deterministic and fast.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from translator.glossary import Concept, Glossary, Haystack, contains
from translator.terms import _OPENERS, TermSpan, at_sentence_start, enforce

PROPERTY = settings(derandomize=True, max_examples=100, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# -- the rules, brute force ------------------------------------------------------------------
APOSTROPHES = "'’ʼ‘`´"
JOINERS = " -‐‑‒–\u00a0\u202f\u2009"


def norm(ch: str, *, lower: bool, joiners: bool = True) -> str:
    """One character as matching sees it: one apostrophe, hyphens and spaces alike,
    and lower case where lower-casing gives one character."""
    if ch in APOSTROPHES:
        return "'"
    if joiners and ch in JOINERS:
        return " "
    if lower and len(ch.lower()) == 1:
        return ch.lower()
    return ch


def same(a: str, b: str, *, lower: bool, joiners: bool = True) -> bool:
    return len(a) == len(b) and all(norm(x, lower=lower, joiners=joiners) == norm(y, lower=lower, joiners=joiners)
                                    for x, y in zip(a, b))


def word_char(ch: str) -> bool:
    return ch.isalnum() and unicodedata.east_asian_width(ch) not in "WF"


def whole_word(text: str, start: int, end: int) -> bool:
    """No letter or digit glued to the term on a side where the term has one."""
    glued_before = start > 0 and word_char(text[start - 1]) and word_char(text[start])
    glued_after = end < len(text) and word_char(text[end]) and word_char(text[end - 1])
    return not glued_before and not glued_after


def acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def brute_find(rows: list[tuple[str, str]], text: str) -> list[tuple[int, int, str]]:
    """(start, end, target) of the terms of *rows* (source form, target) in *text*:
    every position tried, later rows win a form, leftmost then longest, no overlaps."""
    owner = {}
    for form, target in rows:
        owner[tuple(norm(c, lower=True) for c in form)] = (form, target)
    hits = []
    for start in range(len(text)):
        for form, target in owner.values():
            end = start + len(form)
            if end > len(text) or not same(text[start:end], form, lower=True) or not whole_word(text, start, end):
                continue
            if acronym(form) and not same(text[start:end], form, lower=False):
                continue
            hits.append((start, -len(form), end, target))
    chosen, last = [], 0
    for start, _, end, target in sorted(hits):
        if start >= last:
            chosen.append((start, end, target))
            last = end
    return chosen


def brute_contains(text: str, form: str, case_sensitive: bool) -> bool:
    """*form* as whole words in *text*, as written: apostrophes alike, and the case of
    the first letter free unless *case_sensitive*."""
    for start in range(len(text) - len(form) + 1):
        piece = text[start:start + len(form)]
        head_ok = same(piece[:1], form[:1], lower=False, joiners=False) or (
            not case_sensitive and piece[:1] in {form[:1].lower(), form[:1].upper()})
        if form and head_ok and same(piece[1:], form[1:], lower=False, joiners=False) \
                and whole_word(text, start, start + len(form)):
            return True
    return False


def brute_locate(text: str, form: str, after: int, lower: bool) -> tuple[int, int] | None:
    for start in range(max(after, 0), len(text) - len(form) + 1):
        if same(text[start:start + len(form)], form, lower=lower) and whole_word(text, start, start + len(form)):
            return start, start + len(form)
    return None


# -- generated glossaries and texts -----------------------------------------------------------
LETTERS = "aAbBeEéÉoOnNçÇßİ"
word = st.text(alphabet=LETTERS, min_size=1, max_size=4)
acronym_word = st.text(alphabet="ABNO", min_size=2, max_size=3)
joiner = st.sampled_from([" ", "-", "\u00a0", "‑"])


@st.composite
def forms(draw) -> str:
    """A glossary form: one to three words (or an acronym), hyphen or space between."""
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(acronym_word)
    words = draw(st.lists(word, min_size=1, max_size=3))
    return "".join(w + draw(joiner) for w in words[:-1]) + words[-1]


@st.composite
def variant(draw, form: str) -> str:
    """*form* as a text may write it: another case, other hyphens and spaces, or glued."""
    out = []
    for ch in form:
        if ch in JOINERS:
            ch = draw(st.sampled_from([" ", "-", "\u00a0", "–", ""]))
        elif ch.isalpha() and draw(st.integers(0, 4)) == 0:
            ch = ch.swapcase()
        out.append(ch)
    return "".join(out)


@st.composite
def texts_with(draw, pieces: list[str]) -> str:
    """A text mixing *pieces* (written variously, elided with either apostrophe)
    with other words and punctuation."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 3))
        if kind <= 1 and pieces:
            piece = draw(variant(draw(st.sampled_from(pieces))))
            prefix = draw(st.sampled_from(["", "", "l'", "l’", "d’", "qu'", "x", "("]))
            suffix = draw(st.sampled_from(["", "", "", "s", ".", ",", ")", "1"]))
            parts.append(prefix + piece + suffix)
        elif kind == 2:
            parts.append(draw(word))
        else:
            parts.append(draw(st.sampled_from([",", ".", "—", "«", "»", "’"])))
    return "".join(p + draw(st.sampled_from([" ", " ", "", "\u00a0"])) for p in parts)


@st.composite
def glossary_and_text(draw):
    sources = draw(st.lists(forms(), min_size=1, max_size=6))
    rows = [(form, f"T{i}") for i, form in enumerate(sources)]
    return rows, draw(texts_with(sources))


def _glossary(rows: list[tuple[str, str]]) -> Glossary:
    return Glossary([Concept({"fr": (form,), "en": (target,)}, origin=target) for form, target in rows], ["g"], "fr")


@PROPERTY
@given(glossary_and_text())
@example(([("OTAN", "T0")], "l'OTAN et l’OTAN, pas l'otan.")).via("elision with both apostrophes")
@example(([("cessez-le-feu", "T0"), ("cessez", "T1")], "un cessez le feu, cessez‑le‑feu")).via("hyphen variants")
@example(([("Vladimir Poutine", "T0"), ("Poutine", "T1")], "Vladimir Poutine, Poutine.")).via("longest first")
def test_find_is_the_brute_force_matcher(case):
    rows, text = case
    found = [(m.start, m.end, m.required("en")) for m in _glossary(rows).find(text, "fr")]
    assert found == brute_find(rows, text)
    assert all(m.text == text[m.start:m.end] for m in _glossary(rows).find(text, "fr"))


@st.composite
def text_and_form(draw):
    pieces = draw(st.lists(forms(), min_size=1, max_size=3))
    return draw(texts_with(pieces)), draw(st.sampled_from(pieces) | forms()), draw(st.booleans())


@PROPERTY
@given(text_and_form())
@example(("x SS-b", "ß-b", False)).via("found by this test: the capital of ß is two letters")
@example(("La Casa-Blanca ha", "Casa Blanca", False)).via("hyphen is not space in an output")
@example(("alto el fuego : ...", "Alto el fuego", True)).via("case-sensitive first letter")
def test_contains_is_the_brute_force_check(case):
    text, form, case_sensitive = case
    assert contains(text, form, case_sensitive=case_sensitive) == brute_contains(text, form, case_sensitive)


@PROPERTY
@given(st.data())
def test_locate_resumes_as_a_fresh_search_would(data):
    """Walking a text with a growing cursor, the remembered searches answer as a new one."""
    pieces = data.draw(st.lists(forms(), min_size=1, max_size=3))
    text = data.draw(texts_with(pieces))
    hay = Haystack(text)
    queries = data.draw(st.lists(st.tuples(st.sampled_from(pieces), st.integers(0, len(text) + 1), st.booleans()),
                                 max_size=12))
    for form, after, lower in sorted(queries, key=lambda q: q[1]):
        assert hay.locate(form, after, lower=lower) == brute_locate(text, form, after, lower)


@PROPERTY
@given(st.text(alphabet=_OPENERS + "ab.", max_size=12), st.integers(0, 14))
def test_sentence_start_is_only_openers_before(text, start):
    assert at_sentence_start(text, start) == (not text[:start].strip(_OPENERS))


# -- enforcement: one pass gives what the former edit-by-edit loop gave -------------------------
def post_edit_one_by_one(output: str, spans: list[TermSpan], source: str, renderings: dict) -> str:
    """The former post-edit: span after span, the output rebuilt and searched again after each edit."""
    for span in spans:
        if brute_contains(output, span.required, span.case_sensitive):
            continue
        for rendering in renderings.get(source[span.start:span.end], []):
            rendering = rendering.strip(" .,;:!?\"'«»")
            where = brute_locate(output, rendering, 0, True) if len(rendering) >= 2 else None
            if where:
                a, b = where
                required = span.required
                if output[a:a + 1].isupper() and required[:1].islower():
                    required = required[:1].upper() + required[1:]
                output = output[:a] + required + output[b:]
                break
    return output


def enforce_one_by_one(texts, terms, first, *, translate, hard) -> list[str]:
    """The former enforce, on the brute-force checks."""
    def has(output, spans):
        return [brute_contains(output, sp.required, sp.case_sensitive) for sp in spans]

    result, pending = [h[0] for h in first], []
    for i, spans in enumerate(terms):
        if spans:
            pick = next((h for h in first[i] if all(has(h, spans))), None)
            result[i] = pick if pick is not None else result[i]
            pending += [i] if pick is None else []
    isolated = sorted({texts[i][sp.start:sp.end] for i in pending
                       for sp, ok in zip(terms[i], has(result[i], terms[i])) if not ok})
    renderings = dict(zip(isolated, translate(isolated, 4))) if pending else {}
    retry = []
    for i in pending:
        result[i] = post_edit_one_by_one(result[i], terms[i], texts[i], renderings)
        retry += [] if all(has(result[i], terms[i])) else [i]
    forced = hard([texts[i] for i in retry], [terms[i] for i in retry]) if retry else []
    for i, out in zip(retry, forced):
        if sum(has(out, terms[i])) > sum(has(result[i], terms[i])):
            result[i] = out
    return result


@st.composite
def batches(draw):
    """Sources of terms ("terme0 terme2 terme0"), outputs that miss some of them, other
    hypotheses, and the engine's renderings of each term.  Ordinary text: a required
    form is not part of a rendering nor of another required form."""
    count = draw(st.integers(1, 4))
    renders = [draw(st.sampled_from(["fuego", "casa blanca", "kremlin", "otan", "Putin"])) for _ in range(count)]
    required = [draw(st.sampled_from([f"req{k}", f"Req{k}", f"req{k} uno"])) for k in range(count)]
    sensitive = [draw(st.booleans()) for _ in range(count)]
    others = st.lists(st.sampled_from(renders + ["nada"]), max_size=2)
    renderings = {f"terme{k}": [renders[k]] + draw(others) for k in range(count)}
    vocabulary = st.sampled_from(renders + ["y", "el", "Fuego", "Kremlin"] + required)
    texts, terms, first = [], [], []
    for _ in range(draw(st.integers(1, 3))):
        source, spans = "", []
        for k in draw(st.lists(st.integers(0, count - 1), max_size=6)):
            spans.append(TermSpan(len(source), len(source) + len(f"terme{k}"), required[k], sensitive[k]))
            source += f"terme{k} "
        texts.append(source)
        terms.append(spans)
        first.append([" ".join(draw(st.lists(vocabulary, max_size=10))) + "."
                      for _ in range(draw(st.integers(1, 2)))])
    return texts, terms, first, renderings


@PROPERTY
@given(batches())
@example((["terme0 terme0 "], [[TermSpan(0, 6, "req0", True), TermSpan(7, 13, "req0", True)]], [["Fuego y fuego."]],
          {"terme0": ["fuego"]})).via("a capitalised edit does not satisfy a case-sensitive form")
@example((["terme0 ", "terme1 "], [[TermSpan(0, 6, "req0", False)], [TermSpan(0, 6, "req1", False)]],
          [["fuego."], ["otan."]], {"terme0": ["fuego"], "terme1": ["otan"]})).via(
    "found by the Markdown tests: each text of a batch post-edited with its own terms")
def test_enforcing_in_one_pass_is_the_former_loop_on_ordinary_text(case):
    texts, terms, first, renderings = case

    def translate(sources, n):
        return [renderings[s] for s in sources]

    def hard(sources, spans):  # the engine's constraint: here, some of the forms
        return [" ".join(sp.required for sp in s[:1 + len(s) // 2]) for s in spans]

    assert enforce(texts, terms, first, translate=translate, hard=hard) == \
        enforce_one_by_one(texts, terms, first, translate=translate, hard=hard)
