"""Apertium's stream format, read and written: lexical units and blanks.

Between its programs Apertium passes text in which every word is a lexical unit
``^surface/lemma<tag><tag>/other analysis$`` (after the tagger, ``^lemma<tags>$``;
after the bilingual dictionary, ``^source<tags>/target<tags>$``), and everything
else is blank: plain spaces and punctuation the analyser does not read, or
superblanks ``[...]`` holding formatting (``[[...]]`` when bound to a word).
Special characters are escaped with a backslash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPECIAL = frozenset("\\[]{}/^$@<>")
_TOKEN = re.compile(r"\^((?:[^\\$]|\\.)*)\$|(\[\[(?:[^\]\\]|\\.)*\]\])|\[((?:[^\]\\]|\\.)*)\]|((?:[^\^\[\\]|\\.)+)",
                    re.S)
_TAGS = re.compile(r"<([^<>]+)>")


def escape(text: str) -> str:
    """*text* as a lemma or surface inside a lexical unit."""
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


@dataclass(frozen=True)
class Reading:
    """One analysis of a word: its lemma and tags (``conversación``, ``("n", "f", "pl")``)."""

    lemma: str
    tags: tuple[str, ...]

    @property
    def pos(self) -> str:
        return self.tags[0] if self.tags else ""

    def stream(self) -> str:
        return escape(self.lemma) + "".join(f"<{t}>" for t in self.tags)


def parse_reading(text: str) -> Reading:
    """``lemma<tag><tag>`` (escaped) as a :class:`Reading`; a multiword's invariable part
    (``lemma<tags># queue``) stays in the lemma."""
    first = text.find("<")
    if first == -1:
        return Reading(unescape(text), ())
    end = text.rfind(">") + 1
    return Reading(unescape(text[:first] + text[end:]), tuple(_TAGS.findall(text[first:end])))


@dataclass
class Token:
    """A piece of a stream: a lexical unit (*unit* is its text between ``^`` and ``$``)
    or blank (*blank*, as written, brackets included)."""

    unit: str | None = None
    blank: str = ""
    superblank: bool = False

    def text(self) -> str:
        return f"^{self.unit}$" if self.unit is not None else self.blank

    def fields(self) -> list[str]:
        """The unit's fields: surface (or source) first, then each analysis."""
        return split_fields(self.unit or "")


def split_fields(unit: str) -> list[str]:
    """*unit* split at its unescaped slashes."""
    fields, current, i = [], [], 0
    while i < len(unit):
        ch = unit[i]
        if ch == "\\" and i + 1 < len(unit):
            current.append(unit[i:i + 2])
            i += 2
            continue
        if ch == "/":
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    fields.append("".join(current))
    return fields


def tokens(stream: str) -> list[Token]:
    """*stream* as lexical units and blanks; joining their :meth:`Token.text` gives it back."""
    out = []
    for m in _TOKEN.finditer(stream):
        unit, bound, superblank, blank = m.groups()
        if unit is not None:
            out.append(Token(unit=unit))
        elif bound is not None:
            out.append(Token(blank=bound))
        elif superblank is not None:
            out.append(Token(blank=m.group(0), superblank=True))
        else:
            out.append(Token(blank=blank))
    return out


def readings(fields: list[str]) -> list[Reading]:
    """The analyses of an analysed unit (its fields after the surface); none if unknown."""
    return [parse_reading(f) for f in fields[1:] if f and not f.startswith(("*", "@", "#"))]
