"""Document-type benchmarks: each format's pages per second and the share of time spent
outside the engines, on inputs of realistic sizes.  One function per format.

    .venv/bin/python bench/documents.py html --quick     # a smoke run
"""

from __future__ import annotations

import sys
import time

from common import FLORES, ROOT

sys.path.insert(0, str(ROOT))


def _engine_clock(translator) -> list[float]:
    """Wrap every engine of *translator* so that its time is added to the returned list."""
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


if __name__ == "__main__":
    import json

    which = sys.argv[1] if len(sys.argv) > 1 else "html"
    print(json.dumps({"html": html}[which](quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
