"""Property-based tests (hypothesis): segmentation, Markdown round trips, the text decoder.

Every test runs a fixed set of examples (``derandomize=True``, no example database),
so CI sees the same inputs on every run.  Counterexamples found while writing these
are kept as explicit ``@example`` cases.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from translator.engines.base import PairInfo, StepResult
from translator.errors import InputError
from translator.documents.markdown import translate_markdown
from translator.segmentation import segment, split_sentences
from translator.textio import decode

FIXED = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                 suppress_health_check=[HealthCheck.too_slow])


# -- an engine that changes nothing ------------------------------------------------------
class IdentityEngine:
    """Gives every text back as it came: whatever differs in the output is the toolkit's doing."""

    name = "identity"
    pivots = ()
    copies_terms = True

    def pairs(self) -> dict[tuple[str, str], PairInfo]:
        return {("fr", "es"): PairInfo("identity", "fr", "es", "fr-es", "1")}

    def translate(self, texts, source, target, *, terms=None, progress=None) -> StepResult:
        return StepResult(list(texts), [[] for _ in texts])


class LoudEngine(IdentityEngine):
    """Upper-cases and lengthens every text ("le ciel" -> "LE X CIEL"), ignoring the
    do-not-translate pieces it is given: lines must be re-wrapped, and markup it
    mangles must be caught and restored by the toolkit."""

    def translate(self, texts, source, target, *, terms=None, progress=None) -> StepResult:
        return StepResult([t.upper().replace(" ", " X ") for t in texts], [[] for _ in texts])


@functools.cache
def fake_translator(engine: type = IdentityEngine):
    """A real :class:`Translator` (glossary, protected markup, segmentation) whose only
    engine is *engine*."""
    from translator import pipeline

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "make_engines", lambda *args, **kwargs: [engine()])
        return pipeline.Translator(engine="apertium")


def markdown_through(engine: type, text: str) -> str:
    return translate_markdown(fake_translator(engine), text, to=["es"], source="fr")["es"]


# -- segmentation ------------------------------------------------------------------------
_PIECES = ["Le", "ciel", "est", "bleu", "garçon", "élève", "M.", "Dupont", "etc.", "J.", "K.", "Rowling",
           "科学家宣布。", "他们", "12,5 %", ".", "!", "?", "…", ":", "«", "»", "#", "##", "-", "*", "1.", ">", "•"]
_SPACES = [" ", " ", " ", "", "  ", "\t", "\n", "\n", "\r\n", "\n\n", "\n  ", " \n", "\n\n\n", "\u00a0", "\f"]
plain_text = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SPACES)), max_size=30).map(
    lambda pairs: "".join(p + s for p, s in pairs))


def _render(layout, change=lambda s: s):
    return layout.join([b.render([[change(s.strip()) for s in u.sentences] for u in b.units])
                        for b in layout.blocks])


@FIXED
@given(st.one_of(plain_text, st.text(max_size=200)), st.sampled_from(["fr", "en", "zh"]))
@example(">  Le ", "fr")
@example("Le ciel est bleu.# Titre", "fr")
@example(">\t Le", "fr")
def test_segmentation_rebuilds_the_input_exactly(text, lang):
    layout = segment(text, lang)
    assert layout.join([b.source for b in layout.blocks]) == text
    for block in layout.blocks:
        assert block.render([u.sentences for u in block.units]) == block.source or \
            any(u.wrap for u in block.units)
        for unit in block.units:
            assert "".join(split_sentences(unit.text, lang)) == unit.text


@FIXED
@given(st.one_of(plain_text, st.text(max_size=200)), st.sampled_from(["fr", "en", "zh"]))
@example(">  Le ", "fr")
@example("Le ciel est bleu.# Titre", "fr")
@example(">\nciel ", "fr")  # was joined to ">" and re-wrapped at width 4: "cie" + "l"
@example(">\u00a0Le\nciel ", "fr")  # the no-break space after ">" was lost in re-wrapping
def test_identity_translation_gives_the_input_back(text, lang):
    """Unwrapped text comes back byte for byte; re-wrapped paragraphs keep every word."""
    layout = segment(text, lang)
    out = _render(layout)
    assert out.split() == text.split()
    if not any(u.wrap for b in layout.blocks for u in b.units):
        assert out == text


