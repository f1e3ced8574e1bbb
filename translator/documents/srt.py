"""SubRip subtitles (.srt): cue text translated sentence by sentence, everything else kept.

A small parser of our own (the ``srt`` and ``pysrt`` packages rewrite timestamps and
numbering when they write, and give no line numbers for errors): each block is a cue
number, a timing line ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` (``.`` also accepted, as players
do) and its text lines.  A broken timestamp, a cue that ends before it starts, cues out of
time order or overlapping, a missing number or timing: one line naming the cue's line,
exit 3.  Cue numbers out of sequence are kept as written, with a warning (players go by
the timings).  The translation itself is :mod:`.subtitle_cues`'.
"""

from __future__ import annotations

import re

from ..errors import InputError
from .base import Options, Structured
from .subtitle_cues import Cue, ParsedSubtitles, check_times, split_lines, stamp_ms

_STAMP = r"\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}"
TIMING = re.compile(rf"^\s*({_STAMP})\s*-->\s*({_STAMP})(?:\s+\S.*)?$")
_LOOKS_LIKE = re.compile(rb"^\s*\d+\s*\r?\n\s*\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")


class SrtType(Structured):
    name = "srt"
    extensions = (".srt",)

    def sniff(self, head: bytes) -> bool:
        return _LOOKS_LIKE.match(head.removeprefix(b"\xef\xbb\xbf")) is not None

    def read(self, data: bytes, *, name: str, options: Options) -> ParsedSubtitles:
        from ..textio import decode

        text, _ = decode(data, name=name, encoding=options.encoding)
        lines, newline = split_lines(text)
        cues, warnings = parse(lines, name)
        check_times(cues, name, "SRT", overlap=False)
        return ParsedSubtitles(lines, newline, cues, name=name, suffix=".srt", options=options, warnings=warnings)


def parse(lines: list[str], name: str) -> tuple[list[Cue], list[str]]:
    """The cues of an SRT file's *lines*, and warnings about their numbering."""
    cues: list[Cue] = []
    warnings: list[str] = []
    i, previous = 0, None
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        number = lines[i].strip()

        def fail(problem: str, at: int = i) -> InputError:
            return InputError(f"invalid SRT: {problem}", path=f"{name}:{at + 1}")

        if not number.isdigit():
            if TIMING.match(number) or "-->" in number:
                raise fail("a cue without its number: put the cue number on the line before the timing")
            raise fail(f"cue number expected, found {number[:40]!r}: each cue is a number, a timing line "
                       "and its text, cues separated by a blank line")
        timing = lines[i + 1] if i + 1 < len(lines) else ""
        m = TIMING.match(timing)
        if not m:
            raise fail(f"invalid timing {timing.strip()[:60]!r} for cue {number}: expected "
                       "HH:MM:SS,mmm --> HH:MM:SS,mmm", i + 1)
        start, end = (stamp_ms(s, lambda p: fail(f"cue {number}: {p}", i + 1)) for s in m.groups())
        if previous is not None and int(number) != previous + 1:
            warnings.append(f"{name}:{i + 1}: warning: cue number {number} after {previous}: kept as written "
                            "(players go by the timings)")
        previous = int(number)
        first = last = i + 2
        while last < len(lines) and lines[last].strip():
            last += 1
        cues.append(Cue(f"cue {number}", i + 2, start, end, first, last, lines[first:last]))
        i = last
    if not cues:
        raise InputError("invalid SRT: no cues found", path=name)
    return cues, warnings


TYPE = SrtType()
