"""Word documents: translated in place, every run's formatting on the right words, everything
else in the package unchanged; the outputs opened again by python-docx and LibreOffice."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from translator import documents
from translator.cli import main
from translator.documents.base import CODE, TEXT, Options
from translator.documents.docx import TYPE, _set_language
from translator.documents.docx_runs import W, place, read_paragraph

from .conftest import needs_apertium
from .docx_samples import LINK, article

docx = pytest.importorskip("docx", reason="python-docx is a dev dependency (make venv)")
from lxml import etree  # noqa: E402  (python-docx's own dependency, and ours)

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NS = f'xmlns:w="{W}"'
needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                   reason="LibreOffice and poppler-utils not installed (make setup)")


def q(local: str) -> str:
    return f"{{{W}}}{local}"


def paragraph(xml: str):
    """A ``w:p`` from its inner XML, and the index of its ``w:t`` elements."""
    p = etree.fromstring(f"<w:p {NS}>{xml}</w:p>")
    return p, {t: i for i, t in enumerate(p.iter(q("t")))}


def r(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


# -- a paragraph's runs as slots and codes (no engine) -------------------------------------
def test_runs_split_without_a_change_of_formatting_are_one_piece_of_text():
    p, index = paragraph(r("Le prési") + '<w:proofErr w:type="spellStart"/>' + r("dent", '<w:lang w:val="fr-FR"/>')
                         + '<w:bookmarkStart w:id="0" w:name="x"/>' + r(" a parlé.") + '<w:bookmarkEnd w:id="0"/>')
    par = read_paragraph(p, index)
    assert par.runs == [(TEXT, "Le président a parlé.")] and par.codes == []
    assert par.slots[0].texts == [0, 1, 2]


def test_formatting_apart_travels_as_pairs_and_what_is_not_text_as_codes():
    p, index = paragraph(
        r("Le ") + r("président", "<w:b/>") + r(" a dit") + "<w:r><w:tab/></w:r>" + r("page ")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("3") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + r(" sur ") + f'<w:hyperlink r:id="rId9" xmlns:r="urn:r">{r("le site", "<w:u/>")}</w:hyperlink>' + r("."))
    par = read_paragraph(p, index)
    assert par.runs == [(TEXT, "Le "), (CODE, "⟦1⟧"), (TEXT, "président"), (CODE, "⟦/1⟧"), (TEXT, " a dit"),
                        (CODE, "⟦3/⟧"), (TEXT, "page "), (CODE, "⟦4/⟧"), (TEXT, " sur "), (CODE, "⟦5⟧"),
                        (TEXT, "le site"), (CODE, "⟦/5⟧"), (TEXT, ".")]
    assert [c.required for c in par.codes] == [False, False, True, True, True, True]  # bold may be lost, not the rest
    # the field's result ("3") is no text of the paragraph: it stays as it is
    assert "3" not in "".join(s.text for s in par.slots)


def test_a_translation_goes_back_into_the_runs_it_came_from():
    p, index = paragraph(r("Une voiture ") + r("rouge", "<w:b/>") + r(" et une maison ") + r("blanche", "<w:i/>") + r("."))
    par = read_paragraph(p, index)
    placed = place(par, "A ⟦1⟧red⟦/1⟧ car and a ⟦3⟧white⟦/3⟧ house.")
    assert placed.usable and placed.pairs_kept == 2 == par.pairs
    assert [placed.texts.get(i, "") for i in range(len(par.slots))] == ["A ", "red", " car and a ", "white", " house."]


def test_pairs_moved_out_of_order_take_the_paragraphs_formatting():
    p, index = paragraph(r("Il a vu ") + r("Pierre", "<w:b/>") + r(" et ") + r("Marie", "<w:i/>") + r(" hier."))
    par = read_paragraph(p, index)
    placed = place(par, "Hier il a vu ⟦3⟧Marie⟦/3⟧ et ⟦1⟧Pierre⟦/1⟧.")
    assert placed.usable and placed.pairs_kept == 1
    texts = [placed.texts.get(i, "") for i in range(len(par.slots))]
    assert "".join(texts) == "Hier il a vu Marie et Pierre." and texts[par.slots.index(par.slots[3])] == "Marie"
    assert texts[1] == ""  # Pierre's bold run is emptied: its word went to the paragraph's own run


def test_a_lost_or_moved_atom_or_link_makes_the_translation_unusable():
    p, index = paragraph(r("Nom :") + "<w:r><w:tab/></w:r>" + r("Jean") + "<w:r><w:br/></w:r>" + r("Ville :"))
    par = read_paragraph(p, index)
    assert place(par, "Name:⟦1/⟧Jean⟦2/⟧City:").usable
    assert not place(par, "Name: Jean⟦2/⟧City:").usable
    assert not place(par, "Name:⟦2/⟧Jean⟦1/⟧City:").usable


def test_a_repeated_code_is_dropped_and_text_between_adjacent_codes_is_kept():
    p, index = paragraph(r("a", "<w:b/>") + r("b", "<w:i/>") + r(" c"))
    par = read_paragraph(p, index)  # the paragraph's own text is " c": a and b are pairs, adjacent
    placed = place(par, "⟦1⟧A⟦/1⟧ et ⟦3⟧B⟦/3⟧⟦3⟧ C")
    assert placed.pairs_kept == 2
    assert [placed.texts.get(i, "") for i in range(len(par.slots))] == ["A et ", "B", " C"]


def test_thousands_of_pairs_in_reverse_order_keep_one_and_lose_no_word():
    p, index = paragraph("".join(r(f"mot{i} ") + r(f"gras{i}", "<w:b/>") for i in range(3000)))
    par = read_paragraph(p, index)
    pairs = list(zip(par.codes[0::2], par.codes[1::2]))
    placed = place(par, " ".join(f"{a.string}X{i}{b.string}" for i, (a, b) in reversed(list(enumerate(pairs)))))
    assert placed.usable and par.pairs == 3000 and placed.pairs_kept == 1
    assert sorted("".join(placed.texts.values()).split()) == sorted(f"X{i}" for i in range(3000))


def test_language_goes_where_the_schema_puts_it():
    run = etree.fromstring(f'<w:r {NS}><w:rPr><w:b/><w:eastAsianLayout/><w:rPrChange/></w:rPr><w:t>x</w:t></w:r>')
    _set_language(run, "es")
    assert [etree.QName(e).localname for e in run.find(q("rPr"))] == ["b", "lang", "eastAsianLayout", "rPrChange"]
    bare = etree.fromstring(f'<w:r {NS}><w:t>x</w:t></w:r>')
    _set_language(bare, "en")
    assert etree.tostring(bare[0]) == f'<w:rPr {NS}><w:lang w:val="en"/></w:rPr>'.encode()


def test_word_documents_are_picked_by_extension_and_by_content(tmp_path):
    head = article(tmp_path / "a.docx").read_bytes()[:8192]
    assert documents.for_file("a.docx", b"")[0].name == "docx"
    assert documents.for_file("-", head)[0].name == "docx"  # standard input: sniffed
    assert documents.for_file("download", head)[0].name == "docx"
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(Exception, match="a zip archive"):
        documents.for_file("report.odt", zipped.getvalue())


def test_formatting_dropped_in_a_rebuilt_document_is_counted(tmp_path):
    data = article(tmp_path / "a.docx").read_bytes()
    parsed = TYPE.read(data, name="a.docx", options=Options())
    texts = {u.id: "".join(s for _, s in u.runs) for u in parsed.units}
    bold = next(u for u in parsed.units if "croissance" in u.texts)
    texts[bold.id] = texts[bold.id].replace("⟦1⟧", "").replace("⟦/1⟧", "")  # the engine lost one pair
    out = parsed.write("fr", texts, set(), [])
    kept, total = parsed.formatting["fr"][1], parsed.formatting["fr"][0]
    assert (kept, total) == (total - 1, total) and f"{kept} of {total} runs" in out.summary
    body = docx.Document(io.BytesIO(out.data)).paragraphs
    first = next(p for p in body if p.text.startswith("Selon"))
    assert first.text.startswith("Selon les chiffres publiés mardi, la croissance de l'économie")
    assert [r.text for r in first.runs if r.bold and r.text] == ["0,2 %"]  # "croissance" took the paragraph's formatting


def test_a_paragraph_whose_tab_or_break_was_lost_is_translated_run_by_run(tmp_path, monkeypatch):
    """An engine that drops every single code (tabs, breaks, fields, references): those
    paragraphs are translated run by run between their codes, which all stay in place."""
    import re

    from translator.documents import units

    def engine(translator, texts, source, targets, name, protected, documents=None):
        out = (lambda t: re.sub(r"⟦\d+/⟧", " ", t)) if protected else str.upper
        return {target: {text: out(text) for text in texts} for target in targets}

    monkeypatch.setattr("translator.terms.translate_protected", engine)
    data = article(tmp_path / "a.docx").read_bytes()
    parsed = TYPE.read(data, name="a.docx", options=Options())
    with_atoms = [u.id for u in parsed.units if any(c.pair is None for c in parsed.paragraphs[u.id][1].codes)]
    done = units.translate_units(None, parsed.units, source="fr", targets=["es"], name="a.docx", verify=parsed.verify)
    assert sorted(done.rebuilt["es"]) == sorted(with_atoms) and len(with_atoms) == 7
    out = parsed.write("es", done.texts["es"], done.rebuilt["es"], [])
    assert out.summary.startswith("es: 24 paragraphs translated (7 run by run: codes lost)")
    document = docx.Document(io.BytesIO(out.data))
    texts = [p.text for p in document.paragraphs]
    assert "PAR CLAIRE DUBOIS\nPARIS, LE 31 OCTOBRE" in texts and "CONTACT PRESSE :\tSERVICE DE COMMUNICATION" in texts
    assert document.sections[0].footer.paragraphs[0].text == "PAGE 1 SUR 1"


# -- real translations ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    if not shutil.which("apertium"):
        pytest.skip("Apertium not installed (make setup)")
    folder = tmp_path_factory.mktemp("docx")
    source = article(folder / "article.docx")
    done = subprocess.run([sys.executable, "-m", "translator", str(source), "--to", "es,en"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return source, done.stderr


def _runs(path: Path) -> list[tuple[str, bool, bool, bool]]:
    """(text, bold, italic, inside a link) of every run with text, links included."""
    body = docx.Document(str(path)).element.body
    out = []
    for run in body.iter(q("r")):
        text = "".join(t.text or "" for t in run.iter(q("t")))
        if text:
            props = run.find(q("rPr"))
            has = (lambda tag: props is not None and props.find(q(tag)) is not None)
            out.append((text, has("b"), has("i"), run.getparent().tag == q("hyperlink")))
    return out


@needs_apertium
def test_formatting_stays_on_the_right_words(translated):
    source, stderr = translated
    es = source.with_name("article.es.docx")
    assert "es: 24 paragraphs translated; 7 of 7 runs formatted apart kept their formatting" in stderr
    runs = _runs(es)
    assert [t for t, b, i, _ in runs if b and not i] == ["crecimiento", "0,2 %", "Banco de Francia"]
    assert [t for t, b, i, _ in runs if i and not b] == ["Por Claire Dubois", "alentadores",
                                                          "Enmarcado : el crecimiento queda positiva para la décima vez."]
    assert [t for t, b, i, _ in runs if b and i] == ["segundo mes consecutivo"]
    assert [t for t, *_, link in runs if link] == ["el website del Insee"]
    paragraphs = docx.Document(str(es)).paragraphs
    assert [p.style.name for p in paragraphs] == [p.style.name for p in docx.Document(str(source)).paragraphs]
    assert paragraphs[0].text == "La economía francesa marca el paso"
    assert paragraphs[1].text == "Por Claire Dubois\nParís, el 31 de octubre"  # the line break kept
    assert next(p.text for p in paragraphs if p.text.startswith("Contact")) == "Contacto Prensa :\tservicio de comunicación"
    assert [h.url for p in paragraphs for h in p.hyperlinks] == [LINK]


@needs_apertium
def test_tables_headers_footers_footnotes_comments_and_text_boxes_are_translated(translated):
    source, _ = translated
    for lang, cell, header, footer, note, comment, box in (
            ("es", "Tasa de paro", "El Diario de la Tarde — Economía", "Página 1 sobre 1",
             " Cifras provisionales publicadas por la Insee lo 31 de octubre.", "Verificar el nombre del analista",
             "Enmarcado : el crecimiento queda positiva"),
            ("en", "Tax of unemployment", "The Newspaper of the Late — Economy", "Page 1 on 1",
             " Provisional figures published by the Insee it 31 October.", "Verify the name of the analyst",
             "Framed : the growth remains positive")):
        out = source.with_name(f"article.{lang}.docx")
        document = docx.Document(str(out))
        assert document.tables[0].rows[3].cells[0].text == cell
        assert document.tables[0].rows[1].cells[1].text == "0,5 %"
        section = document.sections[0]
        assert section.header.paragraphs[0].text == header and section.footer.paragraphs[0].text == footer
        assert document.comments.get(0).text.startswith(comment)
        with zipfile.ZipFile(out) as zf:
            footer_xml, notes = zf.read("word/footer1.xml"), etree.fromstring(zf.read("word/footnotes.xml"))
            body = etree.fromstring(zf.read("word/document.xml"))
        assert b"> PAGE </w:instrText>" in footer_xml and b"> NUMPAGES </w:instrText>" in footer_xml
        assert "".join(t.text for t in notes.iter(q("t"))) == note
        assert notes.find(f".//{q('footnoteRef')}") is not None
        reference = body.find(f".//{q('footnoteReference')}")
        assert "".join(reference.getparent().getparent().itertext()).endswith("trimestre precedente." if lang == "es"
                                                                               else "quarter precedent.")
        assert "".join(body.find(f".//{q('txbxContent')}").itertext()).startswith(box)


def _skeleton(xml: bytes) -> bytes:
    """A part less its texts and languages (what translating may change)."""
    root = etree.fromstring(xml)
    for t in root.iter(q("t"), "{http://purl.org/dc/elements/1.1/}language"):
        t.text = None
        t.attrib.pop(XML_SPACE, None)
    for lang in list(root.iter(q("lang"))):
        lang.getparent().remove(lang)
    for props in list(root.iter(q("rPr"))):
        if not len(props) and not props.attrib:
            props.getparent().remove(props)
    return etree.tostring(root, method="c14n")


@needs_apertium
@pytest.mark.parametrize("lang", ["es", "en"])
def test_nothing_but_texts_and_languages_changes_in_the_package(translated, lang):
    source, _ = translated
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(source.with_name(f"article.{lang}.docx")) as b:
        assert [(i.filename, i.compress_type, i.date_time) for i in a.infolist()] == \
               [(i.filename, i.compress_type, i.date_time) for i in b.infolist()]
        changed = {name for name in a.namelist() if a.read(name) != b.read(name)}
        assert changed == {"word/document.xml", "word/header1.xml", "word/footer1.xml", "word/footnotes.xml",
                           "word/comments.xml", "word/styles.xml", "docProps/core.xml"}
        for name in changed:
            assert _skeleton(a.read(name)) == _skeleton(b.read(name)), name
        body = etree.fromstring(b.read("word/document.xml"))
        styles = etree.fromstring(b.read("word/styles.xml"))
    assert {e.get(q("val")) for e in body.iter(q("lang"))} == {lang}
    assert styles.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}/{q('lang')}").get(q("val")) == lang
    assert docx.Document(str(source.with_name(f"article.{lang}.docx"))).core_properties.language == lang


def _soffice(path: Path, fmt: str, out: Path) -> Path:
    """*path* converted by LibreOffice headless (a profile of its own: runs never share one)."""
    done = subprocess.run(["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                           "--convert-to", fmt, "--outdir", str(out), str(path)],
                          capture_output=True, text=True, timeout=240)
    converted = out / f"{path.stem}.{fmt.split(':')[0]}"
    assert done.returncode == 0 and converted.exists(), done.stderr
    return converted


@needs_apertium
@needs_soffice
def test_libreoffice_opens_the_translation(translated, tmp_path):
    source, _ = translated
    pdf = _soffice(source.with_name("article.es.docx"), "pdf", tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("La economía francesa marca el", "El crecimiento ralentiza al tercer trimestre",
                     "Tasa de paro", "El Diario de la Tarde", "Página 1 sobre 1", "Cifras provisionales"):
        assert expected in text
    assert "croissance" not in text


@needs_apertium
@needs_soffice
def test_a_document_written_by_libreoffice_is_translated_too(translated, tmp_path):
    source, _ = translated
    written = _soffice(source, "docx:MS Word 2007 XML", tmp_path / "lo")
    assert main([str(written), "--to", "es", "-q"]) == 0
    runs = _runs(written.with_name("article.es.docx"))
    assert [t for t, b, i, _ in runs if b and not i] == ["crecimiento", "0,2 %", "Banco de Francia"]
    assert [t for t, *_, link in runs if link] == ["el website del Insee"]


@needs_apertium
def test_json_segments_point_back_to_their_paragraphs(translated, capsys):
    source, _ = translated
    assert main([str(source), "--to", "es", "--format", "json", "-q"]) == 0
    segments = json.loads(capsys.readouterr().out)["segments"]
    with zipfile.ZipFile(source) as zf:
        body = list(etree.fromstring(zf.read("word/document.xml")).iter(q("p")))
        footer = list(etree.fromstring(zf.read("word/footer1.xml")).iter(q("p")))
    checked = 0
    for seg in segments:
        part, _, number = seg["ref"].rpartition("p")
        paragraphs = {"": body, "footer1 ": footer}.get(part)
        if paragraphs is None:
            continue
        text = "".join(t.text for t in paragraphs[int(number) - 1].iter(q("t")))
        pieces = seg["source"].replace("⟦", "\0⟦").replace("⟧", "⟧\0").split("\0")  # text between codes
        assert all(piece in text for piece in pieces if not piece.startswith("⟦")), (seg["ref"], pieces, text)
        checked += 1
    assert checked >= 20 and {s["ref"] for s in segments} >= {"p1", "p4", "footer1 p1", "footnotes p3"}
    assert next(s for s in segments if s["ref"] == "p4")["translations"]["es"].startswith("Según las cifras")


@needs_apertium
def test_standard_input_is_recognised_and_written_as_bytes(tmp_path):
    data = article(tmp_path / "a.docx").read_bytes()
    done = subprocess.run([sys.executable, "-m", "translator", "-", "--to", "es", "-q"], input=data,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert docx.Document(io.BytesIO(done.stdout)).paragraphs[0].text == "La economía francesa marca el paso"
