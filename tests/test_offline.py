"""Translation opens no network connection and imports neither torch nor stanza."""

import json
import os
import subprocess
import sys
import zipfile

from .conftest import MODEL, needs_apertium, needs_model

PROBE = r"""
import json, sys
events = []
def hook(event, args):
    if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect"):
        events.append(event)
        raise RuntimeError("network use: " + event)
sys.addaudithook(hook)
from translator import Translator
t = Translator(engine="auto")
doc = t.translate_text(sys.argv[1], to="en,es")
print(json.dumps({"events": events, "en": doc.text("en"), "es": doc.text("es"),
                  "modules": sorted(m for m in ("torch", "stanza", "argostranslate", "spacy")
                                    if m in sys.modules)}))
"""


@needs_model
@needs_apertium
def test_translation_is_offline_and_torch_free(tmp_path):
    with zipfile.ZipFile(MODEL) as archive:
        archive.extractall(tmp_path / "packages")
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(tmp_path / "packages"), HOME=str(tmp_path))
    text = "周一，斯坦福大学医学院的科学家宣布，他们发明了一种新型诊断工具。"
    proc = subprocess.run([sys.executable, "-c", PROBE, text], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["events"] == []
    assert result["modules"] == []
    assert "Stanford" in result["en"] and "Stanford" in result["es"]


def test_help_imports_nothing_heavy():
    code = "import sys; from translator.cli import main; main(['--help']); " \
           "print(sorted(m for m in ('ctranslate2','sentencepiece','argostranslate','langdetect','torch') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]"
