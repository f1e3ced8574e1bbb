import pytest

import translator
from translator import Translator
from translator.errors import InputError, LanguageError, NoRouteError

from .conftest import SAMPLES, needs_apertium


def test_public_names():
    assert set(translator.__all__) >= {"Translator", "translate_text", "translate_file", "Document"}
    assert translator.__version__


def test_errors_are_exceptions_not_exits():
    t = Translator(engine="apertium")
    with pytest.raises(InputError):
        t.translate_text("   ", to="es")
    with pytest.raises(LanguageError):
        t.translate_text("Bonjour à tous.", to="zz")
    with pytest.raises(NoRouteError, match="no installed route from fr to ja"):
        t.translate_text("Bonjour à tous, comment allez-vous ?", to="ja")


@needs_apertium
def test_translate_file_keeps_segments_and_sentences():
    doc = translator.translate_file(SAMPLES / "economie.txt", to=["es"], engine="apertium")
    assert doc.source_language == "fr" and doc.encoding == "utf-8"
    assert doc.segments[0].kind == "title" and doc.segments[0].source == "Économie"
    para = doc.segments[2]
    assert para.kind == "paragraph" and len(para.sentences) == 2
    assert doc.source == (SAMPLES / "economie.txt").read_text(encoding="utf-8")
    assert doc.text("es").count("\n\n") == doc.source.count("\n\n")


@needs_apertium
def test_target_equal_to_source_is_unchanged():
    doc = Translator(engine="apertium").translate_text("Le ciel est bleu.", to="fr,es")
    assert doc.text("fr") == "Le ciel est bleu."
    assert doc.segments[0].status == {"fr": "unchanged", "es": "translated"}


@needs_apertium
def test_glossary_by_name_in_the_library():
    doc = translator.translate_text("La Maison-Blanche a réagi.", to="es", engine="apertium", glossary="news")
    assert doc.text("es") == "La Casa Blanca ha reaccionado."
    assert doc.term_counts() == (1, 1)
