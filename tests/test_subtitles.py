"""Subtitles (SRT, WebVTT): cue numbers, timings, settings and notes kept exactly; a
sentence over several cues translated once and shared out over the same cues; styling
tags kept and balanced in every cue; outputs read back by the ``srt`` and ``webvtt-py``
packages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.cli import main
from translator.documents import for_file
from translator.documents.base import Options
from translator.documents.srt import TYPE as SRT
from translator.documents.subtitle_cues import LINE_WIDTH, balance, break_lines, cut, visible, words

from .conftest import needs_apertium

FILM = (
    "1\r\n00:00:01,000 --> 00:00:03,000\r\n<i>Le président de la République</i>\r\nest arrivé hier soir\r\n\r\n"
    "2\r\n00:00:03,100 --> 00:00:05,000\r\nà Paris avec sa femme\r\n\r\n"
    "3\r\n00:00:05,100 --> 00:00:07,500\r\net ses deux enfants.\r\n\r\n"
    "4\r\n00:00:09,000 --> 00:00:11,000\r\n- Bonjour, Marie.\r\n- Bonjour, Paul.\r\n\r\n"
    "5\r\n00:00:12,000 --> 00:00:14,000\r\n{\\an8}<font color=\"#ffff00\">Le ciel est bleu.</font>\r\n\r\n"
    "6\r\n00:00:15,000 --> 00:00:17,000\r\n<i>Je pense que la mer</i>\r\n\r\n"
    "7\r\n00:00:17,100 --> 00:00:19,000\r\n<i>est calme ce matin.</i>\r\n"
)

VTT = """WEBVTT - journal
Kind: captions
Language: fr

NOTE Sous-titres du journal,
relus par la rédaction.

STYLE
::cue(.yellow) { color: yellow }

intro
00:01.000 --> 00:03.000 line:90% align:center
<v Marie>Je pense que le <c.yellow>ciel</c>

00:03.100 --> 00:05.000
<v Marie>est bleu aujourd'hui.

00:04.000 --> 00:06.000 line:10%
<v Paul>Le chat &amp; le chien dorment.

