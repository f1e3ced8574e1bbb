"""French Word documents built with python-docx, as a newsroom writes them: title, byline,
headings, bold, italic and links inside sentences, a table, a bulleted list, a header
and a footer with page fields, a footnote, a comment, a text box, tabs and line breaks.
Used by the tests, the benchmark (:func:`article` with more sections) and the README's
screenshots."""

from __future__ import annotations

from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LINK = "https://www.insee.fr/fr/statistiques"

SECTIONS = [
    ("La croissance ralentit au troisième trimestre",
     [("Selon les chiffres publiés mardi, la ", ""), ("croissance", "b"), (" de l'économie française a ralenti "
      "au troisième trimestre, à ", ""), ("0,2 %", "b"), (" contre 0,5 % au trimestre précédent.", "")],
     [("Le ministre de l'Économie a jugé ces résultats ", ""), ("encourageants", "i"), (" malgré un contexte "
      "international difficile. Les détails sont disponibles sur ", ""), ("le site de l'Insee", "link"),
      (".", "")]),
    ("Les ménages consomment moins",
     [("La consommation des ménages a reculé pour le ", ""), ("deuxième mois consécutif", "bi"),
      (". Les dépenses en énergie ont baissé de 3 %, tandis que l'alimentation reste stable.", "")],
     [("Les économistes de la ", ""), ("Banque de France", "b"), (" prévoient une reprise modérée au printemps, "
      "portée par la baisse de l'inflation.", "")]),
]

TABLE = [("Indicateur", "T2", "T3"), ("Croissance du PIB", "0,5 %", "0,2 %"),
         ("Consommation des ménages", "0,3 %", "-0,4 %"), ("Taux de chômage", "7,3 %", "7,4 %")]


def _field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES) in *paragraph*: begin, instruction, result, end."""
    from docx.oxml import parse_xml

    runs = (f'<w:r {_ns()}><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {_ns()}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
            f'<w:r {_ns()}><w:fldChar w:fldCharType="separate"/></w:r>',
            f'<w:r {_ns()}><w:t>{shown}</w:t></w:r>',
            f'<w:r {_ns()}><w:fldChar w:fldCharType="end"/></w:r>')
    for xml in runs:
        paragraph._p.append(parse_xml(xml))


def _ns() -> str:
    return f'xmlns:w="{W_NS}"'


def _link(paragraph, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {_ns()} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:id="{rid}"><w:r><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>'
        f'<w:t>{text}</w:t></w:r></w:hyperlink>'))


def _runs(paragraph, pieces) -> None:
    for text, style in pieces:
        if style == "link":
            _link(paragraph, text, LINK)
            continue
        run = paragraph.add_run(text)
        run.bold = "b" in style or None
        run.italic = "i" in style or None


def _footnotes(document, notes: list[str]) -> None:
    """A footnotes part holding *notes* (python-docx has no API for them)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                   f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t></w:r></w:p></w:footnote>'
                   for i, note in enumerate(notes, 1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {_ns()}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
           f'</w:p></w:footnote>{body}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _footnote_reference(paragraph, number: int) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(f'<w:r {_ns()}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                  f'<w:footnoteReference w:id="{number}"/></w:r>'))


def _text_box(paragraph, text: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(
        f'<w:r {_ns()} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape id="encadre" '
        'type="#_x0000_t202" style="width:420pt;height:36pt" stroked="t"><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
        '</w:pict></w:r>'))


def _french(document) -> None:
    """The document's default language: French (python-docx's template says en-US)."""
    lang = document.styles.element.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr/{{{W_NS}}}lang")
    lang.set(f"{{{W_NS}}}val", "fr-FR")
    document.core_properties.language = "fr-FR"
    document.core_properties.title = "La croissance ralentit"


def _document(header: str, *, pages: bool):
    """A French document with *header* and a footer "Page N" (and "sur M", if *pages*)."""
    import docx

    document = docx.Document()
    _french(document)
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    if pages:
        footer.add_run(" sur ")
        _field(footer, "NUMPAGES", "1")
    return document


def _table(document) -> None:
    table = document.add_table(rows=len(TABLE), cols=3)
    table.style = "Table Grid"
    for row, values in zip(table.rows, TABLE):
        for cell, value in zip(row.cells, values):
            cell.text = value


def article(path: Path, *, sections: int = 1) -> Path:
    """The sample article (its body repeated *sections* times) written to *path*."""
    document = _document("Le Quotidien du Soir — Économie", pages=True)
    _footnotes(document, ["Chiffres provisoires publiés par l'Insee le 31 octobre."])
    document.add_heading("L'économie française marque le pas", 0)
    byline = document.add_paragraph()
    byline.add_run("Par Claire Dubois").italic = True
    byline.add_run().add_break()
    byline.add_run("Paris, le 31 octobre")
    for n in range(sections):
        for heading, first, second in SECTIONS:
            document.add_heading(heading, 1)
            paragraph = document.add_paragraph()
            _runs(paragraph, first)
            if n == 0 and heading == SECTIONS[0][0]:
                _footnote_reference(paragraph, 1)
            _runs(document.add_paragraph(), second)
        document.add_heading("Les chiffres du trimestre", 2)
        _table(document)
        for item in ("Investissement des entreprises : stable", "Exportations : en hausse de 1,1 %"):
            document.add_paragraph(item, style="List Bullet")
        quote = document.add_paragraph("« La reprise sera lente mais réelle », a estimé un analyste.",
                                       style="Quote")
        if n == 0:
            document.add_comment(quote.runs, text="Vérifier le nom de l'analyste avant publication.",
                                 author="Rédaction", initials="R")
            document.add_paragraph("Contact presse :\tservice de communication")
            _text_box(document.add_paragraph(), "Encadré : la croissance reste positive pour la dixième fois.")
    document.save(path)
    return path


def report(path: Path, sentences: list[str], *, words: int) -> Path:
    """A long document of *sentences* (about *words* words, 400 to a page): paragraphs of three
    sentences with a word in bold, one in italic every third paragraph and a link every sixth,
    a heading every six paragraphs, a table every twelve; a header, and page numbers in the footer."""
    document = _document("Le Quotidien du Soir — Dossier", pages=False)
    document.add_heading("Dossier : l'actualité de la semaine", 0)
    count, n = 0, 0
    while count < words:
        group = [sentences[(3 * n + k) % len(sentences)] for k in range(3)]
        if n % 6 == 0:
            document.add_heading(" ".join(group[0].split()[:6]).rstrip(",;:"), 1)
        pieces = " ".join(group).split(" ")
        bold, italic, link = len(pieces) // 3, 2 * len(pieces) // 3, len(pieces) // 2
        runs = [(" ".join(pieces[:bold]) + " ", ""), (pieces[bold], "b")]
        if n % 6 == 5:
            runs += [(" " + " ".join(pieces[bold + 1:link]) + " ", ""), (" ".join(pieces[link:link + 3]), "link"),
                     (" " + " ".join(pieces[link + 3:]), "")]
        elif n % 3 == 2:
            runs += [(" " + " ".join(pieces[bold + 1:italic]) + " ", ""), (pieces[italic], "i"),
                     (" " + " ".join(pieces[italic + 1:]), "")]
        else:
            runs.append((" " + " ".join(pieces[bold + 1:]), ""))
        _runs(document.add_paragraph(), runs)
        if n % 12 == 11:
            _table(document)
        count += len(pieces)
        n += 1
    document.save(path)
    return path
