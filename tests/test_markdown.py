"""Markdown in: the structure, URLs, code and HTML markup come back untouched."""

import re
import shutil

import pytest

from translator import Translator
from translator.cli import main
from translator.documents.markdown import _parser, parse, translate_markdown

from .conftest import SAMPLES, needs_apertium

DOC = '''---
title: Le Kremlin répond à la Maison-Blanche
tags: [diplomatie, "Kremlin"]
description: "Les pourparlers reprennent : analyse"
---
# Un **titre** important

Un paragraphe avec `du code`, un [lien vers *le site*](https://example.org/a_b "Titre") et
une ![image du sommet](img/sommet.png) sur deux lignes.

> Une citation de M. Dupont.

- premier point
- second point avec <span class="x">html</span>
  1. sous-point numéroté

| Pays | Capitale |
|---|---|
| France | Paris |

```python
print('bonjour le monde')
```

    code indenté en français

<div class="pub">Publicité en français</div>

Fin du texte avec une URL https://example.org/page et un lien <https://example.org/auto>.
'''


def skeleton(text):
    """What must not change: block structure, URLs, code, HTML markup, front matter keys
    (titles and the text of HTML blocks are translated)."""
    out = []
    for tok in _parser().parse(text):
        out.append((tok.type, tok.tag, tok.nesting, tok.markup, tok.level))
        if tok.type in ("fence", "code_block"):
            out.append(("content", tok.content))
        if tok.type == "html_block":
            out.append(("html tags", re.findall(r"</?[A-Za-z][^\s/>]*", tok.content)))
        if tok.type == "front_matter":
            # top-level keys only: a block scalar's indented lines are its (translated) value
            out.append(("keys", [line.split(":")[0] for line in tok.content.splitlines()
                                 if line and not line[0].isspace()]))
            out.append(("tags", [line for line in tok.content.splitlines() if line.startswith("tags")]))
        for child in tok.children or []:
            if child.type in ("code_inline", "html_inline"):
                out.append((child.type, child.content))
            if child.type in ("link_open", "image"):
                out.append((child.type, child.attrs.get("href"), child.attrs.get("src"), "title" in child.attrs))
            if child.type in ("strong_open", "em_open", "hardbreak"):
                out.append((child.type, child.markup))
    return out


@pytest.fixture(scope="module")
def translated():
    if not shutil.which("apertium"):
        pytest.skip("Apertium not installed (make setup)")
    t = Translator(engine="apertium", glossary="news")
    return translate_markdown(t, DOC, to=["es", "en"], source="fr")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_round_trip_changes_no_structure_url_or_code(translated, lang):
    assert skeleton(translated[lang]) == skeleton(DOC)


def test_text_is_translated_and_code_is_not(translated):
    es = translated["es"]
    assert "title: El Kremlin responde" in es and "Casa Blanca" in es
    assert 'description: "' in es and "conversaciones" in es
    assert 'tags: [diplomatie, "Kremlin"]' in es
    assert "![imagen de la cumbre](img/sommet.png)" in es
    assert "`du code`" in es and "print('bonjour le monde')" in es and "    code indenté en français" in es
    assert '<div class="pub">Publicidad en francés</div>' in es and '"Título")' in es
    assert "| Francia | París |" in es and "> Una cita de M. Dupont." in es
    assert "https://example.org/page" in es and "<https://example.org/auto>" in es


def test_runs_split_text_from_markup():
    units, front = parse("Un **titre** et `code` avec [lien](http://x.y/z).\n")
    assert front is None
    (unit,) = units
    assert unit.runs == [("text", "Un "), ("markup", "**"), ("text", "titre"), ("markup", "**"),
                         ("text", " et "), ("markup", "`code`"), ("text", " avec "), ("markup", "["),
                         ("text", "lien"), ("markup", "](http://x.y/z)"), ("text", ".")]


@needs_apertium
def test_lost_markup_falls_back_to_run_by_run(monkeypatch):
    import translator.terms as terms

    real = terms.translate_protected

    def lossy(translator, texts, source, targets, name, protected, **kw):
        out = real(translator, texts, source, targets, name, protected, **kw)
        return {lang: {k: v.replace("**", "") if protected else v for k, v in table.items()}
                for lang, table in out.items()}

    monkeypatch.setattr(terms, "translate_protected", lossy)
    out = translate_markdown(Translator(engine="apertium"), "Un **titre** important.\n", to=["es"], source="fr")
    assert out["es"].count("**") == 2 and skeleton(out["es"]) == skeleton("Un **titre** important.\n")


@needs_apertium
def test_cli_translates_the_markdown_sample(tmp_path, capsys):
    src = tmp_path / "sport.md"
    shutil.copy(SAMPLES / "sport.md", src)
    assert main([str(src), "--to", "es,en", "-q"]) == 0
    for lang in ("es", "en"):
        out = (tmp_path / f"sport.{lang}.md").read_text(encoding="utf-8")
        assert skeleton(out) == skeleton(src.read_text(encoding="utf-8"))
        assert "(https://www.sixnationsrugby.com/fr/calendrier)" in out


@needs_apertium
def test_front_matter_fields_are_configurable(tmp_path, capsys):
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: Le Kremlin\nsummary: La Maison-Blanche\n---\nLe texte de l'article suit.\n",
                   encoding="utf-8")
    assert main([str(src), "--to", "es", "--front-matter-fields", "summary", "-q"]) == 0
    out = (tmp_path / "a.es.md").read_text(encoding="utf-8")
    assert "title: Le Kremlin\n" in out and "summary: La Casa-Blanca\n" in out


def test_markdown_that_cannot_be_parsed_is_a_clear_error(tmp_path, capsys, monkeypatch):
    import translator.documents.markdown as markdown

    class Broken:
        def parse(self, text):
            raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown, "_parser", lambda: Broken())
    src = tmp_path / "a.md"
    src.write_text("# Titre\n\nTexte.\n", encoding="utf-8")
    assert main([str(src), "--to", "es", "--from", "fr"]) == 3
    assert capsys.readouterr().err.strip() == f"{src}: cannot parse the Markdown: maximum recursion depth exceeded"
    assert list(tmp_path.iterdir()) == [src]


@needs_apertium
def test_pivot_step_runs_once_for_all_targets(monkeypatch):
    from .conftest import spy_steps

    t = Translator(engine="apertium", routes={"it": "fr>es>it"})  # Spanish pivots for both
    steps = spy_steps(t, monkeypatch)
    translate_markdown(t, "# Titre\n\nLe ciel est bleu.\n", to=["es", "en", "it"], source="fr")
    assert sorted(s[:2] for s in steps) == [("es", "en"), ("es", "it"), ("fr", "es")]
