"""WebVTT character references: decoded for the engines (``aujourd&apos;hui`` is one
word), the translation written back escaped as WebVTT requires, timings, settings and
tags as they were.  The output is read as a WebVTT player reads cue text (tags dropped,
references decoded as HTML decodes them in text, which the specification follows).
SRT, which has no references, keeps ``&...;`` as written."""

from __future__ import annotations

import html
import json
import re

from translator.cli import main
from translator.documents.base import CODE, TEXT, Options
from translator.documents.srt import TYPE as SRT
from translator.documents.vtt import TYPE as VTT

from .conftest import needs_apertium

SOURCE = """WEBVTT
Kind: captions

NOTE garder &amp; tel quel

STYLE
::cue(.jaune) { color: yellow }

intro
00:00:01.000 --> 00:00:03.000 line:90% align:center
<v Marie>Il fait beau aujourd&apos;hui.

00:00:04.000 --> 00:00:06.000 position:10%
<v Paul>Pierre &amp; Jacques n&#39;aiment pas &lt;Marie&gt;.

00:00:07.000 --> 00:00:09.000
<i>Le pr&eacute;sident</i> a parl&eacute; &agrave; la <c.jaune>t&eacute;l&eacute;vision</c>.

00:00:10.000 --> 00:00:12.000
- C&apos;est l&apos;heure.
- D&apos;accord.
"""


def _frame(text: str) -> list[str]:
    """Every line that is not cue text: header, notes, styles, identifiers, timings."""
    blocks = text.split("\n\n")
    out = []
    for block in blocks:
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        out += lines if timing is None or block.startswith("NOTE") else lines[:timing + 1]
    return out


def _shown(cue_text: str) -> str:
    """What a WebVTT player shows of a cue's text: tags dropped, references decoded."""
    return html.unescape(re.sub(r"<[^<>]*>", "", cue_text))


def _cues(text: str) -> list[str]:
    return ["\n".join(b.split("\n")[[i for i, line in enumerate(b.split("\n")) if "-->" in line][0] + 1:])
            for b in text.strip().split("\n\n") if "-->" in b and not b.startswith("NOTE")]


def _valid_cue_text(cue: str) -> bool:
    """No bare ``&`` or ``<`` (WebVTT cue text escapes them), no ``-->``."""
    rest = re.sub(r"<[^<>\n]*>", "", cue)
    return "<" not in rest and ">" not in rest and not re.search(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#\d+);)", rest)


@needs_apertium
def test_webvtt_references_are_decoded_for_the_engines_and_written_back_escaped(tmp_path):
    path = tmp_path / "journal.vtt"
    path.write_text(SOURCE, encoding="utf-8")
    assert main([str(path), "--to", "es", "-q"]) == 0
    out = (tmp_path / "journal.es.vtt").read_text(encoding="utf-8")
    cues = _cues(out)
    assert [_shown(c) for c in cues] == [
        "Hace hermoso hoy.",  # not "Hace hermoso aujourd'hui"
        "Pierre & Jacques no aman <Marie>.",
        "El presidente ha hablado a la televisión.",
        "- Es la hora.\n- De acuerdo."]
    assert cues[0] == "<v Marie>Hace hermoso hoy."
    assert cues[1] == "<v Paul>Pierre &amp; Jacques no aman &lt;Marie&gt;."
    assert cues[2] == "<i>El presidente</i> ha hablado a la <c.jaune>televisión</c>."
    assert all(_valid_cue_text(c) for c in cues)
    assert _frame(out) == _frame(SOURCE)  # header, note, style, identifier, timings and settings


@needs_apertium
def test_webvtt_words_with_references_are_not_unknown(tmp_path, capsys):
    path = tmp_path / "journal.vtt"
    path.write_text(SOURCE, encoding="utf-8")
    capsys.readouterr()
    assert main([str(path), "--to", "es", "-q", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    first = doc["segments"][0]
    assert first["source"] == "Il fait beau aujourd'hui." and first["translations"]["es"] == "Hace hermoso hoy."
    unknown = [w for s in doc["segments"] for w in s.get("unknown_words", {}).get("es", [])]
    assert not {"aujourd", "hui", "apos", "pr", "sident", "parl"} & set(unknown), unknown


def test_an_untranslated_webvtt_file_comes_back_as_it_was():
    parsed = VTT.read(SOURCE.encode(), name="journal.vtt", options=Options())
    assert [s for kind, s in parsed.units[0].runs if kind == TEXT] == ["Il fait beau aujourd'hui."]
    texts = {u.id: "".join(s for _, s in u.source_runs or u.runs) for u in parsed.units}
    assert parsed.write("fr", texts, set(), []).data == SOURCE


def test_a_translation_is_escaped_between_its_codes_only():
    parsed = VTT.read(SOURCE.encode(), name="journal.vtt", options=Options())
    unit = parsed.units[2]
    assert [s for kind, s in unit.runs if kind == CODE] == ["<i>", "</i>", "<c.jaune>", "</c>"]
    texts = {u.id: "".join(s for _, s in u.source_runs or u.runs) for u in parsed.units}
    texts[unit.id] = "<i>A & B</i> --> <c.jaune>x < y</c> ça"  # a run-by-run rebuild, say
    cue = _cues(parsed.write("es", texts, {unit.id}, []).data)[2]
    # (the source wrote no "ç" as a reference: it is written as it is)
    assert cue == "<i>A &amp; B</i> --&gt; <c.jaune>x &lt; y</c> ça"


def test_srt_keeps_its_ampersands_as_written():
    srt = "1\n00:00:01,000 --> 00:00:02,000\nTom &amp; Jerry\n"
    parsed = SRT.read(srt.encode(), name="a.srt", options=Options())
    assert parsed.units[0].runs == [(TEXT, "Tom "), (CODE, "&amp;"), (TEXT, " Jerry")]
    texts = {u.id: "Tom &amp; Jerry" for u in parsed.units}
    assert parsed.write("es", texts, set(), []).data == srt
