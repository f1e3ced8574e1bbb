"""Markdown front matter: the YAML value of a field is what gets translated, and the
translation is written back so that a YAML parser reads exactly it, in the field's style."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator import Translator
from translator.cli import main
from translator.documents import markdown_front_matter as fm
from translator.documents.markdown import translate_markdown

from .conftest import needs_apertium

yaml = pytest.importorskip("yaml", reason="PyYAML (a dev dependency) reads the front matter back")

FIELDS = ("title", "subtitle", "lede", "summary", "note", "description", "abstract")

DOC = r'''---
title: "Il a dit \"non\" au maire : C:\\dossier\\marché\nLa ville \u00e9coute"
subtitle: 'L''été du marché'
lede: "Le march\u00e9 ouvre demain"
author: "Jean \"JD\" Dupont"
# un commentaire : Le marché
summary: Le marché de la ville # à revoir
tags: [diplomatie, "Kremlin"]
note: Le marché de la ville
  ouvre demain.
description: >-
  Le marché de la ville ouvre
  demain matin.

  La mairie annonce une fête.
abstract: |2
    Rendez-vous au marché
  Le marché ouvre demain.
date: 2024-05-01
---

Le texte de l'article.
'''


def front(text: str) -> str:
    return text.split("---\n")[1]


@pytest.fixture(scope="module")
def engine():
    with Translator(engine="apertium") as t:
        yield t


@pytest.fixture(scope="module")
def spanish(engine):
    return translate_markdown(engine, DOC, to=["es"], source="fr", fields=FIELDS)["es"]


def tr(engine, text: str) -> str:
    """The engine's translation of one line of text, on its own."""
    return engine.translate_text(text, to="es", source="fr").text("es").strip()


def expected(engine, key: str, value: str) -> str:
    """What the field should read as: a block's lines (literal) or paragraphs (folded)
    and a quoted value's lines each translated, the rest of the value as it was."""
    if key == "abstract":  # literal: line by line, the extra indentation kept
        return "".join(line[:len(line) - len(line.lstrip())] + tr(engine, line.strip()) + "\n"
                       for line in value.splitlines())
    return "\n".join(tr(engine, piece) for piece in value.split("\n"))


@needs_apertium
@pytest.mark.parametrize("key", FIELDS)
def test_each_style_reads_back_as_the_translation_of_its_value(engine, spanish, key):
    source = yaml.safe_load(front(DOC))[key]
    got = yaml.safe_load(front(spanish))[key]
    assert got == expected(engine, key, source)
    assert got != source  # translated, not left in French


@needs_apertium
def test_values_are_decoded_before_translation(engine, spanish):
    es = yaml.safe_load(front(spanish))
    first, second = es["title"].split("\n")
    assert first.startswith("Ha dicho no") and "C:\\dossier\\" in first and '\\"' not in first
    assert second == tr(engine, "La ville écoute")
    assert es["subtitle"] == "El verano del mercado"
    assert es["summary"] == "El mercado de la ciudad"  # the comment is not part of the value
    assert es["note"] == tr(engine, "Le marché de la ville ouvre demain.")  # both lines, as one text


@needs_apertium
def test_each_field_keeps_its_style(spanish):
    lines = front(spanish).splitlines()
    line = {ln.split(":")[0]: ln for ln in lines if re.match(r"\w+:", ln)}
    assert line["title"].startswith('title: "Ha dicho no \\"\\" al alcalde : C:\\\\dossier\\\\')
    assert line["subtitle"] == "subtitle: 'El verano del mercado'"
    # its non-ASCII characters were all escapes: so are the translation's
    assert line["lede"] == r'lede: "El mercado abre ma\u00F1ana"'
    assert line["summary"] == "summary: El mercado de la ciudad # à revoir"
    assert line["note"].startswith("note: El mercado") and lines[lines.index(line["note"]) + 1].startswith("  ")
    assert line["description"] == "description: >-" and line["abstract"] == "abstract: |2"
    assert lines[lines.index("abstract: |2") + 1].startswith("    Cita")  # the more indented line stays so


