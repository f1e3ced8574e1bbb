"""The document-type registry: one module per format, picked by extension or content;
every type goes through the same unit translation and reports through the same Document."""

from __future__ import annotations

import json

import pytest

from translator import documents
from translator.cli import main
from translator.documents.base import CODE, TEXT, Unit
from translator.documents.units import kept
from translator.errors import ExitCode, InputError, UsageError

from .conftest import needs_apertium


def test_every_registered_type_has_a_module_with_one_interface():
    for name in documents.names():
        doctype = documents.by_name(name)
        assert doctype.name == name and doctype.extensions and all(e.startswith(".") for e in doctype.extensions)
        assert callable(doctype.sniff) and callable(doctype.translate)


@pytest.mark.parametrize("name, head, expected", [
    ("a.md", b"# Titre", "markdown"), ("a.MARKDOWN", b"x", "markdown"), ("a.po", b"", "po"), ("a.pot", b"", "po"),
    ("a.txt", b"Le ciel", "text"), ("notes", b"Le ciel", "text"), ("-", b'msgid ""\nmsgstr ""\n', "po"),
])
def test_types_are_picked_by_extension_then_content(name, head, expected):
    assert documents.for_file(name, head)[0].name == expected


@pytest.mark.parametrize("head, what", [(b"%PDF-1.7\n", "a PDF document"), (b"PK\x03\x04\x14\x00", "a zip archive"),
                                        (b"\xff\xd8\xff\xe0", "a JPEG image"), (b"\x1f\x8b\x08", "a gzip archive")])
def test_other_types_are_refused_with_the_supported_list(head, what):
    with pytest.raises(InputError) as err:
        documents.for_file("report.txt", head)
    message = str(err.value)
    assert message.startswith(f"report.txt: {what}") and ": not a supported document type; supported: " in message
    assert "markdown (.md .markdown)" in message and "po (.po .pot)" in message


def test_input_format_overrides_and_is_checked():
    assert documents.for_file("a.txt", b"# x", forced="markdown")[0].name == "markdown"
    with pytest.raises(UsageError, match="unknown document type 'pdf'"):
        documents.by_name("pdf")


def test_a_unit_keeps_its_codes_only_when_all_come_back():
    unit = Unit("p1", [(TEXT, "Un "), (CODE, "**"), (TEXT, "titre"), (CODE, "**"), (TEXT, " lu "), (CODE, "*](x)")])
    assert unit.text == "Un **titre** lu *](x)" and unit.codes == ["**", "**", "*](x)"]
    assert kept(unit, "A **title** read *](x)")
    assert not kept(unit, "A **title** read ](x)")  # "*](x)" lost: its "*" does not count for a lone one
    assert not kept(unit, "A **title* read *](x)")


@needs_apertium
def test_json_and_review_formats_work_on_structured_files_and_point_back(tmp_path, capsys):
    md = tmp_path / "a.md"
    md.write_text("# Le ciel\n\nLe ciel est **bleu** et la mer est calme.\n", encoding="utf-8")
    assert main([str(md), "--to", "es", "--format", "json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(s["ref"], s["translations"]["es"]) for s in doc["segments"]] == [
        ("line 1", "El cielo"), ("line 3", "El cielo es **azul** y la mar es tranquila.")]
    assert main([str(md), "--to", "es", "--format", "tmx", "-q"]) == 0
    assert "El cielo es **azul**" in (tmp_path / "a.tmx").read_text(encoding="utf-8")


@needs_apertium
def test_standard_input_takes_a_document_type(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"# Titre\n\nLe ciel est **bleu**.\n")))
    assert main(["-", "--to", "es", "--input-format", "markdown", "-q"]) == 0
    assert capsys.readouterr().out == "# Título\n\nEl cielo es **azul**.\n"
    assert main(["-", "--to", "es", "--input-format", "pdf"]) == ExitCode.USAGE


def test_a_folder_takes_every_registered_type(tmp_path):
    from translator.inputs import expand

    for name in ("a.txt", "b.md", "c.po", "d.xlf", "e.srt", "f.vtt", "g.docx", "h.html", "i.htm", "j.pdf",
                 "a.es.txt", "d.es.xlf", "h.review.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.rsplit("/", 1)[-1] for p in expand([str(tmp_path)])] == [
        "a.txt", "b.md", "c.po", "d.xlf", "e.srt", "f.vtt", "g.docx", "h.html", "i.htm"]


def test_bytes_no_type_claims_are_refused_whatever_the_name():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    for name in ("photo.html", "photo.md", "photo.txt", "photo"):
        with pytest.raises(InputError, match="a PNG image: not a supported document type"):
            documents.for_file(name, png)
    zip_head = b"PK\x03\x04\x14\x00\x00\x00\x08\x00"
    with pytest.raises(InputError, match="a zip archive"):
        documents.for_file("book.epub", zip_head + b"mimetypeapplication/epub+zip")


@needs_apertium
def test_detect_reads_structured_files_as_their_readers_see_them(capsys):
    from .conftest import SAMPLES

    page = SAMPLES / "web" / "article.html"
    assert main(["detect", str(page), "-p"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{page}: fr 1.00"
    # one line per translatable text of the article, at the line it is on; no markup, no site chrome
    assert len(lines) > 3 and all(line.startswith(f"{page}:") for line in lines)
    assert not any("<" in line or "Laisser un commentaire" in line for line in lines)


@needs_apertium
def test_content_chooses_the_article_or_the_whole_page(tmp_path, capsys):
    from .conftest import SAMPLES

    page = tmp_path / "article.html"
    page.write_bytes((SAMPLES / "web" / "article.html").read_bytes())
    source = page.read_text(encoding="utf-8")
    assert "Laisser un commentaire" in source
    assert main([str(page), "--to", "es", "--from", "fr", "-q"]) == 0
    assert "Laisser un commentaire" in (tmp_path / "article.es.html").read_text(encoding="utf-8")
    assert main([str(page), "--to", "es", "--from", "fr", "-q", "--content", "all"]) == 0
    assert "Laisser un commentaire" not in (tmp_path / "article.es.html").read_text(encoding="utf-8")


@needs_apertium
def test_the_library_translates_any_file_with_its_type(tmp_path):
    from translator import Translator

    from .conftest import SAMPLES

    with Translator(engine="apertium") as t:
        md = t.translate_file(SAMPLES / "sport.md", to="es", source="fr")
        assert md.text("es").startswith("# Rugby : el XV de Francia") and "](https://www.sixnationsrugby.com/fr/calendrier)" in md.text("es")
        assert md.segments[0].ref.startswith("line ")
        docx = t.translate_file(SAMPLES / "economie.docx", to=["es"], source="fr")
        assert docx.data("es")[:2] == b"PK"
        with pytest.raises(UsageError, match="binary document: use data"):
            docx.text("es")
        text = t.translate_file(SAMPLES / "diplomatie.txt", to="es")
        assert text.text("es").startswith("Diplomacia\n") and text.data("es") == text.text("es").encode()
