"""Render the HTML review of a sample article and screenshot it with headless Chromium.

    .venv/bin/python bench/screenshot.py     # writes docs/review.png (and docs/review-phone.png)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translator import Translator  # noqa: E402
from translator.formats.html import write_html  # noqa: E402


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("screenshot: Debian chromium is needed (make setup)", file=sys.stderr)
        return 2
    text = (ROOT / "samples" / "diplomatie.txt").read_text(encoding="utf-8")
    doc = Translator(engine="apertium", glossary="news").translate_text(text, to="en,es", name="samples/diplomatie.txt")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "review.html"
        page.write_text(write_html(doc, ["en", "es"]), encoding="utf-8")
        for name, size in (("review.png", "1280,900"), ("review-phone.png", "390,844")):
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--no-first-run", f"--user-data-dir={tmp}/profile", f"--window-size={size}",
                            f"--screenshot={ROOT / 'docs' / name}", page.as_uri()],
                           check=True, capture_output=True, timeout=120)
            print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
