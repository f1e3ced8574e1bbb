"""Language detection through the per-user server: the answers of detection in the run's
own process, given by a real server process; declined, absent or failing, the run detects
by itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from translator import Translator, detection, detection_served, short_lines
from translator.detection_served import ServedDetection
from translator.engines import apertium_server
from translator.errors import InputError

from .conftest import LANGID, needs_apertium, needs_langid

ROOT = Path(__file__).parent.parent
BOILERPLATE = ["Click to comment", "Lire la suite", "Emmanuel Macron", "Read more about this",
               "Partager sur Facebook", "Monde", "Sign up for our newsletter", "12 mars 2024"]


def _documents() -> list[str]:
    """French, English, German, Spanish documents of langid sentences, with short lines
    and boilerplate in other languages between their paragraphs."""
    docs = []
    for n, lang in enumerate(("fr", "en", "de", "es")):
        lines = [x for x in (LANGID / "sentences" / f"{lang}.txt").read_text(encoding="utf-8").splitlines() if x]
        pairs = [x for x in (LANGID / "word-pairs" / f"{lang}.txt").read_text(encoding="utf-8").splitlines() if x]
        paragraphs = [" ".join(lines[4 * k:4 * k + 4]) for k in range(4)]
        paragraphs[1:1] = [BOILERPLATE[2 * n], pairs[0]]
        paragraphs[4:4] = [BOILERPLATE[2 * n + 1], pairs[1]]
        docs.append("\n\n".join(paragraphs))
    return docs


def _status() -> dict:
    return apertium_server.request({"command": "status"})


@pytest.fixture
def server():
    apertium_server.ensure_running()
    return _status()


@needs_langid
def test_the_server_answers_what_the_process_finds_itself(server):
    served = ServedDetection()
    for text in _documents():
        document = detection.detect(text)
        assert served.detect(text) == document
        blocks = [b for b in text.split("\n\n")]
        assert served.paragraphs(blocks, document, detection.SHORT_LINE_CANDIDATES) == \
            detection.paragraphs(blocks, document, detection.SHORT_LINE_CANDIDATES)
    after = _status()
    assert after["detections"] == server["detections"] + 8  # answered there: two requests a document
    assert not served._off


@needs_langid
def test_short_lines_decided_there_with_the_same_candidates(server):
    document = detection.Detection("fr", 0.99)
    lines = [x for x in (LANGID / "word-pairs" / "en.txt").read_text(encoding="utf-8").splitlines() if x][:20]
    lines += [x for x in (LANGID / "word-pairs" / "fr.txt").read_text(encoding="utf-8").splitlines() if x][:20]
    for candidates in (("en",), ("en", "es", "de")):
        local = detection.paragraphs(lines, document, candidates)
        assert ServedDetection().paragraphs(lines, document, candidates) == local
        assert any(d.language == "en" for d in local) and any(d.inherited for d in local)


def test_other_settings_are_declined_and_the_run_detects_itself(server, monkeypatch):
    monkeypatch.setattr(short_lines, "USE_LINGUA", False)  # the server's are the defaults
    served = ServedDetection()
    text = "Le Kremlin a confirmé la nouvelle hier soir.\n\nClick to comment"
    document = served.detect(text)
    assert document == detection.detect(text)
    assert served._off  # declined once, then not asked again
    blocks = text.split("\n\n")
    assert served.paragraphs(blocks, document, ("en",)) == detection.paragraphs(blocks, document, ("en",))
    assert _status()["detections"] == server["detections"] + 1


@pytest.mark.parametrize("change", ["family", "scripts", "code"])
def test_a_server_loaded_before_a_change_declines(server, monkeypatch, change):
    """Settings a library user may change, and files changed under a running server (a
    library installed or upgraded, a checkout edited): the run detects by itself."""
    if change == "family":
        monkeypatch.setitem(detection.FAMILY, "en", "fr")
    elif change == "scripts":
        monkeypatch.setitem(detection.SCRIPTS, "en", "CYRILLIC")
    else:
        files = detection_served._code()
        monkeypatch.setattr(detection_served, "_code", lambda: files[:-1] + [[files[-1][0], 1, 1]])
    served = ServedDetection()
    text = "Le Kremlin a confirmé la nouvelle hier soir.\n\nClick to comment"
    assert served.detect(text) == detection.detect(text)
    assert served._off and _status()["detections"] == server["detections"] + 1


def test_the_code_is_seen_as_it_is_on_disk(tmp_path, monkeypatch):
    copy = tmp_path / "translator"
    copy.mkdir()
    for name in ("detection.py", "detection_profiles.py", "short_lines.py"):
        (copy / name).write_text("# a copy\n", encoding="utf-8")
    monkeypatch.setattr(detection, "__file__", str(copy / "detection.py"))
    before = detection_served._code()
    assert before[2:] == [[str(copy / n), 9, (copy / n).stat().st_mtime_ns]
                          for n in ("detection.py", "detection_profiles.py", "short_lines.py")]
    os.utime(copy / "short_lines.py", ns=(0, 0))
    assert detection_served._code() != before


def test_the_server_keeps_the_environment_it_loaded(monkeypatch):
    monkeypatch.setattr(detection_served, "_loaded", None)
    now = detection_served.environment()
    assert detection_served.answer({"environment": now, "text": "Bonjour à tous, il fait beau."})["document"][0] == "fr"
    monkeypatch.setattr(detection_served, "_code", lambda: ["upgraded"])  # on disk, after it loaded
    assert "error" in detection_served.answer({"environment": detection_served.environment(), "text": "Bonjour."})
    assert "document" in detection_served.answer({"environment": now, "text": "Bonjour à tous, il fait beau."})


def test_large_documents_are_detected_here(server):
    """Loading is what the server saves; a large text's detection is mostly the work itself,
    which parallel runs do side by side in their own processes rather than in line there."""
    served = ServedDetection()
    text = "\n\n".join(["Le Kremlin a confirmé la nouvelle hier soir devant la presse."] * 400)
    assert len(text) > detection_served.MAX_CHARS
    document = served.detect(text)
    assert document == detection.detect(text)
    blocks = text.split("\n\n")
    assert served.paragraphs(blocks, document, ("en",)) == detection.paragraphs(blocks, document, ("en",))
    assert _status()["detections"] == server["detections"] and not served._off


def test_detection_never_starts_the_server():
    served = ServedDetection()
    assert served.detect("Le ciel est bleu au-dessus de la ville ce matin.").language == "fr"
    assert served._off
    assert not apertium_server.socket_path().exists()


def test_errors_name_the_file_as_without_the_server(server):
    served = ServedDetection()
    with pytest.raises(InputError) as caught:
        served.detect("1234 5678 !!", name="chiffres.txt")
    assert caught.value.path == "chiffres.txt" and "no letters" in str(caught.value)
    assert not served._off  # the server answered: it is not the server's failure


def test_a_malformed_request_is_answered_with_an_error():
    env = detection_served.environment()
    assert "error" in detection_served.answer({"environment": env, "paragraphs": ["x"]})
    assert "error" in detection_served.answer({"environment": env, "paragraphs": ["x"], "document": "fr",
                                               "candidates": []})
    assert "error" in detection_served.answer({"environment": ["elsewhere"], "text": "Bonjour à tous."})
    assert detection_served.answer({"environment": env, "text": "1234"}) == {"document": None}


@pytest.mark.parametrize("answers", [
    [{"document": ["fr"]}, {"paragraphs": [["xx", "high", False]]}],
    [{"document": ["zz", 0.99]}, {"paragraphs": [["fr", 1.5, False]]}],  # no such language; no probability
    [{"document": ["fr", True]}, {"paragraphs": [["fr", 0.9]]}],
])
def test_an_unexpected_answer_means_detecting_here(monkeypatch, answers):
    answers = iter(answers)
    monkeypatch.setattr(apertium_server, "request", lambda message, **kw: next(answers))
    served = ServedDetection()
    text = "Le ciel est bleu au-dessus de la ville ce matin, et il fait beau."
    document = served.detect(text)
    assert document == detection.detect(text)
    assert served.paragraphs([text], document, ("en",)) == [detection.detect_paragraph(text, document, ("en",))]


@needs_apertium
def test_a_served_run_loads_neither_langdetect_nor_lingua(server):
    """What the server is for: a small run through it does not load the detection models,
    and translates exactly as a run on its own."""
    code = ("import json, sys\n"
            "from translator import Translator\n"
            "text = 'Le Kremlin a confirmé la nouvelle.\\n\\nClick to comment\\n\\nLe ciel est bleu.'\n"
            "with Translator(engine='apertium', apertium_server=SERVED) as t:\n"
            "    doc = t.translate_text(text, to=['es'])\n"
            "print(json.dumps([doc.text('es'), [s.language for s in doc.segments],\n"
            "                  'langdetect' in sys.modules, 'lingua' in sys.modules]))\n")

    def run(served: bool) -> list:
        done = subprocess.run([sys.executable, "-c", code.replace("SERVED", str(served))], capture_output=True,
                              text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return json.loads(done.stdout)

    alone, served = run(False), run(True)
    assert alone[2] is True
    assert served[:2] == alone[:2] and served[1] == ["fr", "en", "fr"]
    assert served[2:] == [False, False]


def test_an_answer_over_its_limit_is_refused(server):
    with pytest.raises(OSError, match="more than 10 bytes"):
        apertium_server.request({"command": "status"}, limit=10)


@needs_apertium
def test_a_stopped_server_costs_seconds_and_the_run_translates_here(server, monkeypatch):
    """A server that neither answers nor answers a status request (SIGSTOP: stopped, as a
    hung one) is left: detection after its timeout, translation once the server fails its
    status check; the output is the run's own."""
    text = "Le Kremlin a confirmé la nouvelle.\n\nClick to comment\n\nLe ciel est bleu."
    with Translator(engine="apertium") as alone:
        expected = alone.translate_text(text, to=["es"]).text("es")
    monkeypatch.setattr(detection_served, "TIMEOUT", 1.0)
    monkeypatch.setattr(apertium_server, "PATIENCE", 1.0)
    os.kill(server["pid"], signal.SIGSTOP)
    try:
        start = time.monotonic()
        with Translator(engine="apertium", apertium_server=True) as served:
            got = served.translate_text(text, to=["es"]).text("es")
        assert time.monotonic() - start < 15
    finally:
        os.kill(server["pid"], signal.SIGCONT)
    assert got == expected


@needs_apertium
def test_structured_files_ask_the_server_too(server, tmp_path):
    """Markdown, HTML and the other types detect their document through the translator."""
    page = tmp_path / "a.md"
    page.write_text("# Le Kremlin répond\n\nLe Kremlin a confirmé la nouvelle hier soir.\n", encoding="utf-8")
    with Translator(engine="apertium") as alone:
        expected = alone.translate_file(page, to=["es"]).text("es")
    with Translator(engine="apertium", apertium_server=True) as served:
        assert served.translate_file(page, to=["es"]).text("es") == expected
    assert _status()["detections"] > server["detections"]
