"""Document types: units (or pages) per second and the share of the time spent outside
the engines (reading, codes, sentence groups, rebuilding the file), one function per format.

    .venv/bin/python bench/documents.py xliff [--units 2000]
    .venv/bin/python bench/documents.py srt [--minutes 90]
    .venv/bin/python bench/documents.py docx [--pages 20]
    .venv/bin/python bench/documents.py html [--quick]
    .venv/bin/python bench/documents.py text

All of them: ``bench/run.py --only documents`` (tables in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import FLORES  # noqa: E402

WORDS_PER_PAGE = 400


def _engine_clock(translator) -> list[float]:
    """Seconds spent in the engines' translate calls, summed into the returned one-item list."""
    spent = [0.0]
    for engine in translator.engines:
        real = engine.translate

        def timed(texts, source, target, _real=real, **kw):
            start = time.perf_counter()
            try:
                return _real(texts, source, target, **kw)
            finally:
                spent[0] += time.perf_counter() - start

        engine.translate = timed
    return spent


def _sentences() -> list[str]:
    fra = FLORES / "fra.txt"
    if fra.exists():
        return fra.read_text(encoding="utf-8").splitlines()
    return [f"Le ciel est bleu au-dessus de la ville numéro {n}, et la mer est calme." for n in range(997)]


def _measure(doctype, data: bytes, name: str, targets: list[str]) -> dict:
    from translator import Translator
    from translator.documents import Options

    translator = Translator(engine="apertium")
    translator.translate_text("Le ciel est bleu.", to=targets, source="fr")  # engines started
    spent = _engine_clock(translator)
    start = time.perf_counter()
    done = doctype.translate(translator, data, name=name, to=targets, source="fr", options=Options())
    total = time.perf_counter() - start
    start = time.perf_counter()
    parsed = doctype.read(data, name=name, options=Options())
    read = time.perf_counter() - start
    return {"bytes": len(data), "targets": targets, "units": len(parsed.units), "seconds": round(total, 3),
            "units_per_s": round(len(parsed.units) / total, 1), "engine_seconds": round(spent[0], 3),
            "outside_engines_share": round(1 - spent[0] / total, 3), "read_seconds": round(read, 3),
            "summaries": [o.summary for o in done.outputs]}


def xliff_file(units: int) -> bytes:
    """An XLIFF 1.2 file of *units* trans-units as a CAT tool exports a web page: every
    third unit with inline codes (<g>, <x/>), one in ten already translated."""
    sentences = _sentences()
    body = []
    for n in range(units):
        words = sentences[n % len(sentences)].replace("&", "&amp;").replace("<", "&lt;").split()
        if n % 3 == 0 and len(words) > 4:
            words[1] = f'<g id="{n}a" ctype="bold">{words[1]}</g>'
            words[3] = f'{words[3]}<x id="{n}b"/>'
        source = " ".join(words)
        target = '\n        <target state="translated">Ya traducido.</target>' if n % 10 == 9 else ""
        body.append(f'      <trans-unit id="u{n}">\n        <source>{source}</source>{target}\n      </trans-unit>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
            'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n  <file original="site.html" source-language="fr" '
            'datatype="html">\n    <body>\n' + "\n".join(body) + "\n    </body>\n  </file>\n</xliff>\n").encode()


def srt_film(minutes: int) -> bytes:
    """The French subtitles of a *minutes* long film: about 15 cues a minute, two lines of
    at most 42 characters, long sentences running over two or three cues, some in italics."""
    cues, clock, number = [], 1000, 1
    for n, sentence in enumerate(_sentences() * 3):
        if clock > minutes * 60_000:
            break
        lines = textwrap.wrap(sentence, 42)
        for k in range(0, len(lines), 2):
            text = "\n".join(lines[k:k + 2])
            if n % 7 == 0:
                text = f"<i>{text}</i>"
            duration = 1000 + 60 * len(text)
            cues.append(f"{number}\n{_stamp(clock)} --> {_stamp(clock + duration)}\n{text}\n")
            clock += duration + 200
            number += 1
        clock += 800
    return "\n".join(cues).encode()


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def xliff_units_per_second(units: int = 2000, targets: tuple[str, ...] = ("es",)) -> dict:
    """A *units*-unit XLIFF 1.2 file translated fr->*targets* with Apertium."""
    from translator.documents.xliff import TYPE

    return {"format": "xliff", **_measure(TYPE, xliff_file(units), "site.xlf", list(targets))}


