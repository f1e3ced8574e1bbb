"""Markdown as newsrooms write it: link and image titles (tooltips) and HTML blocks a CMS
left in the article are translated; URLs, labels and markup come back byte for byte."""

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from translator import Translator
from translator.cli import main
from translator.documents.base import Options
from translator.documents.markdown import TYPE, translate_markdown

from .conftest import needs_apertium

ARTICLE = '''# Le Kremlin répond

Selon le [Kremlin](https://kremlin.ru "Site officiel du Kremlin"), la réunion aura lieu
jeudi. Voir ![Une photo](img/a_b.jpg 'Le Kremlin en hiver') et la [dépêche][depeche]
ainsi que le [communiqué](<https://example.org/c (1)> (Le communiqué du ministère)).

> Une citation avec [un lien](https://example.org/q "Le titre de la citation") dedans.

| Pays | Source |
|---|---|
| France | [Élysée](https://elysee.fr "La présidence de la République") |

[Kremlin](https://kremlin.ru "Site officiel du Kremlin")

[depeche]: https://example.org/d "La dépêche complète"
[Note de la rédaction]: https://example.org/n
  (La note de la rédaction)

> [citation]: https://example.org/c
> "La citation
> complète"
'''

HTML = '''Un texte <span class="x">avec du HTML</span> dans la phrase.

<div class="encadre">Un encadré en HTML dans le Markdown.</div>

<p>Un paragraphe HTML.</p>

<div class="a" title="Un encadré sur la réunion">
<p>Le premier paragraphe <em>du bloc</em> parle de la réunion.</p>
<img src="img/x_y.png" alt="Une photo de la réunion">
</div>

> <p>Un paragraphe HTML
> dans une citation.</p>

- Un point de la liste.

  <p>Un paragraphe HTML
  dans la liste.</p>

<p translate="no">Un texte à ne pas traduire.</p>
'''

KEPT = '''<script>
var texte = "Le texte du script";
</script>

<!-- Un commentaire de la rédaction -->

<pre>
Un texte préformaté
</pre>

<style>
.encadre::before { content: "Le style"; }
</style>
'''


def links(text: str) -> list[tuple[str, str, str | None]]:
    """Every link and image of *text* as a Markdown parser reads it: (kind, target, title)."""
    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(("link", child.attrs["href"], child.attrs.get("title")))
            elif child.type == "image":
                found.append(("image", child.attrs["src"], child.attrs.get("title")))
    return found


