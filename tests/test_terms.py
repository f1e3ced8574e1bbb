"""Glossary enforcement with the real engines: the glossary changes the output."""

import json

import pytest

from translator import Translator
from translator.glossary import load, parse_rows

from .conftest import needs_apertium, needs_model

FR = ("La Maison-Blanche a réagi au cessez-le-feu. Le Kremlin et l'OTAN ont parlé à Genève. "
      "Vladimir Poutine a salué les pourparlers.")
ZH = ["基辅和莫斯科同意在日内瓦恢复谈判。", "新冠肺炎疫情导致北京的经济增长放缓。", "普京周二在克里姆林宫会见了泽连斯基。"]
ZH_GLOSSARY = parse_rows([["zh", "en", "es"], ["基辅", "Kyiv", "Kiev"], ["新冠肺炎", "COVID-19", "COVID-19"],
                          ["普京", "Vladimir Putin", "Vladímir Putin"], ["谈判", "talks", "conversaciones"]], "zh.csv")


@needs_apertium
def test_apertium_glossary_changes_the_output_and_keeps_grammar():
    plain = Translator(engine="apertium").translate_text(FR, to="es,en,it,pt")
    assert "Casa-Blanca" in plain.text("es") and "pourparlers" in plain.text("es")
    assert "Ginebra" in plain.text("en")  # the Spanish pivot leaks into English
    doc = Translator(engine="apertium", glossary=load("news")).translate_text(FR, to="es,en,it,pt")
    es, en = doc.text("es"), doc.text("en")
    assert es.startswith("La Casa Blanca ha reaccionado al alto el fuego.")
    assert "El Kremlin" in es and "OTAN" in es and "Vladímir Putin" in es and "conversaciones" in es
    assert en.startswith("The White House has reacted to the ceasefire.")
    assert "Geneva" in en and "Ginebra" not in en and "NATO" in en and "talks" in en
    assert "Casa Bianca" in doc.text("it") and "Casa Branca" in doc.text("pt")
    required, present = doc.term_counts()
    assert required == present == 4 * 7


@needs_apertium
def test_term_report_per_segment():
    doc = Translator(engine="apertium", glossary=load("news")).translate_text(FR, to="en")
    terms = doc.segments[0].terms["en"]
    assert [(t["term"], t["required"], t["ok"]) for t in terms][:3] == [
        ("Maison-Blanche", "White House", True), ("cessez-le-feu", "ceasefire", True), ("Kremlin", "Kremlin", True)]
    assert terms[0]["sentence"] == 0 and terms[0]["glossary"].endswith("news.csv:26")
    assert json.loads(json.dumps(doc.to_dict()))["segments"][0]["terms"]["en"][0]["term"] == "Maison-Blanche"


@needs_model
def test_argos_glossary_changes_the_neural_output(with_zh_en):
    plain = Translator(engine="argos").translate_text("\n\n".join(ZH), to="en")
    assert "Kiev" in plain.text("en") and "negotiations" in plain.text("en")
    assert "COVID-19" not in plain.text("en") and "Vladimir Putin" not in plain.text("en")
    doc = Translator(engine="argos", glossary=ZH_GLOSSARY).translate_text("\n\n".join(ZH), to="en")
    en = doc.text("en")
    assert "Kyiv" in en and "Kiev" not in en and "talks" in en and "COVID-19" in en and "Vladimir Putin" in en
    assert doc.term_counts() == (4, 4)
    # Sentences without terms are the model's own best output, untouched.
    assert en.count("\n\n") == 2


@needs_model
@needs_apertium
def test_terms_survive_a_mixed_pivot(with_zh_en):
    doc = Translator(engine="auto", glossary=ZH_GLOSSARY).translate_text(ZH[0], to="es")
    assert doc.engine["es"]["route"] == ["zh", "en", "es"]
    assert "Kiev" in doc.text("es") and "conversaciones" in doc.text("es")
    assert doc.term_counts() == (2, 2)