@FIXED
@given(st.one_of(plain_text, st.text(max_size=200)))
@example("Un paragraphe coupé\nen plusieurs lignes qui\ncontinue ici.\n")
def test_rewrapping_keeps_every_word(text):
    layout = segment(text, "fr")
    assert _render(layout, str.upper).split() == text.upper().split()


# -- Markdown with an identity engine ----------------------------------------------------
_WORDS = ["Le", "ciel", "est", "bleu", "garçon", "élève", "L'été", "M.", "Dupont", "Titre", "a", "x", "1999"]
_INLINE = _WORDS * 3 + [
    "*beau*", "**très beau**", "_mot_", "__gras__", "`du code`", "``a ` b``", "[un lien](https://example.org/a_b)",
    "[lien *vif*](https://example.org/x \"Titre\")", "![une image](img/a.png)", "<https://example.org/auto>",
    "https://example.org/page", "<span class=\"x\">html</span>", "&amp;", "\\*", "[ref][1]", ".", ",", "!", "?",
    ":", "#", "»", "«", "…", "*", "_", "[", "]", "(", ")", "|", "~~barré~~",
]
_PREFIXES = ["", "", "", "# ", "## ", "###### ", "#", "- ", "* ", "+ ", "1. ", "2) ", "> ", ">  ", "> > ",
             "  ", "   ", "    ", "\t", "- [ ] ", "> - ", "-  ", "1.  ", "| "]
inline = st.lists(st.tuples(st.sampled_from(_INLINE), st.sampled_from([" ", " ", "", "  ", "\t"])),
                  min_size=1, max_size=8).map(lambda pairs: "".join(w + s for w, s in pairs))
line = st.builds(lambda prefix, body, trail: prefix + body + trail,
                 st.sampled_from(_PREFIXES), inline, st.sampled_from(["", "", " ", "  ", "\\"]))
_BLOCKS = [
    "```python\nprint('bonjour')\n```", "~~~\ncode  garçon\n~~~", "    code indenté", "<div>Publicité</div>",
    "| Pays | Capitale |\n|---|---|\n| France | Paris |", "---", "***", "Titre\n=====", "Titre\n-----",
    "[1]: https://example.org/ref", "<!-- note -->",
]
block = st.one_of(st.lists(line, min_size=1, max_size=4).map("\n".join), st.sampled_from(_BLOCKS))
_FRONT = ["", "---\ntitle: Le ciel\ndescription: \"Il est bleu : vraiment\"\ntags: [a, b]\n---\n",
          "---\ntitle:  Le ciel  \ndescription: 'L''été'\n---\n", "---\ntitle: >\n  plié\n---\n"]
markdown_doc = st.builds(
    lambda front, blocks, gaps, newline, end: (front + "".join(b + g for b, g in zip(blocks, gaps)) + end)
    .replace("\n", newline),
    st.sampled_from(_FRONT), st.lists(block, min_size=1, max_size=6),
    st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"]), min_size=6, max_size=6),
    st.sampled_from(["\n", "\n", "\r\n"]), st.sampled_from(["", "\n", " ", "\n\n"]))
markdown_chars = st.lists(st.sampled_from(list("ab é*_`[]()!#>-+.:|\\<&\n\t ") + ["1.", "http://e.x", "```"]),
                          max_size=60).map("".join)


@settings(FIXED, max_examples=200)
@given(st.one_of(markdown_doc, markdown_chars))
@example(">  Le ")
@example("Le ciel est bleu.# Titre")
@example("> Le\n>  ciel\n")
@example("---\ntitle:  Le ciel  \n---\nTexte.\n")
def test_markdown_identity_round_trip_is_byte_for_byte(text):
    assert markdown_through(IdentityEngine, text) == text


