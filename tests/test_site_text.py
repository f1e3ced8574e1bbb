"""A web page saved as plain text: the site around the article kept as it is with
``--content main`` (translator/site_text.py), reported as ``boilerplate`` segments."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources

from translator.cli import main
from translator.site_text import is_site_phrase, phrases, site_paragraphs

from .conftest import SAMPLES, needs_apertium
from .html_pages import text_score


def test_the_phrase_file_is_clean():
    lines = resources.files("translator").joinpath("site_phrases.txt").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(entries) == len(set(entries)), "a phrase is listed twice"
    for line in entries:
        assert line == line.strip() and "  " not in line, f"stray spaces: {line!r}"
        assert line == line.lower(), f"not lower case: {line!r}"
        assert not re.search(r"[:*.!?]$", line), f"closing punctuation is ignored anyway: {line!r}"
    assert len(phrases()) == len(entries)


def test_site_phrases_are_recognised_in_their_usual_forms():
    for text in ("Partager", "Partager :", "Lire aussi : Les députés adoptent le budget", "3 commentaires",
                 "Commentaire *", "© 2024 Le Quotidien. Tous droits réservés.", "Click to comment",
                 "LES + LUS", "Sujets : Diplomatie ONU"):
        assert is_site_phrase(text), text
    for text in ("Partager les richesses est un devoir, a-t-il dit.", "Les commentaires du ministre ont surpris.",
                 "Lire", "Le Kremlin a confirmé."):
        assert not is_site_phrase(text), text


def test_the_sample_article_keeps_its_section_name_and_comment_link():
    paragraphs = [p for p in (SAMPLES / "diplomatie.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    flags = site_paragraphs(paragraphs)
    assert [p for p, site in zip(paragraphs, flags) if site] == ["Diplomatie", "Click to comment\n"]


def test_the_title_and_byline_before_the_article_are_the_article():
    paragraphs = ["Accueil", "Monde", "Politique", "Partager",
                  "Le festival de photographie ouvre ses portes à Arles",
                  "Par Marie Dubois, à Arles",
                  "Le festival attend plus de cent mille visiteurs jusqu'à la fin du mois de septembre.",
                  "Une programmation ouverte",
                  "Pour la première fois, une section entière est confiée à de jeunes photographes.",
                  "Les plus lus", "Le prix du gazole repart à la hausse", "Mentions légales"]
    flags = site_paragraphs(paragraphs)
    assert flags == [True] * 4 + [False] * 5 + [True] * 3


def test_text_without_prose_is_not_taken_for_a_site():
    assert site_paragraphs(["Pommes", "Poires", "Partager", "Abricots"]) == [False, False, True, False]


def test_boilerplate_precision_and_recall_on_twelve_layouts():
    """Twelve French news pages of different layouts, saved as text: the site's paragraphs
    kept and the article's translated (bench/documents.py reports the same figures)."""
    score = text_score()
    assert score["paragraphs"] > 300
    assert score["precision"] >= 0.95 and score["recall"] >= 0.93, score
    assert score["article_recall"] >= 0.9, score


@needs_apertium
def test_content_main_keeps_the_site_and_reports_it(tmp_path, capsys):
    shutil.copy(SAMPLES / "diplomatie.txt", tmp_path / "a.txt")
    assert main([str(tmp_path / "a.txt"), "--to", "es", "--from", "fr", "--content", "main"]) == 0
    spanish = (tmp_path / "a.es.txt").read_text(encoding="utf-8")
    assert spanish.startswith("Diplomatie\n\n") and spanish.endswith("\n\nClick to comment\n")
    assert "Moscú" in spanish
    err = capsys.readouterr().err
    assert "a.txt: es: 8 of 10 paragraphs translated, 2 kept as site chrome; wrote " in err
    assert main([str(tmp_path / "a.txt"), "--to", "es", "--from", "fr", "--content", "main",
                 "--format", "json", "-q"]) == 0
    segments = json.loads(capsys.readouterr().out)["segments"]
    assert [s["kind"] for s in segments].count("boilerplate") == 2
    assert segments[-1] == {**segments[-1], "kind": "boilerplate", "status": {"es": "unchanged"},
                            "translations": {"es": "Click to comment"}}
    # Without it, every paragraph is translated (the English line as English).
    assert main([str(tmp_path / "a.txt"), "--to", "es", "--from", "fr", "-q", "--format", "json"]) == 0
    assert "boilerplate" not in {s["kind"] for s in json.loads(capsys.readouterr().out)["segments"]}
