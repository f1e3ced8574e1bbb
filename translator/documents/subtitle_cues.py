"""Subtitles (SRT, WebVTT) translated cue by cue, sentence by sentence.

Shared by :mod:`.srt` and :mod:`.vtt`, which read their own syntax into :class:`Cue`
objects.  A sentence that runs over several cues (a cue that does not end a sentence,
followed closely by the next one) is translated as one unit; its translation is shared
out over the same cues in proportion to the source cues' lengths, cut between words
(after punctuation where it can), never leaving a cue empty.  Inside each cue the text
is broken again into lines of at most :data:`LINE_WIDTH` characters (or the source's
longest line, if longer), and never more lines than the source's fullest cue.

Styling tags (``<i>``, ``<b>``, ``<u>``, ``<font ...>``, WebVTT's ``<c.x>``, ``<lang>``)
are inline codes: they come back, and a span cut by a cue boundary is closed at the end
of one cue and opened again at the start of the next.  In SRT, which has no character
references, ``&...;`` is an inline code too (kept as written).  WebVTT's character
references (``&amp;``, ``&lt;``, ``&gt;``, ``&nbsp;``, ``&lrm;``, ``&rlm;`` and, as the
specification now reads, every HTML named or numeric one) are text: the engines get
the characters they stand for (``aujourd&apos;hui`` is the word ``aujourd'hui``), and
the translation is written back escaped (:meth:`ParsedSubtitles.escaped`).  A cue's
leading voice or position tags (``<v Speaker>``, ``{\\an8}``) and dialogue dashes stay
where they are.  Cue numbers, identifiers, timings, settings, notes, styles, blank lines
and line endings come back as they were: only cue text lines change.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

from ..errors import InputError
from .base import CODE, TEXT, Options, Output, Unit

#: the line width broadcasters use (EBU, Netflix: 42 characters)
LINE_WIDTH = 42
#: a sentence is followed over at most this many cues, and gaps of at most this long
MAX_GROUP, MAX_GAP_MS = 6, 2000

TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
#: the tags of a WebVTT cue, or one of its character references (as HTML reads them in text)
_TAG_OR_REFERENCE = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}|&(?:#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[A-Za-z][A-Za-z0-9]*;?)")
PAIRED = frozenset({"i", "b", "u", "s", "font", "c", "lang", "ruby", "rt"})
#: tags that lead a cue and stay there: WebVTT voices, SSA positions
PREFIX = re.compile(r"^(?:\s*(?:\{\\[^{}\n]*\}|<v[ .\t][^<>\n]*>))+")
DASH = re.compile(r"^\s*(?:<[^<>\n]*>)*\s*[-\u2010\u2013\u2014]\s*")
_END = re.compile(r"[.!?\u2026\u266a][\"'\u00bb\u201d\u2019)\]]*\s*$")
_CONTINUED = re.compile(r"(?:\.\.\.|\u2026)\s*$")
_BOUNDARY = "\n"  # between cues, in a group's source runs: a kept or rebuilt group splits on it


@dataclass
class Cue:
    """One cue: where its text lines are in the file, and its timing."""

    label: str  # "cue 4": the SRT number, else the WebVTT identifier, else its position
    line: int  # 1-based line of its timing
    start: int  # milliseconds
    end: int
    first: int  # its text lines are lines[first:last] (0-based)
    last: int
    text: list[str] = field(default_factory=list)


def milliseconds(stamp: str) -> tuple[int, int, int, int]:
    """(hours, minutes, seconds, milliseconds) of ``[hh:]mm:ss[,.]mmm``."""
    *hm, rest = stamp.split(":")
    seconds, millis = re.split(r"[,.]", rest)
    hours, minutes = (int(hm[0]), int(hm[1])) if len(hm) == 2 else (0, int(hm[0]))
    return hours, minutes, int(seconds), int(millis.ljust(3, "0"))


def stamp_ms(stamp: str, fail) -> int:
    hours, minutes, seconds, millis = milliseconds(stamp)
    if minutes > 59 or seconds > 59:
        raise fail(f"invalid timestamp {stamp!r}: minutes and seconds go up to 59")
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def check_times(cues: list[Cue], name: str, what: str, *, overlap: bool) -> None:
    """Durations positive, cues in time order; overlapping cues refused unless *overlap*."""
    previous = None

    def _clock(ms: int) -> str:
        return clock(ms, "," if what == "SRT" else ".")

    for cue in cues:
        where = f"{name}:{cue.line}"
        if cue.end <= cue.start:
            raise InputError(f"invalid {what}: {cue.label} ends ({_clock(cue.end)}) before it starts "
                             f"({_clock(cue.start)}): fix its timing", path=where)
        if previous and cue.start < previous.start:
            raise InputError(f"invalid {what}: {cue.label} starts ({_clock(cue.start)}) before {previous.label} "
                             f"({_clock(previous.start)}): cues must be in time order", path=where)
        if previous and not overlap and cue.start < previous.end:
            raise InputError(f"invalid {what}: {cue.label} starts ({_clock(cue.start)}) before {previous.label} "
                             f"ends ({_clock(previous.end)}): fix the timings (players would show both at once)",
                             path=where)
        previous = cue


def clock(ms: int, comma: str = ".") -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{comma}{ms % 1000:03d}"


# -- inline codes and words ---------------------------------------------------------------
def runs(text: str, *, references: bool = False) -> list[tuple[str, str]]:
    """*text* as runs, its tags as codes.  With *references* (WebVTT) the character
    references are text, decoded (one that stands for a line break stays a code: a cue's
    text has none)."""
    from .units import runs_by_pattern

    if not references:
        return runs_by_pattern(TAG, text)
    out: list[tuple[str, str]] = []
    for kind, s in runs_by_pattern(_TAG_OR_REFERENCE, text):
        if kind == CODE and s.startswith("&") and not set(html.unescape(s)) & set("\r\n"):
            kind, s = TEXT, html.unescape(s)
        if out and out[-1][0] == kind == TEXT:
            out[-1] = (TEXT, out[-1][1] + s)
        else:
            out.append((kind, s))
    return out


def spellings(lines: list[str]) -> dict[str, str]:
    """The characters the cue text *lines* write as references, each with its first
    spelling there (``&nbsp;``, ``&lrm;``, ``&apos;``): a translation writes them alike."""
    found: dict[str, str] = {}
    for line in lines:
        for m in _TAG_OR_REFERENCE.finditer(line):
            char = html.unescape(m.group(0)) if m.group(0).startswith("&") else ""
            if len(char) == 1 and char not in "&<>" and not (char.isascii() and (char.isalnum() or char.isspace())):
                found.setdefault(char, m.group(0))
    return found


def escape(text: str, spelled: dict[str, str]) -> str:
    """Text as WebVTT cue text: ``&``, ``<`` and ``>`` escaped (``-->`` would end the cue),
    the characters in *spelled* written as the source wrote them."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char, spelling in spelled.items():
        out = out.replace(char, spelling)
    return out


