"""``format=html`` on ``/translate`` (and ``.html`` on ``/translate_file``) gives what the command
line and :func:`translator.translate_html` give: one unit per block with its inline tags as inline
codes ("Le <b>chat</b> dort." is one sentence), not the text between two tags translated alone.
A real uvicorn server on a loopback port, real Apertium (fr->es, fr->en)."""

from __future__ import annotations

import httpx
import pytest

from translator.documents.html import translate_html
from translator.errors import EngineError
from translator.service.options import ServiceOptions

from .conftest import needs_apertium
from .service_support import http, running, server, translator  # noqa: F401  (fixtures)

pytestmark = needs_apertium

CASES = [
    "<p>Le <b>chat</b> dort.</p>",  # an article before an inline tag
    "<p>Il <em>fait très beau</em> aujourd'hui à Paris.</p>",  # a tag around several words
    '<p>Lisez <a href="https://example.org/doc?a=1&amp;b=2" class="lien" title="La documentation">'
    "la documentation complète</a> avant de commencer.</p>",  # a link with attributes (one read: title)
    "<p>Le <b>petit <i>chat</i> noir</b> dort sur le canapé.</p>",  # nested inline tags
    "<b>Le chat</b> dort.",  # a fragment without a block
    "<ul><li>Le chat <span class=\"x\">dort</span>.</li><li>La mer est <strong>calme</strong>.</li></ul>",
    '<p class="lead">Le chat <b>dort</b> &amp; la mer est calme.</p>'
    '<script>var titre = "Le chat";</script><code>le chat</code>',  # kept elements, entities
]


def library(translator, html: str, target: str, source: str = "fr") -> str:  # noqa: F811
    return translate_html(html, to=target, source=source, translator=translator)[target]


def ask(http, q, target: str, source: str = "fr", **fields) -> httpx.Response:
    return http.post("/translate", json={"q": q, "source": source, "target": target, "format": "html", **fields})


@pytest.mark.parametrize("target", ["es", "en"])
@pytest.mark.parametrize("html", CASES)
def test_one_text_is_what_translate_html_gives(http, translator, html, target):  # noqa: F811
    got = ask(http, html, target)
    assert got.status_code == 200, got.text
    assert got.json() == {"translatedText": library(translator, html, target)}


def test_the_audit_s_example(http):
    assert ask(http, "<p>Le <b>chat</b> dort.</p>", "es").json()["translatedText"] == "<p>El <b>gato</b> duerme.</p>"
    assert ask(http, "<p>Le <b>chat</b> dort.</p>", "en").json()["translatedText"] == "<p>The <b>cat</b> sleeps.</p>"


@pytest.mark.parametrize("target", ["es", "en"])
def test_a_list_of_texts_is_each_what_translate_html_gives_in_order(http, translator, target):  # noqa: F811
    texts = CASES[:4] + ["<p>🙂</p>", "<script>le chat</script>"]
    got = ask(http, texts, target)
    assert got.status_code == 200, got.text
    expected = [library(translator, t, target) for t in texts[:4]] + texts[4:]  # no text: as they came
    assert got.json() == {"translatedText": expected}


def test_auto_source_is_detected_on_the_page_s_text(http, translator):  # noqa: F811
    html = "<p>Le <b>chat</b> dort sur le canapé du salon depuis ce matin.</p>"
    got = ask(http, [html, "<p>✔</p>"], "es", source="auto").json()
    assert got["translatedText"] == [library(translator, html, "es", source="auto"), "<p>✔</p>"]
    assert got["detectedLanguage"][0]["language"] == "fr" and 0 < got["detectedLanguage"][0]["confidence"] <= 100
    assert got["detectedLanguage"][1] == {"confidence": 0.0, "language": "en"}


def test_a_full_page_is_translated_as_translate_html_does(http, translator):  # noqa: F811
    page = ("<!DOCTYPE html><html><head><title>Le chat</title></head><body>"
            "<p>Le <b>chat</b> dort sur le <a href=\"/canape\">canapé</a>.</p></body></html>")
    got = ask(http, page, "es").json()["translatedText"]
    assert got == library(translator, page, "es") and got.startswith('<!DOCTYPE html><html lang="es">')


