"""Large plain-text inputs are translated piece by piece: the output is the one the whole
document would give, written whole or not at all."""

from __future__ import annotations

import pytest

from translator import chunks
from translator.cli import main
from translator.errors import ExitCode

from .conftest import flores, needs_apertium, needs_flores


@pytest.mark.parametrize("text", [
    "Un.\n\nDeux.\n\n\n\nTrois.\n" * 50,
    "Une très longue phrase sans fin. Une autre Phrase. " * 200,  # one overlong paragraph
    "ligne\n" * 500,
    "x" * 1000,
])
def test_pieces_join_back_exactly_and_stay_bounded(text):
    parts = list(chunks.pieces(text, size=100))
    assert "".join(parts) == text
    assert all(len(p) <= 4 * 100 + 200 for p in parts)
    assert len(parts) > 1


def test_pieces_end_at_paragraph_boundaries_when_there_are_some():
    text = "".join(f"Paragraphe {i}. Le ciel est bleu.\n\n" for i in range(100))
    for part in list(chunks.pieces(text, size=300))[:-1]:
        assert part.endswith("\n\n") and not part.startswith("\n")


@needs_apertium
@needs_flores
def test_a_large_file_gives_the_same_output_as_the_whole_document(tmp_path, monkeypatch, capsys):
    lines = flores("fra", 0, 120)
    text = "Titre\n\n" + "\n\n".join(" ".join(lines[i:i + 3]) for i in range(0, 120, 3)) + "\n\nClick to comment\n"
    src = tmp_path / "long.txt"
    src.write_text(text, encoding="utf-8")
    assert main([str(src), "--to", "es,en", "-o", str(tmp_path / "whole"), "-q"]) == 0
    monkeypatch.setattr(chunks, "THRESHOLD", 1000)  # as if the file were large
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 2000)
    assert len(list(chunks.pieces(text, size=2000))) > 5
    spy = []
    real = chunks.Notes.add
    monkeypatch.setattr(chunks.Notes, "add", lambda self, doc: (spy.append(doc), real(self, doc)))
    assert main([str(src), "--to", "es,en", "-o", str(tmp_path / "pieces")]) == 0
    assert len(spy) > 5  # translated piece by piece
    err = capsys.readouterr().err
    assert f"{src}: wrote {tmp_path / 'pieces' / 'long.es.txt'}, {tmp_path / 'pieces' / 'long.en.txt'}" in err
    for lang in ("es", "en"):
        whole = (tmp_path / "whole" / f"long.{lang}.txt").read_text(encoding="utf-8")
        assert (tmp_path / "pieces" / f"long.{lang}.txt").read_text(encoding="utf-8") == whole


@needs_apertium
def test_a_large_file_that_fails_midway_leaves_no_output(tmp_path, monkeypatch, capsys):
    from translator.errors import EngineError

    src = tmp_path / "long.txt"
    src.write_text("Le ciel est bleu.\n\n" * 400, encoding="utf-8")
    monkeypatch.setattr(chunks, "THRESHOLD", 1000)
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 1000)
    calls = []
    real = chunks.Notes.add

    def fail_on_third(self, doc):
        calls.append(1)
        if len(calls) == 3:
            raise EngineError("the engine died")
        real(self, doc)

    monkeypatch.setattr(chunks.Notes, "add", fail_on_third)
    assert len(list(chunks.pieces(src.read_text(encoding="utf-8")))) > 3
    assert main([str(src), "--to", "es", "-q"]) == ExitCode.ENGINE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.txt"]  # no output, no temporary file
