"""Translate the sample news page (samples/web/article.html) to English and Spanish with the
news glossary and screenshot the source and the translations in headless Chromium.

    .venv/bin/python bench/screenshot_html.py   # writes docs/html-article.fr.png, .en.png, .es.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_formats import CHROMIUM, chromium  # noqa: E402
from translator.cli import main as translate  # noqa: E402


def main() -> int:
    if not CHROMIUM:
        print("screenshot: Debian chromium is needed (make setup)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "article.html"
        shutil.copy(ROOT / "samples" / "web" / "article.html", page)
        if translate([str(page), "--to", "en,es", "-g", "news", "-q"]) != 0:
            return 1
        for lang, name in (("fr", "article.html"), ("en", "article.en.html"), ("es", "article.es.html")):
            out = ROOT / "docs" / f"html-article.{lang}.png"
            done = chromium(Path(tmp), Path(tmp) / name, "--hide-scrollbars", "--window-size=1280,1100",
                            f"--screenshot={out}")
            if done.returncode != 0:
                print(done.stderr[-2000:], file=sys.stderr)
                return 1
            print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
