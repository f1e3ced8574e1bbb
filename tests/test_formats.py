"""Review and interchange formats, read back by the tools translators use."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from translator import Translator
from translator.cli import main
from translator.formats.exchange import write_po, write_tmx, write_xliff
from translator.formats.html import write_html
from translator.formats.review import write_markdown

from .conftest import SAMPLES, needs_apertium

TEXT = ("Diplomatie\n\nLa Maison-Blanche a réagi. Le Kremlin a confirmé.\n\n"
        "Le cessez-le-feu tient | pour l'instant.\n\nClick to comment\n")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (make setup)")


def chromium(tmp_path, page, *args):
    """Headless Chromium as the probe runs it: no network chatter, a fresh profile."""
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         *args, page.as_uri()], capture_output=True, text=True, timeout=120)


needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext not installed (make setup)")


@pytest.fixture(scope="module")
def doc():
    if not shutil.which("apertium"):
        pytest.skip("Apertium not installed (make setup)")
    return Translator(engine="apertium", glossary="news").translate_text(TEXT, to="en,es", name="article.txt")


def _sentences(doc):
    return [s for seg in doc.segments for s in seg.sentences]


def test_tmx_read_by_translate_toolkit(doc, tmp_path):
    from translate.storage import tmx

    path = tmp_path / "a.tmx"
    path.write_text(write_tmx(doc, ["en", "es"]), encoding="utf-8")
    store = tmx.tmxfile.parsefile(str(path))
    units = [u for u in store.units if u.source]
    assert [u.source for u in units] == _sentences(doc)
    root = ET.parse(path).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4" and header.get("srclang") == "fr"
    assert header.get("creationtool") == "translator" and header.get("segtype") == "sentence"
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props["x-engine-en"].startswith("apertium") and props["x-glossary"] == "news.csv"
    langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in root.find("body/tu").findall("tuv")]
    assert langs == ["fr", "en", "es"]


def test_xliff_read_by_translate_toolkit(doc, tmp_path):
    from translate.storage import xliff

    path = tmp_path / "a.en.xlf"
    path.write_text(write_xliff(doc, "en"), encoding="utf-8")
    store = xliff.xlifffile.parsefile(str(path))
    units = [u for u in store.units if u.source]
    assert [u.source for u in units] == _sentences(doc)
    assert units[1].target == "The White House has reacted."
    assert all(not u.isapproved() for u in units)
    assert store.gettargetlanguage() == "en" and store.getsourcelanguage() == "fr"
    assert 'state="needs-review-translation"' in path.read_text(encoding="utf-8")


@needs_msgfmt
def test_po_read_by_translate_toolkit_and_compiled_by_msgfmt(doc, tmp_path):
    from translate.storage import po

    path = tmp_path / "a.es.po"
    path.write_text(write_po(doc, "es"), encoding="utf-8")
    store = po.pofile.parsefile(str(path))
    units = [u for u in store.units if not u.isheader()]
    assert [u.source for u in units] == _sentences(doc)
    assert units[1].getcontext() == "2" and units[1].target == "La Casa Blanca ha reaccionado."
    assert all(u.isfuzzy() for u in units if u.source != "Click to comment")
    assert "glossary: news.csv" in units[1].getnotes()
    check = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "a.mo"), str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert check.stderr == ""


def test_markdown_table_is_one_row_per_paragraph(doc):
    md = write_markdown(doc, ["en", "es"])
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows[0] == "| French (fr), source | English (en) | Spanish (es) |"
    assert len(rows) == 1 + len(doc.segments)
    assert "Le cessez-le-feu tient \\| pour l'instant." in md  # pipes escaped


def test_html_is_self_contained_with_terms_and_sentences(doc):
    page = write_html(doc, ["en", "es"])
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # no network asset
    assert page.count('class="row head"') == 1
    assert 'data-s="2.0"' in page and page.count('data-s="2.1"') == 3  # a sentence in each column
    assert '<mark class="term" title="en: White House">Maison-Blanche</mark>' in page
    assert '<mark class="term" title="glossary: Maison-Blanche → Casa Blanca">Casa Blanca</mark>' in page
    assert "@media print" in page and "max-width: 720px" in page


@needs_apertium
@needs_chromium
def test_html_renders_in_headless_chromium(tmp_path, capsys):
    src = tmp_path / "diplomatie.txt"
    shutil.copy(SAMPLES / "diplomatie.txt", src)
    assert main([str(src), "--to", "en,es", "-g", "news", "--format", "html", "-q"]) == 0
    page = tmp_path / "diplomatie.review.html"
    proc = chromium(tmp_path, page, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000", "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    head = re.search(r'<div class="row head"[^>]*>(.*?)</div></div>', dom, re.S).group(1)
    assert head.count('class="cell"') == 3
    assert "French (fr), source" in head and "English (en)" in head and "Spanish (es)" in head
    assert dom.count('class="row paragraph"') + dom.count('class="row title"') == 10
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []


@needs_apertium
def test_cli_writes_one_file_per_target_for_single_language_formats(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("Le Kremlin a parlé.", encoding="utf-8")
    for fmt in ("xliff", "po", "tmx", "html", "markdown"):
        assert main([str(src), "--to", "en,es", "--format", fmt, "-q"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.en.po", "a.en.xlf", "a.es.po", "a.es.xlf", "a.review.html", "a.review.md", "a.tmx", "a.txt"]


@needs_apertium
@needs_chromium
def test_focus_and_hover_highlight_the_counterparts_in_chromium(doc, tmp_path):
    page = write_html(doc, ["en", "es"]).replace("</body>", """<script>
document.addEventListener('DOMContentLoaded', function () {
  setTimeout(function () {
    document.querySelector('.s[data-s="2.0"]').focus();
    document.querySelector('.s[data-s="3.0"]').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  }, 10);
});
</script></body>""")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    proc = chromium(tmp_path, path, "--virtual-time-budget=3000", "--dump-dom")
    highlighted = re.findall(r'class="s hl"[^>]*data-s="([\d.]+)"', proc.stdout)
    assert sorted(highlighted) == ["2.0", "2.0", "2.0", "3.0", "3.0", "3.0"]  # one per column