@pytest.mark.parametrize("html", [
    "<p>Le <b>chat</b> dort sur le canapé.</p>\n<p>Lisez <a href=\"x.html\">la documentation</a>.</p>\n",
    "<p>Le <b>chat</b> dort.</p>\n<p>Lisez <a href=\"x.html\">la documentation</a>.</p>\n",  # ASCII
])
def test_an_html_file_is_what_the_library_gives_for_that_file(server, http, translator, tmp_path, html):  # noqa: F811
    sent = http.post("/translate_file", data={"source": "fr", "target": "es"},
                     files={"file": ("page.html", html.encode())})
    assert sent.status_code == 200, sent.text
    url = sent.json()["translatedFileUrl"]
    got = http.get(url[len(server.url):])
    assert got.status_code == 200
    path = tmp_path / "page.html"
    path.write_bytes(html.encode())
    assert got.content == translator.translate_file(path, to="es", source="fr").data("es")
    if not html.isascii():  # the same units as translate_html (an ASCII file may keep ASCII: &#243;)
        assert got.content.decode("utf-8") == library(translator, html, "es")


def test_a_page_a_browser_reads_differently_is_refused_and_the_server_goes_on(http):
    got = ask(http, '<p>Le chat</p><a href="x>Lien</a> <p class="y">Fin.</p>', "es")
    assert got.status_code == 400 and got.json()["error"].startswith("Invalid request: q:1: malformed tag")
    many = ask(http, ["<p>Le chat.</p>", "<p>La mer <!-- calme</p><p>Fin.</p>"], "es")
    assert many.status_code == 400 and many.json()["error"].startswith("Invalid request: q[1]:1: ")
    assert ask(http, "<p>Le <b>chat</b> dort.</p>", "es").status_code == 200


def test_a_route_that_does_not_exist_is_libretranslate_s_400(http):
    got = ask(http, "<p>Le <b>chat</b> dort.</p>", "zh", source="fr")
    assert got.status_code == 400 and "not available as a target language" in got.json()["error"]


def test_a_busy_engine_times_out_and_a_failing_one_is_a_500(translator, monkeypatch):  # noqa: F811
    with running(ServiceOptions(access_log="off", timeout=2), translator) as srv, \
            httpx.Client(base_url=srv.url, timeout=60) as http:
        stats = srv.service.batcher.stats
        cancelled = stats.cancelled
        with srv.engine_held():
            got = ask(http, "<p>Le <b>chat</b> dort.</p>", "es")
            assert stats.cancelled == cancelled + 1
        assert (got.status_code, got.json()) == (
            500, {"error": "Cannot translate text: no answer within 2 s (the server is busy)"})
        apertium = next(e for e in translator.engines if e.name == "apertium")
        real = apertium.translate

        def failing(texts, source, target, **kw):
            if any("panne" in t for t in texts):
                raise EngineError("the mode crashed")
            return real(texts, source, target, **kw)

        monkeypatch.setattr(apertium, "translate", failing)
        broken = ask(http, "<p>Une <b>panne</b>.</p>", "es")
        assert (broken.status_code, broken.json()) == (500, {"error": "Cannot translate text: the mode crashed"})
        assert ask(http, "<p>Le <b>chat</b> dort.</p>", "es").json()["translatedText"] == "<p>El <b>gato</b> duerme.</p>"


def test_a_glossary_applies_inside_inline_tags_and_its_terms_are_reported(translator, tmp_path):  # noqa: F811
    glossary = tmp_path / "animaux.csv"
    glossary.write_text("fr,es\nchat,minino\n", encoding="utf-8")
    html = "<p>Le <b>chat</b> dort.</p>"
    with running(ServiceOptions(access_log="off", glossaries=[str(glossary)]), translator) as srv, \
            httpx.Client(base_url=srv.url, timeout=60) as http:
        got = ask(http, html, "es").json()
    expected = translate_html(html, to="es", source="fr", translator=translator, glossary=str(glossary))["es"]
    assert got["translatedText"] == expected == "<p>El <b>minino</b> duerme.</p>"
    assert got["terms"] == [{"term": "chat", "required": "minino", "ok": True, "glossary": f"{glossary}:2"}]
