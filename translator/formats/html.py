"""A self-contained HTML page to review a translation: one column per language,
rows aligned by paragraph, no network asset.

Hovering or focusing a sentence highlights it in every column; glossary terms are
marked, with the required form in a tooltip (red when the output lacks it).  On a
phone the columns stack, each cell labelled with its language; it prints cleanly.
"""

from __future__ import annotations

import html

from .. import __version__
from ..document import Document, Segment
from ..glossary import fold
from .review import engine_summary, label

CSS = """
:root { --accent: #1d4ed8; --mark: #fef3c7; --hl: #dbeafe; --bad: #fee2e2; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111827; background: #fff; }
header { padding: 1rem 1.5rem; border-bottom: 1px solid #e5e7eb; }
header h1 { font-size: 1.2rem; margin: 0 0 .25rem; }
header p { margin: 0; color: #4b5563; font-size: .9rem; }
main { padding: 0 1.5rem 2rem; }
.row { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); gap: 1.5rem; padding: .6rem 0; border-bottom: 1px solid #f3f4f6; }
.row.head { position: sticky; top: 0; background: #fff; font-weight: 600; color: var(--accent); border-bottom: 2px solid var(--accent); z-index: 1; }
.cell { white-space: pre-wrap; overflow-wrap: anywhere; }
.title .cell { font-weight: 600; font-size: 1.1rem; }
.s { border-radius: 3px; outline: none; }
.s.hl, .s:focus { background: var(--hl); }
mark.term { background: var(--mark); border-bottom: 2px dotted #b45309; cursor: help; }
mark.term.missing { background: var(--bad); border-bottom-color: #b91c1c; }
.cell[data-label]::before { display: none; }
footer { padding: 1rem 1.5rem; color: #6b7280; font-size: .8rem; }
@media (max-width: 720px) {
  .row { grid-template-columns: 1fr; gap: .35rem; }
  .row.head { display: none; }
  .cell[data-label]::before { display: block; content: attr(data-label); font-size: .75rem; font-weight: 600; color: var(--accent); }
}
@media print {
  .row.head { position: static; }
  .s.hl, .s:focus { background: none; }
  .row { break-inside: avoid; }
  mark.term { background: none; border-bottom: 1px solid #000; }
}
"""

SCRIPT = """
document.addEventListener('DOMContentLoaded', function () {
  function mark(on) {
    return function (event) {
      var s = event.target.closest && event.target.closest('.s');
      if (!s) return;
      document.querySelectorAll('.s[data-s="' + s.dataset.s + '"]').forEach(function (el) {
        el.classList.toggle('hl', on);
      });
    };
  }
  var main = document.querySelector('main');
  main.addEventListener('mouseover', mark(true));
  main.addEventListener('mouseout', mark(false));
  main.addEventListener('focusin', mark(true));
  main.addEventListener('focusout', mark(false));
});
"""


def _marked(text: str, spans: list[tuple[int, int, str, bool]]) -> str:
    """*text* escaped, with ``<mark>`` around the spans (start, end, tooltip, ok)."""
    out, cursor = [], 0
    for start, end, title, ok in sorted(spans):
        if start < cursor:
            continue
        out.append(html.escape(text[cursor:start]))
        cls = "term" if ok else "term missing"
        out.append(f'<mark class="{cls}" title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def _find_all(text: str, form: str) -> list[tuple[int, int]]:
    hay, needle, found, start = fold(text), fold(form), [], 0
    while needle and (start := hay.find(needle, start)) != -1:
        found.append((start, start + len(needle)))
        start += len(needle)
    return found


def _sentences_html(seg: Segment, lang: str, source_lang: str, targets: list[str]) -> str:
    is_source = lang == source_lang
    texts = seg.sentences if is_source else seg.sentence_translations.get(lang, [])
    parts = []
    for i, sentence in enumerate(texts):
        spans: list[tuple[int, int, str, bool]] = []
        for target in targets:
            for term in seg.terms.get(target, []):
                if term["sentence"] != i:
                    continue
                if is_source:
                    for a, b in _find_all(sentence, term["term"]):
                        spans.append((a, b, f"{target}: {term['required']}", term["ok"]))
                elif target == lang:
                    where = _find_all(sentence, term["required"])
                    spans += [(a, b, f"glossary: {term['term']} → {term['required']}", True) for a, b in where]
        parts.append(f'<span class="s" tabindex="0" data-s="{seg.id}.{i}">{_marked(sentence, spans)}</span>')
    missing = [t for t in seg.terms.get(lang, []) if not t["ok"]] if not is_source else []
    note = "".join(f' <mark class="term missing" title="required: {html.escape(t["required"])}">'
                   f'[{html.escape(t["required"])}?]</mark>' for t in missing)
    return " ".join(parts) + note


def write_html(doc: Document, targets: list[str]) -> str:
    langs = [doc.source_language, *targets]
    rows = []
    head = "".join(f'<div class="cell" lang="{l}">{html.escape(label(l, l == doc.source_language))}</div>' for l in langs)
    rows.append(f'<div class="row head" role="row">{head}</div>')
    for seg in doc.segments:
        cells = "".join(
            f'<div class="cell" lang="{l}" data-label="{html.escape(label(l))}">'
            f'{_sentences_html(seg, l, doc.source_language, targets)}</div>' for l in langs)
        rows.append(f'<div class="row {seg.kind}" id="p{seg.id}" role="row">{cells}</div>')
    engines = "; ".join(f"{label(t)}: {html.escape(engine_summary(doc, t))}" for t in targets)
    required, present = doc.term_counts()
    terms = f" · glossary: {present}/{required} terms in their required form" if required else ""
    return f"""<!doctype html>
<html lang="{doc.source_language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="translator {__version__}">
<title>{html.escape(doc.name)}: review</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>{html.escape(doc.name)}</h1><p>Machine translation for review · {engines}{terms}</p></header>
<main style="--cols: {len(langs)}" role="table">
{chr(10).join(rows)}
</main>
<footer>Generated by translator {__version__}. Hover or focus a sentence to see it in every language.</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
