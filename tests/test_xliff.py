"""XLIFF 1.2 and 2.x from CAT tools: untranslated units filled with their inline codes,
everything else byte for byte; outputs read back by translate-toolkit and valid against
the OASIS schemas (xmllint); our own XLIFF export translated again."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from translator.cli import main
from translator.documents import for_file
from translator.documents.base import Options
from translator.documents.xliff import TYPE
from translator.errors import ExitCode

from .conftest import needs_apertium

SCHEMAS = Path(__file__).with_name("schemas")

V12 = """<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a CAT tool -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:okp="okapi-framework:xliff-extensions">
  <file original="article.html" source-language="fr-FR" datatype="html">
    <header><note>Garder cette note.</note></header>
    <body>
      <trans-unit id="title" resname='h1'>
        <source>Le ciel est <g id="1" ctype="bold">bleu</g> et la mer est calme<x id="2"/>.</source>
        <note from="editor">Titre de la page</note>
      </trans-unit>
      <trans-unit id="done">
        <source>Le chat &amp; le chien.</source>
        <target state="translated">El gato y el perro.</target>
      </trans-unit>
      <group id="g1" translate="no">
        <trans-unit id="brand"><source>Le Monde</source></trans-unit>
      </group>
      <trans-unit id="bold"><source>La <bpt id="1">&lt;b&gt;</bpt>maison<ept id="1">&lt;/b&gt;</ept> est grande.</source><target state="new"/></trans-unit>
      <trans-unit id="seg">
        <source>La ville est belle. Le port est grand.</source>
        <seg-source><mrk mtype="seg" mid="1">La ville est belle.</mrk> <mrk mtype="seg" mid="2">Le port est grand.</mrk></seg-source>
      </trans-unit>
      <trans-unit id="protected"><source>Voir <mrk mtype="protected">Le Monde diplomatique</mrk> demain.</source></trans-unit>
    </body>
  </file>
</xliff>
"""

V20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr">
  <file id="f1" original="app.json">
    <notes><note>Garder cette note.</note></notes>
    <unit id="u1">
      <segment>
        <source>Le <pc id="1">ciel</pc> est bleu<ph id="2"/>.</source>
      </segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2">
        <source>La mer est <sc id="3"/>calme<ec startRef="3"/>.</source>
      </segment>
    </unit>
    <unit id="u2" translate="no"><segment><source>Le Monde</source></segment></unit>
    <unit id="u3">
      <segment state="final"><source>Le chat.</source><target>El gato.</target></segment>
    </unit>
    <group id="g"><unit id="u4"><segment><source>Voir <mrk id="m1" translate="no">Le Monde</mrk> demain.</source></segment></unit></group>
  </file>
</xliff>
"""


def _xmllint(path: Path, schema: str) -> subprocess.CompletedProcess:
    if not shutil.which("xmllint"):
        pytest.skip("xmllint not installed (make setup: libxml2-utils)")
    env = {**os.environ, "XML_CATALOG_FILES": str(SCHEMAS / "catalog.xml")}
    return subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(SCHEMAS / schema), str(path)],
                          capture_output=True, text=True, env=env, timeout=60)


def _run(tmp_path: Path, name: str, text: str, *args: str) -> tuple[int, Path]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code = main([str(path), "--to", "es", "--from", "fr", "-q", *args])
    return code, tmp_path / name.replace(".xlf", ".es.xlf")


def _without_targets(text: str) -> str:
    """The file less what filling targets may change: target elements, machine states,
    the declared target language."""
    text = re.sub(r"\n? *<target[^>]*?(/>|>.*?</target>)", "", text, flags=re.S)
    text = re.sub(r' (state|state-qualifier|subState|target-language|trgLang)="[^"]*"', "", text)
    return text


def _valid(path: Path, schema: str) -> None:
    result = _xmllint(path, schema)
    assert result.returncode == 0, result.stderr


def _translated(tmp_path: Path, name: str, source: str, schema: str) -> str:
    """The translation of *source*: valid against *schema*, the same file outside its targets."""
    code, out = _run(tmp_path, name, source)
    assert code == 0
    _valid(out, schema)
    text = out.read_text(encoding="utf-8")
    assert _without_targets(text) == _without_targets(source)
    return text