@FIXED
@given(st.one_of(markdown_doc, markdown_chars))
@example("`a`a")  # the text run "a" was looked for from the start and found inside the code span
@example('x <a title="x">x</a>')  # ... inside an HTML attribute
@example("<http://a.b/x>x")  # ... inside an autolink
@example("aaaaa\n\t\t#")  # re-wrapping put "#" at the start of a line: a heading
@example("- Le \n  Le  \nTitre\n=====\n")  # lazy lines gained the list indent: a setext heading
@example("Le ciel\r\nest  \r\nbleu.\r\n")  # hard break: CRLF lines came back with LF
@example("- Le \r\n\tLe \r\n")  # a tab-indented last line ended in LF
@example('> - <span class="x">html</span> \n\t# \n')  # lazy "\t#" came back as "  #": a heading
def test_markdown_structure_code_and_urls_survive_any_translation(text):
    """Whatever the engine returns, block structure, code, HTML, URLs and front-matter
    keys come back unchanged (``skeleton`` from the Markdown tests), and so do the
    line endings of a CRLF file."""
    from .test_markdown import skeleton

    out = markdown_through(LoudEngine, text)
    assert skeleton(out) == skeleton(text)
    if "\n" not in text.replace("\r\n", ""):
        assert "\n" not in out.replace("\r\n", "")


# -- the text decoder --------------------------------------------------------------------
_TEXT_CHARS = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff") | \
    st.sampled_from("\t\n\r")
readable = st.text(_TEXT_CHARS, min_size=1, max_size=80).filter(lambda t: t.strip())


def _has_utf8_multibyte(data: bytes) -> bool:
    """Brute force: some 2-4 byte window decodes as UTF-8 to one non-ASCII character."""
    for i in range(len(data)):
        for n in (2, 3, 4):
            try:
                if len(data[i:i + n]) == n and len(data[i:i + n].decode("utf-8")) == 1:
                    return True
            except UnicodeDecodeError:
                pass
    return False


@FIXED
@given(readable)
def test_any_utf8_text_decodes_to_itself(text):
    assert decode(text.encode("utf-8"), name="a.txt") == (text, "utf-8")


@FIXED
@given(readable.filter(lambda t: any(ord(ch) > 127 for ch in t)), st.data(),
       st.sampled_from([0x80, 0xBF, 0xC0, 0xC1, 0xC3, 0xE7, 0xE9, 0xF0, 0xF5, 0xFF]))
@example("garçon\nsur la route", None, 0xE7)
def test_utf8_with_one_invalid_byte_is_refused_at_that_byte(text, data, bad):
    encoded = text.encode("utf-8")
    cut = 3 if data is None else data.draw(st.sampled_from(
        [len(text[:i].encode("utf-8")) for i in range(len(text) + 1)]), label="cut")
    damaged = encoded[:cut] + bytes([bad]) + encoded[cut:]
    with pytest.raises(InputError) as err:
        decode(damaged, name="a.txt")
    line = damaged[:cut].count(b"\n") + 1
    assert str(err.value).startswith(f"a.txt:{line}: not UTF-8 (byte {cut}: 0x{bad:02X})")
    assert "iconv" in str(err.value) and "--encoding" in str(err.value) and "\n" not in str(err.value)


_CP1252_WORDS = st.sampled_from(["garçon", "élève", "déjà", "où", "cœur", "« fragile »", "3 €", "L’été", "—", "…",
                                 "Noël", "naïf", "Ça", "ÉTÉ", "le", "la", "et", "ciel", ".", ",", "\n"])
cp1252_text = st.lists(st.tuples(_CP1252_WORDS, st.sampled_from([" ", "", "\n"])), min_size=1, max_size=20).map(
    lambda pairs: "".join(w + s for w, s in pairs)).filter(lambda t: t.strip() and any(ord(c) > 127 for c in t))


@FIXED
@given(cp1252_text)
@example("garçon et élève")
def test_cp1252_text_decodes_unless_it_looks_like_utf8(text):
    data = text.encode("cp1252")
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None:
        assert decode(data, name="a.txt") == (as_utf8, "utf-8")
    elif not _has_utf8_multibyte(data):
        assert decode(data, name="a.txt") == (text, "cp1252")
    else:
        with pytest.raises(InputError, match=r"^a\.txt:\d+: not UTF-8 \(byte \d+"):
            decode(data, name="a.txt")
