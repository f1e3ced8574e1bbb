"""Short lines inside documents: how well each paragraph's language is told apart.

Two data sets:

- ``../shared/data/langid`` (fr en es de it pt ru uk; single words, word pairs, sentences):
  each line alone (the detector's own accuracy), and each line as a paragraph of a
  document in its language (what the tool does with a title or a caption: it must keep
  the document's language);
- short lines built from ``../shared/data/flores200-dev``: French documents (4 consecutive
  sentences of an article) each given short lines of 2-6 words taken from a French
  sentence of the same document (a caption, "bien que", "a pris"), and from an English or
  a Spanish sentence (boilerplate inserted in the page).  Lines made only of names
  (no lower-case word) are left out: those take the document's language by design.
  FLORES lines 0-499 were used to choose the thresholds; 500-996 are held out.

Methods compared, all deterministic:

- ``main``: ``detection.detect_paragraph`` as on main (langdetect, short lines told apart
  only as English);
- ``context``: the short-line rule of :mod:`translator.short_lines` without lingua;
- ``lingua``: the same with lingua-language-detector asked where langdetect is unsure
  (only when the optional package is installed).

    .venv/bin/python bench/short_lines.py            # the whole run, a few minutes
    .venv/bin/python bench/short_lines.py --count 200
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import FLORES, SHARED  # noqa: E402

LANGID = SHARED / "data" / "langid"
LANGID_LANGS = ("fr", "en", "es", "de", "it", "pt", "ru", "uk")
SETS = ("single-words", "word-pairs", "sentences")
FLORES_FILES = {"fr": "fra.txt", "en": "eng.txt", "es": "spa.txt"}
TUNING = range(0, 500)
HELD_OUT = range(500, 997)
ARTICLE = 4  # sentences per document
_SEED = 13
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")


def _langid_lines(kind: str, lang: str, count: int) -> list[str]:
    text = (LANGID / kind / f"{lang}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()][:count]


def _span(sentence: str, rng: random.Random) -> str | None:
    """2-6 consecutive words of *sentence*, or None when they are only names."""
    tokens = sentence.split()
    size = rng.randint(2, 6)
    if len(tokens) < size:
        return None
    start = rng.randrange(len(tokens) - size + 1)
    text = " ".join(tokens[start:start + size]).strip(" ,.;:!?«»\"()")
    words = _WORD.findall(text)
    if len(words) < 2 or not any(w.islower() and len(w) > 1 for w in words):
        return None
    return text


def document_cases(lines: range) -> list[tuple[str, str, str]]:
    """(document text, short line, its language) for French documents made of *lines*."""
    flores = {lang: (FLORES / name).read_text(encoding="utf-8").splitlines() for lang, name in FLORES_FILES.items()}
    rng = random.Random(_SEED)
    cases = []
    half = len(lines) // 2
    for first in range(lines.start, lines.stop, ARTICLE):
        document = " ".join(flores["fr"][first:min(first + ARTICLE, lines.stop)])
        for i in range(first, min(first + ARTICLE, lines.stop)):
            partner = lines.start + (i - lines.start + half) % len(lines)  # another article's sentence
            for lang in ("fr", "en", "es"):
                line = _span(flores[lang][i if lang == "fr" else partner], rng)
                if line:
                    cases.append((document, line, lang))
    return cases


#: Each method: settings of translator.short_lines ("main" is the rule on main: lines of
#: 25 letters or more detected freely, short ones by langdetect alone).
METHODS = {
    "main": {"MAX_WORDS": 0, "USE_LINGUA": False},
    "context": {"USE_LINGUA": False},
    "lingua": {"USE_LINGUA": True},
}
#: The run's candidates for a short line: the tool's, and all five other common languages.
CANDIDATE_SETS = {"en": ("en",), "en es de it pt": ("en", "es", "de", "it", "pt")}


class _Settings:
    """Sets attributes of translator.short_lines for a block, then restores them."""

    def __init__(self, **values):
        from translator import short_lines

        self.module, self.values = short_lines, values
        self.saved = {name: getattr(short_lines, name) for name in values}

    def __enter__(self):
        for name, value in self.values.items():
            setattr(self.module, name, value)

    def __exit__(self, *exc):
        for name, value in self.saved.items():
            setattr(self.module, name, value)


def _methods() -> dict[str, dict]:
    from translator import short_lines

    return {k: v for k, v in METHODS.items() if k != "lingua" or short_lines.lingua_installed()}


def _score(cases: list[tuple[str, str, str]], candidates: tuple[str, ...], settings: dict) -> dict:
    """Share of *cases* given their own language, per language; seconds per 1000 lines."""
    from translator import detection

    documents: dict[str, detection.Detection] = {}
    right, total = Counter(), Counter()
    start = time.perf_counter()
    with _Settings(**settings):
        for document, line, lang in cases:
            found = documents.get(document) or documents.setdefault(document, detection.detect(document))
            total[lang] += 1
            right[lang] += detection.detect_paragraph(line, found, candidates).language == lang
    per_1000 = (time.perf_counter() - start) / max(1, len(cases)) * 1000
    return {lang: round(right[lang] / total[lang], 4) for lang in total} | {"s_per_1000_lines": round(per_1000, 2)}


def flores_short_lines(lines: range = HELD_OUT) -> dict:
    cases = document_cases(lines)
    counts = Counter(lang for _, _, lang in cases)
    table = {cands: {name: _score(cases, candidates, settings) for name, settings in _methods().items()}
             for cands, candidates in CANDIDATE_SETS.items()}
    return {"lines": dict(counts), "candidates": table}


def langid_in_french_documents(count: int) -> dict:
    """langid lines as short lines of a French document: French kept, English (and others) found."""
    document = " ".join(_langid_lines("sentences", "fr", 30))
    out = {}
    for kind in ("single-words", "word-pairs"):
        cases = [(document, line, lang) for lang in ("fr", "en", "es") for line in _langid_lines(kind, lang, count)]
        out[kind] = {cands: {name: _score(cases, candidates, settings) for name, settings in _methods().items()}
                     for cands, candidates in CANDIDATE_SETS.items()}
    return out


def langid_alone(count: int) -> dict:
    """Each langid line alone: langdetect (ours, seeded) and lingua, both among the 8 languages."""
    from translator import detection, short_lines

    lingua = short_lines._lingua(LANGID_LANGS) if short_lines.lingua_installed() else None
    out = {}
    for kind in SETS:
        right = Counter()
        lines = [(lang, line) for lang in LANGID_LANGS for line in _langid_lines(kind, lang, count)]
        for lang, line in lines:
            ranked = detection._ranked(line, {c: 1.0 for c in LANGID_LANGS}) if detection.letter_count(line) else []
            right["langdetect"] += bool(ranked) and ranked[0][0] == lang
            right["langdetect_all_55"] += bool(ranked := detection._ranked(line)) and ranked[0][0] == lang
            if lingua is not None:
                found = lingua.detect_language_of(line)
                right["lingua"] += found is not None and short_lines._iso(found) == lang
        out[kind] = {name: round(value / len(lines), 4) for name, value in right.items()} | {"lines": len(lines)}
    return out


_COST_SCRIPT = """
import json, re, sys, time
from pathlib import Path
def rss(): return int(re.search(r"VmRSS:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024
from translator import detection, short_lines
short_lines.USE_LINGUA = False
doc = detection.detect("Le président de la République a rencontré hier soir son homologue allemand à Berlin.")
detection.detect_paragraph("Lire la suite", doc, ("en",))
short_lines.USE_LINGUA = {use_lingua}
before, start = rss(), time.perf_counter()
lines = ["bien que", "Click to comment", "a pris", "patients may continue to", "ouragan d'ici mercredi"]
first = [detection.detect_paragraph(line, doc, {candidates}).language for line in lines]
first_s = time.perf_counter() - start
print(json.dumps({{"first_lines_s": round(first_s, 3), "rss_mb_before": round(before, 1),
                  "rss_mb_after": round(rss(), 1), "lingua_imported": "lingua" in sys.modules}}))
"""


def cost() -> dict:
    """Memory and time of the first short lines decided, in a fresh interpreter; lingua's size."""
    import json
    import subprocess
    from importlib import metadata

    from translator import short_lines

    out: dict = {}
    variants = {"context": (False, ("en",))}
    if short_lines.lingua_installed():
        variants |= {"lingua, en": (True, ("en",)), "lingua, en es de it pt": (True, tuple(CANDIDATE_SETS["en es de it pt"]))}
    for name, (use, candidates) in variants.items():
        code = _COST_SCRIPT.format(use_lingua=use, candidates=candidates)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
        out[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    if short_lines.lingua_installed():
        dist = metadata.distribution("lingua-language-detector")
        size = sum((f.size or 0) for f in dist.files or ())
        out["lingua_package"] = {"version": dist.version, "installed_mb": round(size / 2**20, 1)}
    return out


def run(*, count: int = 200) -> dict:
    """Everything above; *count* langid lines per language and set."""
    from translator import short_lines

    start = time.perf_counter()
    result = {
        "data": f"{LANGID} ({count} lines per language and set); {FLORES} lines {HELD_OUT.start}-{HELD_OUT.stop - 1} "
                f"(held out; {TUNING.start}-{TUNING.stop - 1} chose the thresholds)",
        "settings": {name: getattr(short_lines, name) for name in
                     ("MAX_WORDS", "SURE", "DUEL_PRIOR", "LINGUA_SURE", "LINGUA_VETO")},
        "lingua_installed": short_lines.lingua_installed(),
        "alone": langid_alone(count),
        "langid_in_french_documents": langid_in_french_documents(count),
        "flores_short_lines": flores_short_lines(),
        "cost": cost(),
    }
    result["seconds"] = round(time.perf_counter() - start, 1)
    return result


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def markdown(result: dict) -> str:
    """The figures of :func:`run` as Markdown tables."""
    alone = result["alone"]
    lines = [
        f"Data: {result['data']}. Settings: " + ", ".join(f"`{k} = {v}`" for k, v in result["settings"].items()) + ".",
        "",
        "Each line alone (fr en es de it pt ru uk):",
        "",
        "| set | langdetect, 55 languages | langdetect, among the 8 | lingua, among the 8 |",
        "|---|---:|---:|---:|",
    ]
    for kind, row in alone.items():
        lines.append(f"| {kind} | {_pct(row['langdetect_all_55'])} | {_pct(row['langdetect'])} | "
                     f"{_pct(row.get('lingua'))} |")
    sources = {"FLORES, 2-6 words (held out)": result["flores_short_lines"]["candidates"]}
    sources |= {f"langid {kind}": table for kind, table in result["langid_in_french_documents"].items()}
    lines += ["", "Short lines in French documents: the share of French lines given French, of English "
              "(Spanish) lines given English (Spanish).  A single word always takes the document's language "
              "(\"Monde\", names), hence 0% for foreign single words."]
    for cands in CANDIDATE_SETS:
        lines += ["", f"Candidates `{cands}`"
                  + (" (the tool's):" if cands == "en" else " (for comparison):"), "",
                  "| lines | method | French kept | English found | Spanish found | s per 1000 lines |",
                  "|---|---|---:|---:|---:|---:|"]
        for source, table in sources.items():
            for method, row in table[cands].items():
                lines.append(f"| {source} | {method} | {_pct(row['fr'])} | {_pct(row['en'])} | {_pct(row['es'])} | "
                             f"{row['s_per_1000_lines']} |")
    lines += ["", "Cost of the first short lines in a fresh interpreter (detection already loaded):", "",
              "| method | first 5 lines (s) | RSS before (MB) | after (MB) | lingua imported |",
              "|---|---:|---:|---:|---|"]
    for name, row in result["cost"].items():
        if name != "lingua_package":
            lines.append(f"| {name} | {row['first_lines_s']} | {row['rss_mb_before']} | {row['rss_mb_after']} | "
                         f"{'yes' if row['lingua_imported'] else 'no'} |")
    if "lingua_package" in result["cost"]:
        package = result["cost"]["lingua_package"]
        lines += ["", f"lingua-language-detector {package['version']}: {package['installed_mb']} MB installed."]
    lines += ["", f"Whole run: {result['seconds']} s."]
    return "\n".join(lines) + "\n"


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200, help="langid lines per language and set")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = run(count=args.count)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