def test_the_schemas_accept_the_sources(tmp_path):
    for name, text, schema in (("a.xlf", V12, "xliff-core-1.2-strict.xsd"), ("b.xlf", V20, "xliff-core-2.0.xsd")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        _valid(tmp_path / name, schema)


@needs_apertium
def test_xliff_12_units_filled_codes_kept_everything_else_byte_for_byte(tmp_path):
    text = _translated(tmp_path, "article.xlf", V12, "xliff-core-1.2-strict.xsd")
    targets = {uid: target for uid, target in re.findall(
        r'<trans-unit id="(\w+)"(?:(?!</trans-unit>).)*?<target[^>]*>(.*?)</target>', text, flags=re.S)}
    assert targets["title"] == 'El cielo es <g id="1" ctype="bold">azul</g> y la mar es tranquila<x id="2"/>.'
    assert targets["done"] == "El gato y el perro."  # kept: it had a translation
    assert targets["bold"] == "La <bpt id=\"1\">&lt;b&gt;</bpt>casa<ept id=\"1\">&lt;/b&gt;</ept> es grande."
    assert targets["seg"] == ('<mrk mtype="seg" mid="1">La ciudad es guapa.</mrk> '
                              '<mrk mtype="seg" mid="2">El puerto es grande.</mrk>')
    assert targets["protected"] == 'Ver <mrk mtype="protected">Le Monde diplomatique</mrk> mañana.'
    assert "brand" not in targets  # translate="no" on its group
    assert '<file original="article.html" source-language="fr-FR" datatype="html" target-language="es">' in text
    assert text.count('state="needs-review-translation" state-qualifier="mt-suggestion"') == 4
    assert '<target xml:lang="es" state="needs-review-translation"' in text


@needs_apertium
def test_xliff_12_output_read_back_by_translate_toolkit(tmp_path):
    from translate.storage import xliff

    _, out = _run(tmp_path, "article.xlf", V12)
    store = xliff.xlifffile.parsefile(str(out))
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    assert store.gettargetlanguage() == "es"
    assert units["title"].target == "El cielo es azul y la mar es tranquila."
    assert units["title"].isfuzzy() and units["title"].get_state_n() == xliff.xliffunit.S_NEEDS_REVIEW
    assert units["done"].target == "El gato y el perro." and units["done"].get_state_n() == xliff.xliffunit.S_TRANSLATED
    assert units["brand"].target is None


@needs_apertium
def test_existing_targets_are_translated_again_with_overwrite(tmp_path):
    code, out = _run(tmp_path, "article.xlf", V12, "--overwrite")
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert '<target state="needs-review-translation" state-qualifier="mt-suggestion">El gato &amp; el perro.</target>' \
        in text
    _valid(out, "xliff-core-1.2-strict.xsd")


@needs_apertium
def test_xliff_20_segments_filled_with_state_and_substate(tmp_path):
    text = _translated(tmp_path, "app.xlf", V20, "xliff-core-2.0.xsd")
    assert 'srcLang="fr" trgLang="es">' in text
    assert re.findall(r"<target>(.*?)</target>", text) == [
        'El <pc id="1">cielo</pc> es azul<ph id="2"/>.', 'La mar es <sc id="3"/>tranquila<ec startRef="3"/>.',
        "El gato.", 'Ver <mrk id="m1" translate="no">Le Monde</mrk> mañana.']
    assert text.count('state="translated" subState="translator:mt"') == 3
    assert '<segment state="final"><source>Le chat.</source><target>El gato.</target>' in text  # kept


@needs_apertium
def test_xliff_20_output_read_back_by_translate_toolkit(tmp_path):
    from translate.storage import xliff2

    _, out = _run(tmp_path, "app.xlf", V20.replace('version="2.0"', 'version="2.1"'))
    store = xliff2.Xliff2File.parsefile(str(out))
    assert (store.sourcelanguage, store.targetlanguage) == ("fr", "es")
    assert [(u.source, u.target) for u in store.units] == [
        ("Le ciel est bleu.", "El cielo es azul."), ("La mer est calme.", "La mar es tranquila."),
        ("Le Monde", None), ("Le chat.", "El gato."), ("Voir Le Monde demain.", "Ver Le Monde mañana.")]


@needs_apertium
def test_a_declared_target_language_is_used_and_a_contradiction_refused(tmp_path, capsys):
    declared = V12.replace('source-language="fr-FR"', 'source-language="fr-FR" target-language="es-ES"')
    code, out = _run(tmp_path, "a.xlf", declared)
    assert code == 0
    assert out.read_text(encoding="utf-8").count('<target xml:lang="es-ES"') == 3  # the file's own code
    capsys.readouterr()
    path = tmp_path / "b.xlf"
    path.write_text(declared.replace("es-ES", "de"), encoding="utf-8")
    assert main([str(path), "--to", "es", "-q"]) == ExitCode.LANGUAGE
    assert capsys.readouterr().err.strip() == f"{path}:4: the file's target language is 'de': translate it with --to de"
    assert main([str(path), "--to", "de,es", "-q"]) == ExitCode.LANGUAGE
    assert main([str(tmp_path / "a.xlf"), "--to", "fr", "-q"]) == ExitCode.LANGUAGE  # its source language
    assert not list(tmp_path.glob("b.*.xlf"))


@needs_apertium
def test_without_to_the_file_names_its_target(tmp_path, capsys):
    declared = V12.replace('source-language="fr-FR"', 'source-language="fr-FR" target-language="es-ES"')
    path = tmp_path / "a.xlf"
    path.write_text(declared, encoding="utf-8")
    assert main([str(path), "--from", "fr", "-q"]) == 0
    assert (tmp_path / "a.es.xlf").read_text(encoding="utf-8").count('<target xml:lang="es-ES"') == 3
    # A file that names no target, and a text file, need --to: one line each, nothing written.
    (tmp_path / "b.xlf").write_text(V12, encoding="utf-8")
    (tmp_path / "c.txt").write_text("Le ciel est bleu.\n", encoding="utf-8")
    capsys.readouterr()
    assert main([str(tmp_path / "b.xlf"), str(tmp_path / "c.txt"), "-q"]) == ExitCode.USAGE
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'b.xlf'}: no target language: pass --to (for example --to en,es); "
        "this file names no target language",
        f"{tmp_path / 'c.txt'}: no target language: pass --to (for example --to en,es)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.es.xlf", "a.xlf", "b.xlf", "c.txt"]


