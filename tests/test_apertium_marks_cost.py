"""strip_marks and the rebuilding of Apertium's output compile no regular expression per
word or per sentence: the patterns are compiled once, at import."""

from __future__ import annotations

import re

from translator.engines import apertium
from translator.engines.apertium import strip_marks


def _count_compiles(monkeypatch) -> list[str]:
    compiled: list[str] = []
    real = re._compile

    def counting(pattern, flags):
        compiled.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(re, "_compile", counting)
    return compiled


def test_marked_words_compile_nothing(monkeypatch):
    source = " ".join(f"Apollo{i}-Soyouz mot{i} #JO{i}" for i in range(200))
    output = " ".join(f"*Apollo{i}-Soyuz *mot{i} *palabra{i} #JO{i} @cosa{i} *·" for i in range(200))
    compiled = _count_compiles(monkeypatch)
    text, unknown = strip_marks(output, source)
    assert compiled == []
    # Marks Apertium added are removed; an asterisk before a word the source lacks is the text's own;
    # the source's own "#" stays.
    assert text.startswith("Apollo0-Soyuz mot0 *palabra0 #JO0 cosa0 · Apollo1-Soyuz")
    assert unknown[:3] == ["Apollo0-Soyuz", "mot0", "cosa0"] and len(unknown) == 600


def test_rebuilding_a_sentence_compiles_nothing(monkeypatch):
    engine = apertium.ApertiumEngine.__new__(apertium.ApertiumEngine)
    store = [("https://example.org/a", False, False)]  # (text, glued before, glued after)
    out = ['<p>Ver  <x id="0"/> *mot &amp; más.</p>']
    monkeypatch.setattr(engine, "_documents", lambda info, docs: out, raising=False)
    compiled = _count_compiles(monkeypatch)
    monkeypatch.setattr(apertium, "_protect", lambda text, s, sp=(), marked=(): (s.extend(store), text)[1])
    result = engine._run(None, ["Voir https://example.org/a mot & plus."])
    assert compiled == []
    assert result.texts == ["Ver https://example.org/a mot & más."] and result.unknown == [["mot"]]
