"""-o names a folder: what a user who meant a file gets, and other one-line refusals found by
trying the command as users do (each was silent, misleading or wrapped in framework words)."""

from __future__ import annotations

import pytest

from translator.cli import main
from translator.errors import ExitCode

from .conftest import needs_apertium


@pytest.fixture
def note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "note.txt").write_text("Le Kremlin a confirmé la nouvelle.\n", encoding="utf-8")
    return tmp_path


def test_an_existing_file_as_output_folder_is_refused_before_translating(note, capsys):
    (note / "note.es.txt").write_text("a hand translation\n", encoding="utf-8")
    assert main(["note.txt", "--to", "es", "-o", "note.es.txt"]) == ExitCode.USAGE
    assert capsys.readouterr().err == ("note.es.txt: a file, not a folder: -o names the folder translations are "
                                       "written to (as NAME.LANG.EXT inside it)\n")
    assert (note / "note.es.txt").read_text(encoding="utf-8") == "a hand translation\n"


def test_a_file_name_as_output_folder_is_refused_and_no_folder_is_made(note, capsys):
    assert main(["note.txt", "--to", "es", "-o", "article.es.md"]) == ExitCode.USAGE
    assert capsys.readouterr().err.startswith("article.es.md: looks like a file name, and would become a folder")
    assert not (note / "article.es.md").exists()


def test_an_output_folder_for_standard_input_alone_is_refused(note, capsys, monkeypatch):
    assert main(["-", "--to", "es", "-o", "out"]) == ExitCode.USAGE
    assert capsys.readouterr().err == ("out: -o with standard input: its translation goes to standard output; "
                                       "redirect it (> FILE) or leave -o out\n")


def test_an_unknown_choice_is_named_without_framework_words(note, capsys):
    assert main(["note.txt", "--to", "es", "--format", "pdf"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "Invalid value for '--format': 'pdf' is not one of 'text', 'side-by-side', 'json'," in err
    assert "Value error" not in err


@needs_apertium
def test_a_translation_that_would_overwrite_an_input_names_its_source(note, capsys):
    (note / "note.es.txt").write_text("Una traducción revisada.\n", encoding="utf-8")
    assert main(["note.txt", "note.es.txt", "--to", "es", "-q"]) == ExitCode.OUTPUT
    assert capsys.readouterr().err == ("note.txt: its es translation would be written over the input note.es.txt: "
                                       "choose another -o DIR\n")
    assert (note / "note.es.txt").read_text(encoding="utf-8") == "Una traducción revisada.\n"
    assert (note / "note.es.es.txt").exists()  # the other input is translated: the run goes on
    assert main(["note.txt", "--to", "es", "-q", "-o", "folder.d"]) == ExitCode.OK  # a dotted folder name is fine
    assert (note / "folder.d" / "note.es.txt").exists()


def test_detect_takes_folders_as_translate_does(note, capsys):
    (note / "sub").mkdir()
    (note / "sub" / "en.txt").write_text("The Kremlin confirmed the news on Tuesday evening.\n", encoding="utf-8")
    assert main(["detect", "."]) == ExitCode.OK
    assert capsys.readouterr().out == "note.txt: fr 1.00\n"
    assert main(["detect", "-r", "."]) == ExitCode.OK
    assert capsys.readouterr().out == "note.txt: fr 1.00\nsub/en.txt: en 1.00\n"
    (note / "empty").mkdir()
    assert main(["detect", "empty"]) == ExitCode.INPUT
    assert capsys.readouterr().err.startswith("empty: no supported file (")


def test_a_missing_apertium_pair_points_to_the_list_debian_has(note, capsys):
    assert main(["note.txt", "--to", "ja", "--engine", "apertium"]) == ExitCode.NO_ROUTE
    assert capsys.readouterr().err == (
        "note.txt: no installed route from fr to ja: install one with 'apt-get install apertium-fr-ja' "
        "if Debian has that pair ('apt-cache search apertium' lists those it has)\n")


def test_a_missing_term_translated_as_itself_is_reported_as_kept(note, capsys):
    (note / "gl.csv").write_text("fr,es\nKremlin,Kremlin\nMaison-Blanche,Casa Blanca\n", encoding="utf-8")
    (note / "s.txt").write_text("Le Kremlin et la Maison-Blanche ont parlé.\n", encoding="utf-8")
    (note / "t.txt").write_text("El palacio y la Casa Verde han hablado.\n", encoding="utf-8")
    assert main(["glossary", "lint", "-g", "gl.csv", "s.txt", "t.txt", "--from", "fr", "--to", "es"]) == 1
    assert capsys.readouterr().out.splitlines() == ["t.txt:1: term 'Kremlin' should be kept as it is",
                                                    "t.txt:1: term 'Maison-Blanche' should be 'Casa Blanca'"]


def test_detect_names_standard_input_in_its_refusals(note, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"12345\n")))
    assert main(["detect", "-"]) == ExitCode.INPUT
    assert capsys.readouterr().err == "<stdin>: no letters to detect a language from\n"  # it said <text>