def srt_cues_per_second(minutes: int = 90, targets: tuple[str, ...] = ("es",)) -> dict:
    """A *minutes* film's SRT subtitles translated fr->*targets* with Apertium; units are
    sentence groups, cues are counted apart."""
    from translator.documents.srt import TYPE

    data = srt_film(minutes)
    result = _measure(TYPE, data, "film.srt", list(targets))
    cues = data.count(b" --> ")
    return {"format": "srt", "minutes": minutes, "cues": cues,
            "cues_per_s": round(cues / result["seconds"], 1), **result}


def _pages(path: Path, folder: Path) -> tuple[int, str]:
    """The document's pages as LibreOffice lays them out, else estimated from its words."""
    if shutil.which("soffice") and shutil.which("pdfinfo"):
        subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(path)], capture_output=True, timeout=600)
        info = subprocess.run(["pdfinfo", str(folder / f"{path.stem}.pdf")], capture_output=True, text=True)
        for line in info.stdout.splitlines():
            if line.startswith("Pages:"):
                return int(line.split()[1]), "LibreOffice"
    return 0, "estimate"


def docx_pages_per_second(pages: int = 20, targets: tuple[str, ...] = ("es",)) -> dict:
    """A French report of about *pages* pages (FLORES sentences, bold, italic, links, headings,
    tables, header and footer) translated fr->*targets* with Apertium."""
    from tests.docx_samples import SECTIONS, report
    from translator import Translator
    from translator.documents import Options
    from translator.documents.docx import TYPE

    fra = FLORES / "fra.txt"
    sentences = (fra.read_text(encoding="utf-8").splitlines() if fra.exists()
                 else [f"{''.join(t for t, _ in first)} ({n})" for n in range(300) for _, first, _ in SECTIONS])
    with tempfile.TemporaryDirectory() as tmp:
        path = report(Path(tmp) / "report.docx", sentences, words=pages * WORDS_PER_PAGE)
        data = path.read_bytes()
        counted, how = _pages(path, Path(tmp))
        translator = Translator(engine="apertium")
        translator.translate_text("Le ciel est bleu.", to=list(targets), source="fr")  # engines started
        spent = _engine_clock(translator)
        start = time.perf_counter()
        done = TYPE.translate(translator, data, name="report.docx", to=list(targets), source="fr", options=Options())
        total = time.perf_counter() - start
        read = _read_seconds(data)
    counted = counted or pages
    kept = [tuple(map(int, m.groups())) for o in done.outputs
            for m in [re.search(r"(\d+) of (\d+) runs formatted apart", o.summary)] if m]
    return {"format": "docx", "pages": counted, "pages_counted_by": how, "bytes": len(data), "targets": list(targets),
            "seconds": round(total, 3), "pages_per_s": round(counted / total, 2),
            "engine_seconds": round(spent[0], 3), "outside_engines_share": round(1 - spent[0] / total, 3),
            "read_seconds": round(read, 3),
            "formatting_runs_kept": {t: f"{k}/{n}" for t, (k, n) in zip(targets, kept)},
            "summaries": [o.summary for o in done.outputs]}


def _read_seconds(data: bytes) -> float:
    from translator.documents import Options
    from translator.documents.docx import TYPE

    start = time.perf_counter()
    TYPE.read(data, name="report.docx", options=Options())
    return time.perf_counter() - start