def test_units_whose_codes_do_not_come_back_stay_untranslated_and_are_reported():
    parsed = TYPE.read(V12.encode(), name="a.xlf", options=Options())
    units = {u.id: u for u in parsed.units}
    title, bold = units["title"], units["bold"]
    assert parsed.verify(title, 'El cielo es <g id="1" ctype="bold">azul</g> y la mar<x id="2"/>.')
    assert not parsed.verify(title, 'El cielo es <g id="1" ctype="bold">azul y la mar<x id="2"/>.')  # lost
    assert not parsed.verify(title, 'El cielo es </g>azul<g id="1" ctype="bold"> y la mar<x id="2"/>.')  # nesting
    assert not parsed.verify(bold, 'La <ept id="1">&lt;/b&gt;</ept>casa<bpt id="1">&lt;b&gt;</bpt>.')  # order
    texts = {u.id: u.text for u in parsed.units}
    out = parsed.write("es", texts, set(), [(title, "El cielo es azul.")])
    assert out.problems == ['a.xlf:8: unit title: inline codes could not be kept (<g id="1" ctype="bold">, '
                            '</g>, <x id="2"/>); left untranslated']
    assert "left untranslated" in out.summary
    assert re.search(r'<trans-unit id="title".*?</trans-unit>', out.data.decode(), flags=re.S).group(0).count(
        "<target") == 0