def visible(text: str) -> int:
    """The characters a viewer sees (entities count as one)."""
    return len(TAG.sub(lambda m: "x" if m.group(0).startswith("&") else "", text))


def words(text: str) -> list[str]:
    """*text* split at spaces; a tag (even ``<font color="a b">``) stays inside its word."""
    tags: list[str] = []
    masked = TAG.sub(lambda m: tags.append(m.group(0)) or f"\x00{len(tags) - 1}\x00", text)
    return [re.sub(r"\x00(\d+)\x00", lambda m: tags[int(m.group(1))], w) for w in masked.split()]


def cut(tokens: list[str], weights: list[int]) -> list[list[str]]:
    """*tokens* in ``len(weights)`` non-empty pieces whose lengths follow *weights*,
    cut after punctuation where that costs little."""
    n = len(weights)
    sizes = [visible(t) + 1 for t in tokens]
    total, whole = sum(sizes), sum(weights) or 1
    cuts, at, done = [], 0, 0
    for k in range(1, n):
        done += weights[k - 1]
        ideal = total * done / whole
        best, best_cost, length = at + 1, math.inf, sum(sizes[:at])
        for j in range(at + 1, len(tokens) - (n - k) + 1):
            length += sizes[j - 1]
            cost = abs(length - ideal) + _ending(TAG.sub("", tokens[j - 1]))
            if cost < best_cost:
                best, best_cost = j, cost
        cuts.append(best)
        at = best
    bounds = [0, *cuts, len(tokens)]
    return [tokens[a:b] for a, b in zip(bounds, bounds[1:])]


def _ending(word: str) -> int:
    """What ending a piece with *word* costs, in characters: less after punctuation, more
    after a short lowercase word (an article or preposition: "de la | République")."""
    if re.search(r"[,;:.!?\u2026]\W*$", word):
        return -6
    return 4 if len(word) <= 3 and word.isalpha() and word.islower() else 0


