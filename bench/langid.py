"""Language identification on ../shared/data/langid (fr en es de it pt ru uk; single words,
word pairs, sentences; 1000 lines each): plain langdetect against our detector.

- plain langdetect: ``langdetect.detect`` with its global factory seeded (DetectorFactory.seed = 0);
- ours, alone: ``translator.detection.detect`` on each line by itself (the same model, seeded,
  with language codes normalised);
- ours, in a document: each line as a paragraph of a document written in its language (the
  document's language detected from 30 sentences), with ``detect_paragraph``: what the tool
  does with titles and short lines in an article; the candidates for a short line are the
  run's targets: all 8 languages (the hardest case), or 2 (a typical run).
"""

from __future__ import annotations

import time

from common import SHARED

LANGID = SHARED / "data" / "langid"
LANGS = ("fr", "en", "es", "de", "it", "pt", "ru", "uk")
SETS = ("single-words", "word-pairs", "sentences")


def _lines(kind: str, lang: str, count: int) -> list[str]:
    return [l.strip() for l in (LANGID / kind / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
            if l.strip()][:count]


def run(*, count: int = 1000) -> dict:
    import langdetect
    from langdetect import DetectorFactory

    from translator import detection

    DetectorFactory.seed = 0
    results = {}
    for kind in SETS:
        row = {"plain_langdetect": 0, "ours_alone": 0, "ours_in_document": 0, "ours_in_document_2_targets": 0,
               "lines": 0}
        start = time.perf_counter()
        for lang in LANGS:
            lines = _lines(kind, lang, count)
            document = detection.detect(" ".join(_lines("sentences", lang, 30)))
            for line in lines:
                row["lines"] += 1
                try:
                    plain = langdetect.detect(line)
                except langdetect.LangDetectException:
                    plain = None
                row["plain_langdetect"] += plain == lang
                try:
                    ours = detection.detect(line).language
                except Exception:  # noqa: BLE001 - a line without letters counts as wrong
                    ours = None
                row["ours_alone"] += ours == lang
                row["ours_in_document"] += detection.detect_paragraph(line, document, LANGS).language == lang
                two = tuple(l for l in LANGS if l != lang)[:2]  # a run translating into two languages
                row["ours_in_document_2_targets"] += detection.detect_paragraph(line, document, two).language == lang
        total = row.pop("lines")
        results[kind] = {k: round(v / total, 4) for k, v in row.items()} | {
            "lines": total, "seconds": round(time.perf_counter() - start, 1)}
    return {"data": f"{LANGID} ({', '.join(LANGS)}; {count} lines per language and set)",
            "published_langdetect": {"single-words": 0.45, "word-pairs": 0.70, "sentences": 0.98},
            "sets": results}