@needs_apertium
def test_our_own_xliff_export_translates_again(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Le ciel est bleu. La mer est calme.\n\nLe chat dort.\n", encoding="utf-8")
    assert main([str(article), "--to", "es", "--format", "xliff", "-q"]) == 0
    exported = tmp_path / "a.es.xlf"
    _valid(exported, "xliff-core-1.2-strict.xsd")
    assert main([str(exported), "--to", "es"]) == 0  # every unit has its machine translation: kept
    assert "es: 0 units translated, 3 kept, 0 not to translate" in capsys.readouterr().err
    assert (tmp_path / "a.es.es.xlf").read_bytes() == exported.read_bytes()
    assert main([str(exported), "--to", "es", "--overwrite", "-q"]) == 0
    again = (tmp_path / "a.es.es.xlf").read_text(encoding="utf-8")
    assert re.findall(r"<target[^>]*>(.*?)</target>", again) == ["El cielo es azul.", "La mar es tranquila.",
                                                                  "El gato duerme."]
    _valid(tmp_path / "a.es.es.xlf", "xliff-core-1.2-strict.xsd")


NS12 = "urn:oasis:names:tc:xliff:document:1.2"


def _placeholders(element) -> list[tuple[str, str]]:
    return [(ph.get("id"), ph.text) for ph in element.iter() if ph.tag.rpartition("}")[2] == "ph"]


@needs_apertium
@pytest.mark.parametrize("name, text, codes", [
    ("page.html", '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Titre</title></head><body>'
     '<p>Le <b>Kremlin</b> a confirmé la nouvelle. Voir <a href="/x">le communiqué</a>.</p></body></html>\n',
     ["<b>", "</b>", '<a href="/x">', "</a>"]),
    ("article.md", 'Le **Kremlin** a [confirmé](https://x.fr) la nouvelle.\n', ["**", "**", "[", "](https://x.fr)"]),
])
def test_the_markup_of_a_structured_file_is_placeholders_in_the_xliff_export(tmp_path, name, text, codes):
    """A CAT tool shows ``<ph>`` as a tag to place, not text to translate (it was escaped
    text: "Le &lt;b&gt;Kremlin&lt;/b&gt;"); each code keeps its id from source to target,
    and the export is valid, read by translate-toolkit and translated again by us."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main([str(path), "--to", "es", "--from", "fr", "--engine", "apertium", "--format", "xliff", "-q"]) == 0
    exported = tmp_path / (path.stem + ".es.xlf")
    _valid(exported, "xliff-core-1.2-strict.xsd")
    units = ET.parse(exported).getroot().iter(f"{{{NS12}}}trans-unit")
    found = []
    for unit in units:
        source, target = unit.find(f"{{{NS12}}}source"), unit.find(f"{{{NS12}}}target")
        assert sorted(_placeholders(target)) == sorted(_placeholders(source))  # same ids, same codes
        assert not any(c in "".join(t for t in [source.text or ""] + [ph.tail or "" for ph in source]) for c in codes)
        found += [code for _, code in _placeholders(source)]
    assert found == codes
    from translate.storage import xliff

    store = xliff.xlifffile.parsefile(str(exported))
    assert any(u.source.startswith("Le ") and codes[0] in u.source for u in store.units)  # the native codes
    assert main([str(exported), "--to", "es", "--overwrite", "--engine", "apertium", "-q"]) == 0
    again = tmp_path / (path.stem + ".es.es.xlf")
    _valid(again, "xliff-core-1.2-strict.xsd")
    assert [c for u in ET.parse(again).getroot().iter(f"{{{NS12}}}target") for _, c in _placeholders(u)] == codes


def test_codes_a_translation_added_or_repeated_get_their_own_ids():
    from translator.formats.exchange import _inline

    source, target = ET.Element("source"), ET.Element("target")
    ids = _inline(source, "a <b>x</b> y <b>z</b>", ["<b>", "</b>", "<b>", "</b>", "<br/>"], {})
    assert ids == {"<b>": ["1", "3"], "</b>": ["2", "4"]}
    _inline(target, "<b>z</b> a <br/><b>x</b>", ["<b>", "</b>", "<b>", "</b>", "<br/>"], ids)
    assert _placeholders(target) == [("1", "<b>"), ("2", "</b>"), ("5", "<br/>"), ("3", "<b>"), ("4", "</b>")]
    assert ET.tostring(target, encoding="unicode") == ('<target><ph id="1">&lt;b&gt;</ph>z<ph id="2">&lt;/b&gt;</ph>'
                                                      ' a <ph id="5">&lt;br/&gt;</ph><ph id="3">&lt;b&gt;</ph>x'
                                                      '<ph id="4">&lt;/b&gt;</ph></target>')
    plain = ET.Element("source")
    assert _inline(plain, "no codes here", [], {}) == {} and plain.text == "no codes here" and len(plain) == 0


def test_units_with_their_targets_for_harvesting_edits():
    """What ``translate-sync --accept`` reads from an edited XLIFF: each unit's source and
    target texts (codes left out), segments of a 1.2 ``seg-source`` by their ``mid``."""
    from translator.documents import Options
    from translator.documents.xliff import XliffType

    v12 = V12.replace('<target state="new"/>', '<target>La <bpt id="1">&lt;b&gt;</bpt>casa<ept id="1">&lt;/b&gt;'
                      '</ept> es grande.</target>').replace(
        "</seg-source>", '</seg-source><target><mrk mtype="seg" mid="2">El puerto es grande.</mrk> '
        '<mrk mtype="seg" mid="1">La ciudad es bonita.</mrk></target>')
    found = XliffType().read(v12.encode(), name="a.xlf", options=Options(overwrite=True)).translated()
    assert found == [("done", "Le chat & le chien.", "El gato y el perro."),
                     ("bold", "La maison est grande.", "La casa es grande."),
                     ("seg segment 1", "La ville est belle.", "La ciudad es bonita."),
                     ("seg segment 2", "Le port est grand.", "El puerto es grande.")]
    v20 = V20.replace("<source>Le <pc id=\"1\">ciel</pc> est bleu<ph id=\"2\"/>.</source>",
                      "<source>Le <pc id=\"1\">ciel</pc> est bleu<ph id=\"2\"/>.</source>"
                      "<target>El <pc id=\"1\">cielo</pc> es azul<ph id=\"2\"/>.</target>")
    found = XliffType().read(v20.encode(), name="b.xlf", options=Options(overwrite=True)).translated()
    assert found == [("u1 segment 1", "Le ciel est bleu.", "El cielo es azul."), ("u3", "Le chat.", "El gato.")]


@needs_apertium
def test_json_segments_point_back_to_unit_ids(tmp_path, capsys):
    path = tmp_path / "app.xlf"
    path.write_text(V20, encoding="utf-8")
    assert main([str(path), "--to", "es", "--format", "json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["source_language"] == "fr"
    assert [(s["ref"], s["translations"]["es"]) for s in doc["segments"]] == [
        ("u1 segment 1", 'El <pc id="1">cielo</pc> es azul<ph id="2"/>.'),
        ("u1 segment s2", 'La mar es <sc id="3"/>tranquila<ec startRef="3"/>.'),
        ("u4", 'Ver <mrk id="m1" translate="no">Le Monde</mrk> mañana.')]


@needs_apertium
def test_the_glossary_applies(tmp_path):
    text = V20.replace("Le <pc id=\"1\">ciel</pc> est bleu", "Vladimir Poutine est <pc id=\"1\">ici</pc>")
    code, out = _run(tmp_path, "g.xlf", text, "-g", "news")
    assert code == 0
    assert '<target>Vladímir Putin es <pc id="1">aquí</pc><ph id="2"/>.</target>' in out.read_text(encoding="utf-8")


@needs_apertium
def test_utf16_with_bom_comes_back_in_utf16(tmp_path):
    path = tmp_path / "w.xlf"
    path.write_bytes(V12.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert main([str(path), "--to", "es", "-q"]) == 0
    data = (tmp_path / "w.es.xlf").read_bytes()
    assert data.startswith(b"\xff\xfe") and "El cielo es <g" in data.decode("utf-16")


def test_xliff_is_picked_by_extension_and_content():
    assert for_file("a.xlf", b"")[0].name == "xliff" and for_file("a.xliff", b"")[0].name == "xliff"
    assert for_file("-", V20.encode()[:200])[0].name == "xliff"
    assert for_file("-", b'<?xml version="1.0"?>\n<xlf:xliff xmlns:xlf="x" version="1.2">')[0].name == "xliff"


def test_every_hostile_xliff_has_a_case():
    from .test_hostile import CASES, HOSTILE

    assert sorted(p.name for p in (HOSTILE / "xliff").iterdir()) == sorted(
        c.id.split("/", 1)[1] for c in CASES if c.id.startswith("xliff/"))