def balance(pieces: list[str]) -> list[str]:
    """Close at the end of each piece the styling spans still open, and open them again at
    the start of the next."""
    out, carried = [], []
    for piece in pieces:
        opened = list(carried)
        for m in TAG.finditer(piece):
            tag = re.match(r"<(/?)([A-Za-z]+)", m.group(0))
            if not tag or tag.group(2).lower() not in PAIRED:
                continue
            if not tag.group(1):
                opened.append((tag.group(2).lower(), m.group(0)))
            elif opened and opened[-1][0] == tag.group(2).lower():
                opened.pop()
        out.append("".join(o for _, o in carried) + piece + "".join(f"</{n}>" for n, _ in reversed(opened)))
        carried = opened
    return out


def break_lines(text: str, max_lines: int, width: int) -> list[str]:
    """*text* in as few balanced lines as fit *width*, at most *max_lines*."""
    tokens = words(text)
    count = min(max_lines, max(1, math.ceil(visible(text) / width)), len(tokens))
    if count <= 1:
        return [" ".join(tokens)]
    return [" ".join(piece) for piece in cut(tokens, [1] * count)]


# -- grouping -----------------------------------------------------------------------------
@dataclass
class Group:
    """Cues translated together (a sentence over several cues), or one dialogue cue whose
    lines are translated one by one."""

    cues: list[Cue]
    prefixes: list[str]  # each cue's leading voice/position tags
    units: list[Unit]  # one; or one per line of a dialogue cue
    dashes: list[str] = field(default_factory=list)  # a dialogue cue's line openings
    raws: list[str] = field(default_factory=list)  # each unit's source as written (cues joined by _BOUNDARY)


def _body(cue: Cue) -> tuple[str, str]:
    """(leading tags, the rest) of a cue's text, its lines joined by spaces."""
    text = " ".join(line.strip() for line in cue.text)
    m = PREFIX.match(text)
    return (m.group(0), text[m.end():].strip()) if m else ("", text)


def _dialogue(cue: Cue) -> bool:
    return len(cue.text) > 1 and all(DASH.match(line) for line in cue.text)


def _ends_sentence(text: str, following: str) -> bool:
    plain = TAG.sub("", text).rstrip()
    if _CONTINUED.search(plain):
        nxt = TAG.sub("", following).lstrip()
        return not (nxt.startswith(("...", "\u2026")) or nxt[:1].islower())
    return not plain or bool(_END.search(plain))


def groups(cues: list[Cue], *, references: bool = False) -> list[Group]:
    """The cues in sentence groups (and dialogue cues on their own); *references*: the
    cues' character references are text (WebVTT)."""
    out: list[Group] = []
    current: list[Cue] = []

    def flush() -> None:
        if current:
            out.append(_group(list(current), references))
            current.clear()

    for cue in cues:
        if not any(line.strip() for line in cue.text):
            flush()
            continue
        if _dialogue(cue):
            flush()
            out.append(_dialogue_group(cue, references))
            continue
        if current:
            last = current[-1]
            if (_ends_sentence(_body(last)[1], _body(cue)[1]) or len(current) >= MAX_GROUP
                    or cue.start < last.end or cue.start - last.end > MAX_GAP_MS):
                flush()
        current.append(cue)
    flush()
    return out


def _group(cues: list[Cue], references: bool = False) -> Group:
    bodies = [_body(c) for c in cues]
    engine: list[tuple[str, str]] = []
    source: list[tuple[str, str]] = []
    for i, (_, body) in enumerate(bodies):
        if i:
            engine.append((TEXT, " "))
            source.append((CODE, _BOUNDARY))
        engine += runs(body, references=references)
        source += runs(body, references=references)
    label = cues[0].label if len(cues) == 1 else f"{cues[0].label}-{cues[-1].label.split()[-1]}"
    unit = Unit(label, _merged(engine), kind="cue", line=cues[0].line, source_runs=_merged(source))
    return Group(cues, [p for p, _ in bodies], [unit], raws=[_BOUNDARY.join(b for _, b in bodies)])


def _dialogue_group(cue: Cue, references: bool = False) -> Group:
    dashes, units, raws = [], [], []
    for number, line in enumerate(cue.text, 1):
        dash = DASH.match(line).group(0)
        dashes.append(dash)
        raws.append(line[len(dash):].rstrip())
        units.append(Unit(f"{cue.label} line {number}", runs(raws[-1], references=references), kind="cue",
                          line=cue.line + number))
    return Group([cue], [""], units, dashes, raws)


