"""The document registry's own table (file endings, and the bytes each content test needs)
against the type modules, and what recognising a plain text imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from translator import documents

from .conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
#: Every file of the repository's samples and tests, and heads made to be near misses.
CORPUS = sorted(p for folder in (SAMPLES, ROOT / "tests") for p in folder.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts)
NEAR_MISSES = [
    b"", b"Le ciel est bleu.\n", b"\xef\xbb\xbfWEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n",
    b"1\n00:00:01,000 --> 00:00:02,000\nBonjour\n", b'msgid ""\nmsgstr ""\n', b"<p>Bonjour</p>",
    b"<!-- x --><!DOCTYPE html><html>", b'<?xml version="1.0"?><xliff version="1.2">', b"PK\x03\x04word/document.xml",
    b"# Titre\n\nTexte.\n", b"---\ntitle: x\n---\n# Titre\n",
]


@pytest.mark.parametrize("name", documents.names())
def test_the_registry_knows_each_types_file_endings(name):
    assert documents.extensions(name) == documents.by_name(name).extensions


@pytest.mark.parametrize("name", [n for n in documents.names() if documents.MODULES[n][1] is not None])
def test_no_content_test_passes_without_the_bytes_the_registry_looks_for(name):
    doctype, needed = documents.by_name(name), documents.MODULES[name][1]
    heads = [p.read_bytes()[:8192] for p in CORPUS] + NEAR_MISSES
    claimed = [h for h in heads if doctype.sniff(h)]
    assert claimed, f"no head in the corpus is {name}: the check would prove nothing"
    assert all(needed in h for h in claimed)
    # Removing those bytes from what the type claims makes it refuse it: they are what it tests.
    assert not any(doctype.sniff(h.replace(needed, b"")) for h in claimed)


def test_recognising_a_plain_text_imports_no_other_document_type():
    script = ("import sys; from translator import documents\n"
              "for name, head in (('-', b'Le ciel est bleu.\\n'), ('a.txt', b'Le ciel.\\n'), ('a.md', b'# T\\n')):\n"
              "    print(documents.for_file(name, head)[0].name)\n"
              "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('translator.documents.')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:3] == ["text", "text", "markdown"]
    loaded = set(eval(out[3]))  # noqa: S307 - our own script's printed list
    assert {"html", "docx", "xliff", "po", "srt", "vtt"}.isdisjoint(loaded), loaded
    # while a head that holds what a type needs still reaches its test
    assert documents.for_file("-", b"<!DOCTYPE html><html><body><p>x</p></body></html>")[0].name == "html"
    assert documents.for_file("page.txt", b"<html><body>x</body></html>")[1].startswith("looks like html")