class _Tags(HTMLParser):
    """Start and end tags with their attributes, the readable ones (translated) left out."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, [(k, v) for k, v in attrs if k not in ("title", "alt")]))

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag,))


def html_blocks(text: str) -> list[tuple[list[int], list[tuple]]]:
    """The HTML blocks of *text* (their lines and their tags), as a Markdown parser reads them."""
    out = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "html_block":
            parser = _Tags()
            parser.feed(token.content)
            out.append((token.map, parser.tags))
    return out


@pytest.fixture(scope="module")
def apertium():
    return Translator(engine="apertium")


@needs_apertium
def test_titles_of_links_images_and_definitions_are_translated(apertium):
    out = translate_markdown(apertium, ARTICLE, to=["es"], source="fr")["es"]
    before, after = links(ARTICLE), links(out)
    assert [(k, target) for k, target, _ in after] == [(k, target) for k, target, _ in before]
    titles = {b[2]: a[2] for b, a in zip(before, after)}
    assert titles == {
        "Site officiel du Kremlin": "Website oficial del Kremlin",
        "Le Kremlin en hiver": "El Kremlin en invierno",
        "La dépêche complète": "La noticia completa",
        "Le communiqué du ministère": "El comunicado del ministerio",
        "Le titre de la citation": "El título de la cita",
        "La présidence de la République": "La presidencia de la República",
    }
    # URLs and labels byte for byte, each title in its own quotes
    for kept in ('](https://kremlin.ru "Website oficial del Kremlin")', "](img/a_b.jpg 'El Kremlin en invierno')",
                 "](<https://example.org/c (1)>", "(El comunicado del ministerio))", "[noticia][depeche]",
                 '[depeche]: https://example.org/d "La noticia completa"\n',
                 "[Note de la rédaction]: https://example.org/n\n  (La nota de la redacción)\n",
                 '> [citation]: https://example.org/c\n> "La cita completa"\n',
                 '| Francia | [Elíseo](https://elysee.fr "La presidencia de la República") |\n'):
        assert kept in out
    env: dict = {}
    MarkdownIt("commonmark").parse(out, env)
    assert {k: (v["href"], v["title"]) for k, v in env["references"].items()} == {
        "DEPECHE": ("https://example.org/d", "La noticia completa"),
        "NOTE DE LA RÉDACTION": ("https://example.org/n", "La nota de la redacción"),
        "CITATION": ("https://example.org/c", "La cita completa"),
    }
    # a paragraph whose only change is its title keeps its line as it was around it
    assert '\n[Kremlin](https://kremlin.ru "Website oficial del Kremlin")\n' in out


@needs_apertium
def test_titles_are_escaped_so_that_the_link_reads_the_translation(apertium):
    src = ('Le [Kremlin](https://kremlin.ru "Le \\"Kremlin\\" répond") et '
           "le [ministère](https://example.org/m (Le ministère \\(Paris\\))) et "
           "[Tom](https://example.org/t 'Tom &amp; le chat \\\\ la souris').\n")
    out = translate_markdown(apertium, src, to=["es"], source="fr")["es"]
    assert [t for _, _, t in links(src)] == ['Le "Kremlin" répond', "Le ministère (Paris)",
                                             "Tom & le chat \\ la souris"]
    assert links(out) == [("link", "https://kremlin.ru", 'El "Kremlin" responde'),
                          ("link", "https://example.org/m", "El ministerio (París)"),
                          ("link", "https://example.org/t", "Tom & el gato \\ el ratón")]
    assert '"El \\"Kremlin\\" responde"' in out and "(El ministerio \\(París\\))" in out


@needs_apertium
def test_a_long_title_is_never_cut_by_re_wrapping(apertium):
    src = ("Un paragraphe assez long pour être coupé en plusieurs lignes lors de la traduction, avec\n"
           '[un lien](https://example.org/l "Un titre assez long qui pourrait être coupé en deux lignes") '
           "au milieu de la phrase qui continue encore un peu.\n")
    out = translate_markdown(apertium, src, to=["es"], source="fr")["es"]
    assert len(out.splitlines()) > 1
    assert links(out) == [("link", "https://example.org/l",
                           "Un título bastante largo que podría estar cortado en dos líneas")]


@needs_apertium
def test_html_blocks_are_translated_with_their_markup_as_it_was(apertium):
    out = translate_markdown(apertium, HTML, to=["es"], source="fr")["es"]
    assert [tags for _, tags in html_blocks(out)] == [tags for _, tags in html_blocks(HTML)]
    for translated in ('<div class="encadre">Un enmarcado en HTML en el Markdown.</div>\n',
                       "<p>Un párrafo HTML.</p>\n",
                       '<div class="a" title="Un enmarcado sobre la reunión">\n',
                       "<p>El primer párrafo <em>del bloque</em> habla de la reunión.</p>\n",
                       '<img src="img/x_y.png" alt="Una foto de la reunión">\n</div>\n',
                       "> <p>Un párrafo HTML en una cita.</p>\n",
                       "- Un punto de la lista.\n\n  <p>Un párrafo HTML en la lista.</p>\n",
                       '<p translate="no">Un texte à ne pas traduire.</p>\n',
                       'Un texto <span class="x">con del HTML</span> en la frase.\n'):
        assert translated in out
    # the blank lines between blocks, the block starts: the same Markdown structure
    kinds = [(t.type, t.level) for t in MarkdownIt("commonmark").parse(out)]
    assert kinds == [(t.type, t.level) for t in MarkdownIt("commonmark").parse(HTML)]


@needs_apertium
def test_script_comment_pre_and_style_blocks_are_kept(apertium):
    src = "Le texte de l'article.\n\n" + KEPT
    out = translate_markdown(apertium, src, to=["es"], source="fr")["es"]
    assert out == "El texto del artículo.\n\n" + KEPT


@needs_apertium
def test_crlf_file_keeps_its_line_ends(apertium):
    src = ('Le [lien](https://example.org "Le titre")\r\n\r\n<div title="Un encadré">Un texte\r\n'
           'sur deux lignes.</div>\r\n\r\n[a]: https://e.org\r\n  "Un titre\r\n  sur deux lignes"\r\n')
    out = translate_markdown(apertium, src, to=["es"], source="fr")["es"]
    assert "\n" not in out.replace("\r\n", "")
    assert out == ('El [vínculo](https://example.org "El título")\r\n\r\n<div title="Un enmarcado">'
                   'Un texto sobre dos líneas.</div>\r\n\r\n[a]: https://e.org\r\n  "Un título sobre dos líneas"\r\n')


@needs_apertium
def test_an_html_block_the_html_type_refuses_is_kept_with_a_warning(apertium, tmp_path, capsys):
    src = "Le texte.\n\n<p>Un paragraphe HTML.</p>\n\n<!-- un commentaire jamais fermé\n\nLa suite.\n"
    done = TYPE.translate(apertium, src.encode(), name="a.md", to=["es"], source="fr", options=Options())
    assert done.outputs[0].data == ("El texto.\n\n<p>Un párrafo HTML.</p>\n\n"
                                    "<!-- un commentaire jamais fermé\n\nLa suite.\n")
    assert done.problems == ["a.md:5: warning: HTML block left untranslated: a comment (<!--) is never closed: "
                             "a browser hides the rest of the page; close it with -->"]


@needs_apertium
def test_cli_translates_the_newsroom_article(tmp_path, capsys):
    src = tmp_path / "article.md"
    src.write_text(ARTICLE + "\n" + HTML + "\n" + KEPT, encoding="utf-8")
    assert main([str(src), "--to", "es", "-q", "-o", str(tmp_path / "out")]) == 0
    out = (tmp_path / "out" / "article.es.md").read_text(encoding="utf-8")
    source = src.read_text(encoding="utf-8")
    assert [target for _, target, _ in links(out)] == [target for _, target, _ in links(source)]
    assert "Site officiel" not in out and "Website oficial del Kremlin" in out
    assert "Un encadré en HTML" not in out and "Un enmarcado en HTML" in out
    assert [tags for _, tags in html_blocks(out)] == [tags for _, tags in html_blocks(source)]
    assert KEPT in out


def test_an_identity_translation_gives_every_byte_back():
    from .test_properties import IdentityEngine, markdown_through

    for text in (ARTICLE, HTML, KEPT, ARTICLE.replace("\n", "\r\n"), HTML.replace("\n", "\r\n")):
        assert markdown_through(IdentityEngine, text) == text