def _merged(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for kind, s in items:
        if out and out[-1][0] == kind == TEXT:
            out[-1] = (TEXT, out[-1][1] + s)
        else:
            out.append((kind, s))
    return out


# -- the parsed file ----------------------------------------------------------------------
class ParsedSubtitles:
    """A subtitle file: its lines, its cues in sentence groups, and how to rebuild it."""

    declared_source = None

    def __init__(self, lines: list[str], newline: str, cues: list[Cue], *, name: str, suffix: str,
                 options: Options, warnings: list[str], references: bool = False) -> None:
        self.lines, self.newline, self.cues, self.name, self.suffix = lines, newline, cues, name, suffix
        self.warnings = warnings
        self.references = references  # WebVTT: character references are text
        self.width = max([LINE_WIDTH] + [visible(line) for c in cues for line in c.text])
        self.max_lines = max([1] + [len(c.text) for c in cues])
        self.groups = groups(cues, references=references)
        self.units = [u for g in self.groups for u in g.units]
        self.sample = "\n".join("".join(s for kind, s in runs(line, references=references) if kind == TEXT)
                                 for c in cues for line in c.text)
        self.spelled = spellings([line for c in cues for line in c.text]) if references else {}
        self._sizes = {g.units[0].id: len(g.cues) for g in self.groups if not g.dashes}

    def check_targets(self, targets: list[str]) -> None:
        pass

    def verify(self, unit: Unit, translation: str) -> bool:
        """The codes came back, and there are words enough for every cue of the group."""
        from .units import kept

        return kept(unit, translation) and len(words(translation)) >= self._sizes.get(unit.id, 1)

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        out: list[str | None] = list(self.lines)
        over = 0
        for group in self.groups:
            for cue, lines in zip(group.cues, self._cue_lines(group, texts)):
                over += sum(visible(line) > self.width for line in lines)
                out[cue.first:cue.last] = [self.newline.join(lines)] + [None] * (cue.last - cue.first - 1)
        text = self.newline.join(line for line in out if line is not None)
        cues = sum(len(g.cues) for g in self.groups)
        summary = (f"{target}: {cues} cue{'s' * (cues != 1)} translated ({len(self.units)} "
                   f"sentence{'s' * (len(self.units) != 1)}"
                   f"{', ' + str(over) + ' lines over ' + str(self.width) + ' characters' if over else ''})")
        return Output(target, text, f".{target}{self.suffix}", summary, list(self.warnings))

    def escaped(self, unit: Unit, raw: str, text: str) -> str:
        """*unit*'s *text* (a translation, or its source as the engines read it) as the
        file writes it: WebVTT cue text, where the text between the unit's codes is
        escaped (:func:`escape`), a text unchanged being the source as written (*raw*).
        SRT text is written as it is."""
        if not self.references:
            return text
        if text == "".join(s for _, s in unit.source_runs or unit.runs):
            return raw
        codes = sorted({s for kind, s in unit.source_runs or unit.runs if kind == CODE and s.strip()}, key=len,
                       reverse=True)
        if not codes:
            return escape(text, self.spelled)
        out, at = [], 0
        for m in re.finditer("|".join(re.escape(c) for c in codes), text):
            out += [escape(text[at:m.start()], self.spelled), m.group(0)]
            at = m.end()
        return "".join(out + [escape(text[at:], self.spelled)])

    def _cue_lines(self, group: Group, texts: dict[str, str]) -> list[list[str]]:
        """The new text lines of each cue of *group*."""
        if group.dashes:
            return [[dash + self.escaped(u, raw, texts[u.id]) for dash, u, raw in
                     zip(group.dashes, group.units, group.raws)]]
        unit, cues = group.units[0], group.cues
        text = self.escaped(unit, group.raws[0], texts[unit.id])
        if len(cues) > 1 and text.count(_BOUNDARY) == len(cues) - 1:
            pieces = text.split(_BOUNDARY)  # kept, or translated cue by cue
        else:
            pieces = [" ".join(p) for p in cut(words(text), [max(1, visible(_body(c)[1])) for c in cues])]
        pieces = balance(pieces) if len(cues) > 1 else pieces
        result = []
        for cue, prefix, piece in zip(cues, group.prefixes, pieces):
            lines = break_lines(piece.strip(), self.max_lines, self.width)
            lines[0] = prefix + lines[0]
            result.append(lines)
        return result


def split_lines(text: str) -> tuple[list[str], str]:
    """The lines of *text* and its line ending (CRLF if it has any)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    return re.split(r"\r?\n", text), newline
