"""The README's Word pictures: samples/economie.docx (built by tests/docx_samples.py) and its
Spanish translation, each converted to PDF by LibreOffice headless, its first page rendered
by pdftoppm.

    .venv/bin/python bench/docx_screenshot.py     # writes docs/docx-fr.png and docs/docx-es.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("docx_screenshot: LibreOffice and poppler-utils are needed (make setup)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = Path(shutil.copy(ROOT / "samples" / "economie.docx", folder / "economie.docx"))
        subprocess.run([sys.executable, "-m", "translator", str(source), "--to", "es", "-q"], check=True, timeout=300)
        for path, lang in ((source, "fr"), (folder / "economie.es.docx", "es")):
            subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                           check=True, capture_output=True, timeout=300)
            subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "72", "-png", "-singlefile",
                            str(folder / f"{path.stem}.pdf"), str(ROOT / "docs" / f"docx-{lang}")], check=True)
            print(f"wrote docs/docx-{lang}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