def _big_page(size: int) -> str:
    """A news page of about *size* bytes as sites serve them: the sample article's site
    around an article of FLORES French sentences (three to a paragraph, a link in every
    fourth), reader comments, and the page's data as inline JSON (most of a real page)."""
    import json

    sample = (ROOT / "samples" / "web" / "article.html").read_text(encoding="utf-8")
    sentences = (FLORES / "fra.txt").read_text(encoding="utf-8").splitlines()
    paragraphs, i = [], 0
    while sum(map(len, paragraphs)) < size // 4:
        group = [sentences[(i + k) % len(sentences)] for k in range(3)]
        if i % 4 == 0:
            group[1] = f'<a href="/sujets/{i}/">{group[1]}</a>'
        paragraphs.append(f"      <p>{' '.join(group)}</p>\n")
        i += 3
    comments = "".join(f'<li class="commentaire"><p class="auteur">Lecteur {k}</p><p>{sentences[-1 - k]}</p></li>\n'
                       for k in range(min(200, len(sentences))))
    data = json.dumps({"articles": [{"id": k, "titre": sentences[k % len(sentences)], "url": f"/a/{k}.html"}
                                    for k in range(size // 200)]}, ensure_ascii=False)
    page = sample.replace('    <div class="corps">\n', '    <div class="corps">\n' + "".join(paragraphs), 1)
    page = page.replace("  </section>\n</main>", f'  <ol class="fil">{comments}</ol></section>\n</main>', 1)
    filler = max(0, size - len(page.encode("utf-8")) - 60)
    data = data[:filler].rsplit(",", 1)[0] + "]}" if len(data) > filler else data
    return page.replace("</body>", f'<script id="__DATA__" type="application/json">{data}</script>\n</body>', 1)


def _readability(page: str):
    """The same matching with readability-lxml's article instead of trafilatura's."""
    from lxml import html as lxml_html
    from readability import Document

    from translator.documents.html_content import Extraction, normalized

    doc = Document(page)
    root = lxml_html.fromstring(doc.summary(html_partial=True))
    blocks = [normalized(e.text_content()) for e in root.iter() if isinstance(e.tag, str)]
    images = {v for e in root.iter("img") for v in (e.get("src"), e.get("alt")) if v}
    return Extraction([b for b in blocks if b], normalized(doc.short_title()), [], images)


def html(*, size: int = 1_000_000, quick: bool = False) -> dict:
    """HTML: a page of *size* bytes translated end to end (fr->es, Apertium), the cost of
    reading and rebuilding it alone against the engines' time; the twelve news pages per
    second; and how well trafilatura and readability-lxml tell the article from the site."""
    from tests.html_pages import pages, score
    from translator import Translator
    from translator.documents.base import Options
    from translator.documents.html import TYPE, Page
    from translator.documents.html_content import extract
    from translator.documents.html_tokens import tokenize

    size = 100_000 if quick else size
    page = _big_page(size)
    data = page.encode("utf-8")
    start = time.perf_counter()
    parsed = Page(page, tokenize(page, name="big.html"), name="big.html")
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    extract(page, name="big.html")
    extract_s = time.perf_counter() - start
    same = {u.id: "".join(s for _, s in u.source_runs or u.runs) for u in parsed.units}
    shouted = {u.id: "".join(s.upper() if k == "text" else s for k, s in u.runs) for u in parsed.units}
    start = time.perf_counter()
    assert parsed.rebuild("fr", same).count("<") == page.count("<")
    parsed.rebuild("es", shouted)
    rebuild_s = (time.perf_counter() - start) / 2
    with Translator(engine="apertium") as translator:
        engines = _engine_clock(translator)
        start = time.perf_counter()
        TYPE.translate(translator, data, name="big.html", to=["es"], source="fr", options=Options(content="all"))
        total_s, big_engines_s = time.perf_counter() - start, engines[0]
        news = pages()[:4] if quick else pages()
        start = time.perf_counter()
        for name, text, _ in news:
            TYPE.translate(translator, text.encode("utf-8"), name=name, to=["es"], source="fr", options=Options())
        pages_s, pages_engine_s = time.perf_counter() - start, engines[0] - big_engines_s
    return {
        "big_page": {"bytes": len(data), "units": len(parsed.units), "parse_s": round(parse_s, 3),
                     "rebuild_s": round(rebuild_s, 3), "extract_main_s": round(extract_s, 3),
                     "end_to_end_s": round(total_s, 2), "engines_s": round(big_engines_s, 2),
                     "outside_engines_share": round(1 - big_engines_s / total_s, 3)},
        "news_pages": {"pages": len(news), "pages_per_s": round(len(news) / pages_s, 2),
                       "outside_engines_share": round(1 - pages_engine_s / pages_s, 3)},
        "boilerplate": {"trafilatura": {k: v for k, v in score().items() if k != "misses"},
                        "readability-lxml": {k: v for k, v in score(_readability).items() if k != "misses"}},
    }


def text() -> dict:
    """Web pages saved as plain text (``--content main``): how well the site's paragraphs
    are told apart from the article's, on the twelve layouts, on the six used to tune the
    rules (even-numbered) and on the six held out (odd-numbered)."""
    from tests.html_pages import text_score

    return {"all": text_score(), "tuned_on": text_score(lambda k: k % 2 == 0),
            "held_out": text_score(lambda k: k % 2 == 1)}


def run(*, quick: bool = False) -> dict:
    """Every document type: the bench part 'documents'."""
    return {"html": html(quick=quick), "text": text(),
            "docx": docx_pages_per_second(4 if quick else 20),
            "xliff": xliff_units_per_second(200 if quick else 2000),
            "srt": srt_cues_per_second(10 if quick else 90)}


def render(r: dict) -> list[str]:
    big, news = r["html"]["big_page"], r["html"]["news_pages"]
    out = ["", "## Documents: HTML, Word, XLIFF, subtitles (Apertium fr->es)", "",
           "Time outside the engines is reading the file, inline codes, sentence groups and rebuilding it "
           "(`bench/documents.py`).", "",
           "| input | size | units | time (s) | rate | outside the engines |", "|---|---|---:|---:|---|---:|",
           f"| HTML page, every text (`--content all`) | {big['bytes']:,} bytes | {big['units']} | "
           f"{big['end_to_end_s']} | read {big['parse_s']} s, rebuild {big['rebuild_s']} s | "
           f"{big['outside_engines_share']:.1%} |",
           f"| news pages (`--content main`) | {news['pages']} pages | | | {news['pages_per_s']} pages/s | "
           f"{news['outside_engines_share']:.1%} |"]
    d, x, s = r["docx"], r["xliff"], r["srt"]
    out += [f"| Word report | {d['pages']} pages ({d['pages_counted_by']}) | | {d['seconds']} | "
            f"{d['pages_per_s']} pages/s | {d['outside_engines_share']:.1%} |",
            f"| XLIFF 1.2 | {x['bytes']:,} bytes | {x['units']} | {x['seconds']} | {x['units_per_s']} units/s | "
            f"{x['outside_engines_share']:.1%} |",
            f"| SRT film | {s['minutes']} min, {s['cues']} cues | {s['units']} | {s['seconds']} | "
            f"{s['cues_per_s']} cues/s | {s['outside_engines_share']:.1%} |",
            "", f"Word: formatting runs kept {', '.join(f'{t}: {v}' for t, v in d['formatting_runs_kept'].items())}.",
            "", "### The article and the site around it", "",
            "Twelve French news pages of different layouts (tests/html_pages.py). Precision: paragraphs kept "
            "as site text that are site text; recall: site text kept; article: the article's paragraphs "
            "translated. Plain text: the same pages saved as text, the rules tuned on six layouts.", "",
            "| input | method | precision | recall | article translated |", "|---|---|---:|---:|---:|"]
    for name, score in r["html"]["boilerplate"].items():
        out.append(f"| HTML | {name} | {score['precision']} | {score['recall']} | {score['article_recall']} |")
    for name, label in (("tuned_on", "6 layouts tuned on"), ("held_out", "6 layouts held out"), ("all", "all 12")):
        score = r["text"][name]
        out.append(f"| text, {label} | translator.site_text | {score['precision']} | {score['recall']} | "
                   f"{score['article_recall']} |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=["xliff", "srt", "docx", "html", "text"])
    parser.add_argument("--quick", action="store_true", help="html: 4 news pages, not all")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--minutes", type=int, default=90)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    result = {"xliff": lambda: xliff_units_per_second(args.units), "srt": lambda: srt_cues_per_second(args.minutes),
              "docx": lambda: docx_pages_per_second(args.pages),
              "html": lambda: html(quick=args.quick), "text": text}[args.format]()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
