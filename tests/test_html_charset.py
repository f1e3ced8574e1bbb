"""HTML pages read by their consumers: a page that declares no charset reads right in a
browser that falls back to Windows-1252 (html5lib with the HTML encoding sniffing
defaults and no guessing, as a browser without a charset; headless Chromium when
installed), pages that declare one come back in it as before; the readable attributes
of a ``<textarea>`` are translated like an ``<input>``'s."""

from __future__ import annotations

import pytest

from translator.cli import main

from .conftest import needs_apertium
from .test_formats import chromium, needs_chromium

SENTENCE = "Le pr&eacute;sident a parl&eacute; &agrave; la t&eacute;l&eacute;vision."
TRANSLATION = "El presidente ha hablado a la televisión."


def _translate(tmp_path, name: str, data: bytes, *args: str) -> bytes:
    page = tmp_path / name
    page.write_bytes(data)
    assert main([str(page), "--to", "es", "-q", "-o", str(tmp_path / "out"), *args]) == 0
    return (tmp_path / "out" / name.replace(".", ".es.", 1)).read_bytes()


def _browser_text(data: bytes, *, transport: str | None = None) -> tuple[str, str]:
    """(the text of the page's ``<p>`` elements, the encoding used) as a browser reads the
    bytes: BOM, ``<meta>`` prescan, the server's charset if any, else Windows-1252 (the
    HTML default for a Western locale), no guessing from the content."""
    import html5lib

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parse(data, useChardet=False, default_encoding="windows-1252", transport_encoding=transport)
    return " ".join("".join(p.itertext()) for p in root.iter("p")), parser.documentEncoding


@needs_apertium
@pytest.mark.parametrize("source", [
    f"<p>{SENTENCE}</p>\n",  # a fragment
    f"<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<title>Info</title>\n</head>\n<body>\n<p>{SENTENCE}</p>\n"
    "</body>\n</html>\n",  # a full page with no charset
    f"<html><body><p>{SENTENCE}</p></body></html>",  # no <head> at all
], ids=["fragment", "page", "no-head"])
def test_an_ascii_page_without_a_charset_stays_ascii_and_reads_right_in_a_browser(tmp_path, source):
    out = _translate(tmp_path, "info.html", source.encode("ascii"), "--content", "all")
    text, encoding = _browser_text(out)
    assert encoding == "windows-1252" and text == TRANSLATION  # not "televisiÃ³n"
    assert out.isascii()  # as the source: readable whatever encoding is guessed
    assert b"televisi&oacute;n" in out  # named, as the page names its accents
    assert _browser_text(out, transport="utf-8")[0] == TRANSLATION  # and as a server that says UTF-8
    if source.startswith("<p>"):
        assert out.decode("ascii") == "<p>El presidente ha hablado a la televisi&oacute;n.</p>\n"  # nothing added


@needs_apertium
def test_a_page_without_names_gets_numeric_references(tmp_path):
    out = _translate(tmp_path, "matin.html", b"<p>Le ciel est bleu ce matin.</p>\n")
    assert out == b"<p>El cielo es azul esta ma&#241;ana.</p>\n"
    assert _browser_text(out)[0] == "El cielo es azul esta mañana."


@needs_apertium
@pytest.mark.parametrize("meta", ['<meta charset="utf-8">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'])
def test_a_page_that_declares_its_charset_is_written_in_it_as_before(tmp_path, meta):
    source = f"<html><head>{meta}<title>Info</title></head><body><p>{SENTENCE}</p></body></html>"
    out = _translate(tmp_path, "info.html", source.encode("ascii"), "--content", "all")
    assert "televisión".encode() in out and b"&oacute;" not in out  # raw UTF-8, as it says
    assert _browser_text(out) == (TRANSLATION, "utf-8")


@needs_apertium
def test_a_page_already_beyond_ascii_keeps_its_encoding(tmp_path):
    source = "<p>Le président a parlé à la télévision.</p>\n"
    assert _translate(tmp_path, "utf8.html", source.encode()) == f"<p>{TRANSLATION}</p>\n".encode()
    assert _translate(tmp_path, "cp1252.html", source.encode("cp1252")) == f"<p>{TRANSLATION}</p>\n".encode("cp1252")


@needs_apertium
@needs_chromium
def test_chromium_reads_the_ascii_page(tmp_path):
    # (Chromium guesses UTF-8 for a file:// page with no charset, so it read the raw
    # UTF-8 right too: the fallback without guessing is html5lib's check above)
    out = _translate(tmp_path, "info.html", f"<p>{SENTENCE}</p>\n".encode("ascii"))
    page = tmp_path / "shown.html"
    page.write_bytes(out)
    done = chromium(tmp_path, page, "--dump-dom")
    assert f"<p>{TRANSLATION}</p>" in done.stdout, done.stderr[-2000:]


@needs_apertium
def test_textarea_placeholder_and_title_are_translated_like_an_inputs(tmp_path):
    source = ('<form><p><input type="text" placeholder="Votre nom" title="Votre nom complet"></p>\n'
              '<p><textarea name="m" placeholder="Votre nom" title="Votre nom complet" aria-label="Votre message">'
              "Votre nom</textarea></p>\n"
              '<p><textarea placeholder="Votre nom" translate="no"></textarea></p></form>\n'
              '<iframe src="carte.html" title="Votre nom"></iframe>\n').encode()
    out = _translate(tmp_path, "form.html", source, "--from", "fr").decode()
    assert out == ('<form><p><input type="text" placeholder="Vuestro nombre" title="Vuestro nombre completo"></p>\n'
                   '<p><textarea name="m" placeholder="Vuestro nombre" title="Vuestro nombre completo" '
                   'aria-label="Vuestro mensaje">Votre nom</textarea></p>\n'  # the field's value is kept
                   '<p><textarea placeholder="Votre nom" translate="no"></textarea></p></form>\n'
                   '<iframe src="carte.html" title="Vuestro nombre"></iframe>\n')
