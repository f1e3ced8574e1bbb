"""WebVTT subtitles (.vtt): cue text translated sentence by sentence, everything else kept.

A small parser of our own (``webvtt-py`` rewrites the file when it saves it, and its
errors name no line): the ``WEBVTT`` header and its block, ``NOTE``, ``STYLE`` and
``REGION`` blocks, cue identifiers, timings with their settings come back as written.
A file without the header (browsers refuse it), a broken timestamp, a cue that ends
before it starts or cues out of time order: one line naming the line, exit 3.
Overlapping cues are allowed, as the specification allows them (they are not joined
into one sentence).  Character references in cue text (``&amp;``, ``&apos;``...) are
decoded for the engines and the translation written back escaped.  The translation
itself is :mod:`.subtitle_cues`'.
"""

from __future__ import annotations

import re

from ..errors import InputError
from .base import Options, Structured
from .subtitle_cues import Cue, ParsedSubtitles, check_times, split_lines, stamp_ms

_STAMP = r"(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}"
TIMING = re.compile(rf"^({_STAMP})[ \t]+-->[ \t]+({_STAMP})(?:[ \t]+.*)?$")
HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_BLOCKS = ("NOTE", "STYLE", "REGION")


class VttType(Structured):
    name = "vtt"
    extensions = (".vtt",)

    def sniff(self, head: bytes) -> bool:
        return re.match(rb"WEBVTT(?:[ \t\r\n]|$)", head.removeprefix(b"\xef\xbb\xbf")) is not None

    def read(self, data: bytes, *, name: str, options: Options) -> ParsedSubtitles:
        from ..textio import decode

        text, _ = decode(data, name=name, encoding=options.encoding)
        lines, newline = split_lines(text)
        cues = parse(lines, name)
        check_times(cues, name, "WebVTT", overlap=True)
        return ParsedSubtitles(lines, newline, cues, name=name, suffix=".vtt", options=options, warnings=[],
                               references=True)


def _blocks(lines: list[str]):
    """(first line, lines) of each block after the header's, blocks separated by blank lines."""
    i = 0
    while i < len(lines) and lines[i].strip():
        i += 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start = i
        while i < len(lines) and lines[i].strip():
            i += 1
        yield start, lines[start:i]


def parse(lines: list[str], name: str) -> list[Cue]:
    if not HEADER.match(lines[0]):
        raise InputError(f"invalid WebVTT: no WEBVTT header, found {lines[0][:40]!r}: a WebVTT file starts with "
                         "the line WEBVTT", path=f"{name}:1")
    cues: list[Cue] = []
    for start, block in _blocks(lines):
        if block[0].split(maxsplit=1)[0] in _BLOCKS and "-->" not in block[0]:
            continue
        at = 0 if "-->" in block[0] else 1
        identifier = block[0].strip() if at else ""
        timing = block[at] if at < len(block) else ""

        def fail(problem: str) -> InputError:
            return InputError(f"invalid WebVTT: {problem}", path=f"{name}:{start + at + 1}")

        m = TIMING.match(timing.strip())
        if not m:
            raise fail(f"invalid cue timing {timing.strip()[:60]!r}: expected [hh:]mm:ss.ttt --> [hh:]mm:ss.ttt")
        label = f"cue {identifier or len(cues) + 1}"
        begin, end = (stamp_ms(s, lambda p: fail(f"{label}: {p}")) for s in m.groups())
        first = start + at + 1
        cues.append(Cue(label, start + at + 1, begin, end, first, start + len(block), block[at + 1:]))
    if not cues:
        raise InputError("invalid WebVTT: no cues found", path=name)
    return cues


TYPE = VttType()
