"""Decomposed accents (NFD: "e" + U+0301, as macOS and some CMS exports write them) translate
as the composed ones do: Apertium's dictionaries, the glossary and the memory know composed
text only, so before the fix "confirmé" came out as "confirmá" and "télévision" as
"télávisión"."""

import subprocess
import sys
import unicodedata

from translator import Translator
from translator.glossary import load, parse_rows

from .conftest import needs_apertium

FR = "Le Kremlin a confirmé la nouvelle du cessez-le-feu. Poutine a parlé à la télévision pendant une heure."


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@needs_apertium
def test_decomposed_french_translates_as_composed_french():
    translator = Translator(engine="apertium", glossary=load("news"))
    composed = translator.translate_text(FR, to="es,en", source="fr")
    decomposed = translator.translate_text(nfd(FR), to="es,en", source="fr")
    assert nfd(FR) != FR
    for target in ("es", "en"):
        assert decomposed.text(target) == composed.text(target)
        assert unicodedata.is_normalized("NFC", decomposed.text(target))
    assert "confirmado" in decomposed.text("es") and "televisión" in decomposed.text("es")
    assert "á" not in decomposed.text("en")


@needs_apertium
def test_a_glossary_term_with_accents_is_found_in_decomposed_text():
    glossary = parse_rows([["fr", "es"], ["Élysée", "Palacio del Elíseo"]], "accents.csv")
    doc = Translator(engine="apertium", glossary=glossary).translate_text(
        nfd("L'Élysée a confirmé la nouvelle."), to="es", source="fr")
    assert "Palacio del Elíseo" in doc.text("es")
    terms = [t for seg in doc.segments for t in seg.terms["es"]]
    assert [(t["term"], t["ok"]) for t in terms] == [("Élysée", True)]


@needs_apertium
def test_the_command_on_a_decomposed_po_file_keeps_its_msgids_byte_for_byte(tmp_path):
    source = nfd('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                 'msgid "Poutine a parlé à la télévision."\nmsgstr ""\n')
    (tmp_path / "fr.po").write_text(source, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "translator", "fr.po", "--to", "es", "-o", "out", "-q"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = (tmp_path / "out" / "fr.es.po").read_text(encoding="utf-8")
    assert nfd('msgid "Poutine a parlé à la télévision."') in out  # the key, as the source has it
    assert 'msgstr "Putin ha hablado a la televisión."' in out
