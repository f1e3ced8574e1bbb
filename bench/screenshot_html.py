"""Translate the sample news page (samples/web/article.html) to English and Spanish with the
news glossary and screenshot the source and the translations in headless Chromium.

    .venv/bin/python bench/screenshot_html.py   # writes docs/html-article.fr.png, .en.png, .es.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translator.cli import main as translate  # noqa: E402


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("screenshot: Debian chromium is needed (make setup)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "article.html"
        shutil.copy(ROOT / "samples" / "web" / "article.html", page)
        if translate([str(page), "--to", "en,es", "-g", "news", "-q"]) != 0:
            return 1
        for lang, name in (("fr", "article.html"), ("en", "article.en.html"), ("es", "article.es.html")):
            out = ROOT / "docs" / f"html-article.{lang}.png"
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--no-first-run", f"--user-data-dir={tmp}/profile", "--window-size=1280,1100",
                            f"--screenshot={out}", (Path(tmp) / name).as_uri()],
                           check=True, capture_output=True, timeout=120)
            print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