@needs_apertium
def test_everything_else_in_the_front_matter_is_byte_identical(spanish):
    kept = ['author: "Jean \\"JD\\" Dupont"', "# un commentaire : Le marché", 'tags: [diplomatie, "Kremlin"]',
            "date: 2024-05-01"]
    assert all(f"\n{line}\n" in spanish for line in kept)
    assert yaml.safe_load(front(spanish))["date"] == yaml.safe_load(front(DOC))["date"]
    assert list(yaml.safe_load(front(spanish))) == list(yaml.safe_load(front(DOC)))  # same keys, same order
    assert spanish.endswith("\n---\n\nEl texto del artículo.\n")


@needs_apertium
def test_the_audit_case_on_the_command_line(tmp_path, engine):
    src = tmp_path / "q.md"
    src.write_text('---\ntitle: "Il a dit \\"non\\" au maire"\n---\n\nTexte.\n', encoding="utf-8")
    assert main([str(src), "--to", "es", "--engine", "apertium", "-q"]) == 0
    out = (tmp_path / "q.es.md").read_text(encoding="utf-8")
    assert yaml.safe_load(front(out))["title"] == tr(engine, 'Il a dit "non" au maire')
    assert "\\\\" not in out


@needs_apertium
def test_a_plain_translation_yaml_would_misread_is_quoted(engine):
    # "Non" becomes "No", which YAML 1.1 (PyYAML, go-yaml v2) reads as false
    es = translate_markdown(engine, "---\ntitle: Non\n---\n\nTexte.\n", to=["es"], source="fr")["es"]
    assert tr(engine, "Non") == "No"
    assert es.startswith('---\ntitle: "No"\n') and yaml.safe_load(front(es))["title"] == "No"


@needs_apertium
def test_windows_line_breaks_stay(engine):
    doc = "---\r\ntitle: 'L''été'\r\ndescription: >\r\n  Le marché\r\n  ouvre demain.\r\n---\r\n\r\nTexte.\r\n"
    es = translate_markdown(engine, doc, to=["es"], source="fr")["es"]
    assert "\n" not in es.replace("\r\n", "")
    data = yaml.safe_load(es.split("---\r\n")[1])
    assert data == {"title": tr(engine, "L'été"), "description": tr(engine, "Le marché ouvre demain.") + "\n"}


@needs_apertium
def test_a_field_in_a_form_not_read_is_kept_with_one_warning(tmp_path, capsys):
    src = tmp_path / "a.md"
    text = ("---\ntitle: Le marché\ndescription: &resume Le marché de la ville\nsummary: \"C:\\dossier\"\n"
            "---\n\nLe texte de l'article.\n")
    src.write_text(text, encoding="utf-8")
    assert main([str(src), "--to", "es,ca", "--engine", "apertium", "--front-matter-fields",
                 "title,description,summary", "-q"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 2, warnings  # once per file, not once per language
    assert warnings[0].startswith(f"{src}:3: warning: front matter field 'description' left untranslated")
    assert warnings[1].startswith(f"{src}:4: warning: front matter field 'summary' left untranslated")
    for lang in ("es", "ca"):
        out = (tmp_path / f"a.{lang}.md").read_text(encoding="utf-8")
        assert out.splitlines()[2:4] == text.splitlines()[2:4]
        assert not out.startswith("---\ntitle: Le marché\n")


# -- the reader and the writer against PyYAML, without an engine ----------------------------------

# Python splits lines at U+0085, U+2028 and U+2029 too (YAML 1.2 does not): not in a file's values.
TEXTS = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x85\u2028\u2029"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(["plain", "'", '"']), st.booleans())
def test_written_scalars_read_back_as_the_text(text, style, ascii):
    assert yaml.safe_load("k: " + fm._scalar(text, style, ascii) + " # c\n")["k"] == text


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(['"', "'"]), st.sampled_from([8, 80]), st.booleans())
def test_quoted_values_are_read_as_yaml_reads_them(text, style, width, unicode):
    dumped = yaml.safe_dump({"k": text}, default_style=style, width=width, allow_unicode=unicode)
    lines = ("---\n" + dumped.replace(f"{style}k{style}:", "k:", 1) + "---\n").splitlines(keepends=True)
    fields, warnings = fm.read(lines, (0, len(lines)), ("k",), "x.md")
    assert not warnings and "\n".join(fields[0].pieces) == text
