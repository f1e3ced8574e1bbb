"""A pair of inline codes that held words must not come back empty.

fr->ca moved the words out of a link: "Le <a href="/x">lien</a> est rouge." came back as
"L'enllaç <a href="/x"></a> és vermell.", every code back, so the translation was used and
the page had an empty link (XLIFF: an empty <g>).  Such a translation now counts as one
that lost its codes: HTML and Markdown translate the unit run by run between the original
codes, XLIFF keeps the unit untranslated and says why.
"""

import pytest

from translator.documents.base import CODE, TEXT, Unit
from translator.documents.units import emptied, kept

from .conftest import needs_apertium


def unit(*runs):
    return Unit("u", [(CODE if i % 2 else TEXT, r) for i, r in enumerate(runs)])


def test_a_pair_emptied_is_caught_and_a_pair_kept_is_not():
    link = unit("Le ", '<a href="/x">', "lien", "</a>", " est rouge.")
    assert not kept(link, 'L\'enllaç <a href="/x"></a> és vermell.')
    assert not kept(link, 'L\'enllaç <a href="/x"> </a> és vermell.')  # a space is not a word
    assert kept(link, 'El <a href="/x">enllaç</a> és vermell.')
    assert not emptied(link, 'El <a href="/x">enllaç</a> és vermell.')


def test_codes_inside_codes_are_told_apart():
    """Markdown's "**" holds two "*": the emphasis pair "*...*" is not the bold pair."""
    marks = unit("", "**", "gras", "**", " et ", "*", "italique", "*", ".")
    assert kept(marks, "**negrita** y *cursiva*.")
    assert not kept(marks, "**** negrita y *cursiva*.")
    empty_in_source = unit("Voir ", "<br>", "", "<br/>", " ici.")  # touching in the source: allowed
    assert kept(empty_in_source, "Ver <br><br/> aquí.")


@needs_apertium
def test_html_keeps_the_words_inside_the_link_in_catalan():
    from translator.documents.html import translate_html

    out = translate_html('<p>Le <a href="/x">lien</a> est rouge.</p>', to="ca", source="fr")["ca"]
    assert '<a href="/x"></a>' not in out
    assert out == '<p>El <a href="/x">enllaç</a> és vermell.</p>'


@needs_apertium
@pytest.mark.parametrize("source", ['Le <g id="1">lien</g> est rouge.',
                                    'Le <bpt id="1">&lt;a&gt;</bpt>lien<ept id="1">&lt;/a&gt;</ept> est rouge.'])
def test_xliff_keeps_the_unit_untranslated_and_says_why(tmp_path, source):
    from translator import Translator
    from translator.documents import Options, by_name

    data = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
            'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a.html" source-language="fr" '
            f'target-language="ca" datatype="html"><body>\n<trans-unit id="1"><source>{source}</source>'
            '</trans-unit>\n</body></file></xliff>\n').encode()
    with Translator(engine="apertium") as translator:
        done = by_name("xliff").translate(translator, data, name="el.xlf", to=["ca"], source="auto",
                                          options=Options())
    assert done.problems == ["el.xlf:3: unit 1: inline codes could not be kept (the words inside a pair moved "
                             "out of it); left untranslated"]
    assert b"<target" not in done.outputs[0].data
