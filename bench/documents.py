"""Document types: pages per second and the share of the time spent outside the engines
(reading, codes, rebuilding and writing the file), one function per format.

    .venv/bin/python bench/documents.py docx [--pages 20]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=["docx"])
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(docx_pages_per_second(args.pages), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