01:00:06.500 --> 01:00:08.000
Il pleut.
"""


def _frame(text: str) -> list[str]:
    """Every line that is not cue text: numbers, timings, blank lines, headers, notes."""
    lines = re.split(r"\r?\n", text)
    return [line for line in lines if not line.strip() or "-->" in line or line.strip().isdigit()]


def _json(path: Path, text: str, capsys) -> dict:
    """The JSON output for *text* written to *path*."""
    path.write_text(text, encoding="utf-8")
    assert main([str(path), "--to", "es", "--from", "fr", "--format", "json", "-q"]) == 0
    return json.loads(capsys.readouterr().out)


def _run(tmp_path: Path, name: str, data: str, *args: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    assert main([str(path), "--to", "es", "--from", "fr", "-q", *args]) == 0
    return path.with_name(name.replace(".", ".es.", 1))


@needs_apertium
def test_srt_keeps_numbers_timings_and_line_endings_and_translates_every_cue(tmp_path):
    import srt

    out = _run(tmp_path, "film.srt", FILM)
    data = out.read_bytes().decode("utf-8")
    assert _frame(data) == _frame(FILM) and data.count("\r\n") == data.count("\n")  # CRLF kept
    source, translated = list(srt.parse(FILM)), list(srt.parse(data))
    assert [(s.index, s.start, s.end) for s in translated] == [(s.index, s.start, s.end) for s in source]
    for cue in translated:
        lines = cue.content.split("\n")
        assert all(line.strip() for line in lines)  # no empty cue, no empty line
        assert len(lines) <= 2 and all(visible(line) <= LINE_WIDTH for line in lines)
    assert translated[3].content == "- Saludo, Marie.\n- Saludo, Paul."  # dialogue: a line per speaker
    assert translated[4].content == '{\\an8}<font color="#ffff00">El cielo es azul.</font>'


@needs_apertium
def test_a_sentence_over_three_cues_is_translated_once_and_shared_out(tmp_path, capsys):
    doc = _json(tmp_path / "film.srt", FILM, capsys)
    assert [s["ref"] for s in doc["segments"]] == ["cue 1-3", "cue 4 line 1", "cue 4 line 2", "cue 5", "cue 6-7"]
    whole = doc["segments"][0]
    assert whole["source"].startswith("<i>Le président de la République</i> est arrivé hier soir à Paris")
    assert "</i>" in whole["translations"]["es"] and whole["translations"]["es"].endswith("niñas.")
    out = _run(tmp_path, "film.srt", FILM)
    cues = out.read_text(encoding="utf-8").split("\n\n")
    texts = [" ".join(c.splitlines()[2:]) for c in cues[:3]]
    assert " ".join(texts) == re.sub(r"\s+", " ", whole["translations"]["es"])  # the same words, in order
    assert all(texts)
    # shared out by length: the first cue (the longest in French) gets the most
    assert visible(texts[0]) > visible(texts[1]) and visible(texts[0]) > visible(texts[2])


@needs_apertium
def test_a_styling_span_cut_by_a_cue_boundary_is_closed_and_reopened(tmp_path):
    import srt

    out = _run(tmp_path, "film.srt", FILM)
    for cue in srt.parse(out.read_text(encoding="utf-8")):
        assert cue.content.count("<i>") == cue.content.count("</i>")
        assert cue.content.count("<font") == cue.content.count("</font>")
    last = list(srt.parse(out.read_text(encoding="utf-8")))[-2:]
    assert all(c.content.startswith("<i>") and c.content.endswith("</i>") for c in last)


@needs_apertium
def test_webvtt_keeps_header_notes_styles_identifiers_settings_and_voices(tmp_path):
    import webvtt

    out = _run(tmp_path, "news.vtt", VTT)
    data = out.read_text(encoding="utf-8")
    head = VTT.split("intro\n")[0]
    assert data.startswith(head + "intro\n00:01.000 --> 00:03.000 line:90% align:center\n<v Marie>")
    assert _frame(data) == _frame(VTT)
    captions = webvtt.read(str(out))
    assert [(c.identifier, c.start, c.end, c.voice) for c in captions] == [
        ("intro", "00:00:01.000", "00:00:03.000", "Marie"), (None, "00:00:03.100", "00:00:05.000", "Marie"),
        (None, "00:00:04.000", "00:00:06.000", "Paul"), (None, "01:00:06.500", "01:00:08.000", None)]
    assert "<c.yellow>cielo</c>" in data and "&amp;" in data
    # the overlapping cue is translated on its own, not joined to the sentence before it
    assert captions[2].text == "El gato &amp; el perro duermen."
    assert captions[3].text == "Llueve."


@needs_apertium
def test_overlapping_webvtt_cues_are_not_joined(tmp_path, capsys):
    doc = _json(tmp_path / "news.vtt", VTT, capsys)
    assert [s["ref"] for s in doc["segments"]] == ["cue intro-2", "cue 3", "cue 4"]


def test_too_few_words_for_the_cues_falls_back_to_cue_by_cue():
    parsed = SRT.read(FILM.encode(), name="film.srt", options=Options())
    group = parsed.units[0]
    assert group.id == "cue 1-3" and not parsed.verify(group, "<i>Sí</i> claro.")
    assert parsed.verify(group, "<i>El presidente</i> llegó anoche a París con su familia.")
    # run by run, the cue boundaries come back and each cue gets its own text
    rebuilt = "<i>El presidente de la República</i> llegó anoche\na París con su mujer\ny sus dos hijos."
    texts = {u.id: "".join(s for _, s in u.source_runs or u.runs) for u in parsed.units}
    texts[group.id] = rebuilt
    out = parsed.write("es", texts, {group.id}, []).data
    cues = out.split("\r\n\r\n")
    assert cues[1].split("\r\n")[2] == "a París con su mujer" and cues[2].split("\r\n")[2] == "y sus dos hijos."


def test_an_untranslated_file_comes_back_as_it_was():
    parsed = SRT.read(FILM.encode(), name="film.srt", options=Options())
    texts = {u.id: "".join(s for _, s in u.source_runs or u.runs) for u in parsed.units}
    out = parsed.write("fr", texts, set(), []).data
    assert [c.split("\r\n")[2:] for c in out.split("\r\n\r\n")][1:] == \
        [c.split("\r\n")[2:] for c in FILM.split("\r\n\r\n")][1:]


def test_line_breaking_is_balanced_within_the_width_and_line_count():
    text = "El presidente de la República llegó anoche a París con su mujer y sus dos hijos."
    lines = break_lines(text, 2, 42)
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines) and " ".join(lines) == text
    assert abs(len(lines[0]) - len(lines[1])) < 12
    assert break_lines("Llueve.", 2, 42) == ["Llueve."]
    assert len(break_lines(text * 3, 2, 42)) == 2  # never more lines than the source's fullest cue


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["el", "presidente,", "<i>llegó</i>", "<i>a", "París</i>", "ayer.", "y"]),
                min_size=3, max_size=30),
       st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=3))
def test_cutting_never_leaves_a_piece_empty_and_keeps_every_word(tokens, weights):
    pieces = cut(tokens, weights)
    assert len(pieces) == len(weights) and all(pieces)
    assert [t for p in pieces for t in p] == tokens
    for piece in balance([" ".join(p) for p in pieces]):
        opened = len(re.findall(r"<i>", piece)) - len(re.findall(r"</i>", piece))
        assert opened <= 0 or piece.endswith("</i>")


def test_words_keep_tags_with_spaces_whole():
    assert words('<font color="#ff ff00">Le ciel</font> bleu') == ['<font color="#ff ff00">Le', "ciel</font>", "bleu"]
    assert balance(['<i>Le ciel', 'est bleu.</i>']) == ["<i>Le ciel</i>", "<i>est bleu.</i>"]


def test_subtitles_are_picked_by_extension_and_content():
    assert for_file("a.srt", b"")[0].name == "srt" and for_file("a.vtt", b"")[0].name == "vtt"
    assert for_file("-", FILM.encode())[0].name == "srt"
    assert for_file("-", b"\xef\xbb\xbfWEBVTT\n\n00:01.000 --> 00:02.000\nx")[0].name == "vtt"


def test_every_hostile_subtitle_has_a_case():
    from .test_hostile import CASES, HOSTILE

    assert sorted(p.name for p in (HOSTILE / "subtitles").iterdir()) == sorted(
        c.id.split("/", 1)[1] for c in CASES if c.id.startswith("subtitles/"))


@pytest.mark.parametrize("bad, message", [
    ("1\n00:00:01,000 --> 00:00:02,000\nA.\n\n2\n", "film.srt:6: invalid SRT: invalid timing '' for cue 2"),
    ("WEBVTT\n\nNOTE only a note\n", "film.srt: invalid WebVTT: no cues found"),
])
def test_truncated_files_are_refused_with_their_line(bad, message):
    from translator.documents.vtt import TYPE as VTT_TYPE
    from translator.errors import InputError

    doctype = VTT_TYPE if bad.startswith("WEBVTT") else SRT
    with pytest.raises(InputError) as err:
        doctype.read(bad.encode(), name="film.srt", options=Options())
    assert str(err.value).startswith(message)
