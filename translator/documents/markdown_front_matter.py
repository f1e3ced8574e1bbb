"""Markdown front matter: the YAML values of the fields to translate, read and written back.

No YAML library: PyYAML is not a dependency, and loading then dumping the front matter
would rewrite all of it (key order, comments, quoting, anchors) where only the fields
asked for may change.  A small reader of the top-level ``key: value`` lines takes each
field's value as YAML decodes it, so that the engines get the text and not its quoting:
plain, single-quoted (``''``) and double-quoted (``\\"``, ``\\n``, ``\\u00e9``...) values
on one line or several, literal (``|``) and folded (``>``) blocks with their indentation
and chomping indicators.  The translation goes back in the same style, so that a YAML
parser reads exactly the translated text: double-quoted with its escapes, single-quoted
with ``''``, plain only when YAML would read it back as that same string (else
double-quoted); a block keeps its header, its indentation and its blank lines.  A field
in a form this reader does not take (a list, a mapping, an alias, a tag, broken quoting)
is left as it is, with a one-line warning naming the file, the line and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)")
_BLOCK_HEADER = re.compile(r"([|>])([1-9][+-]?|[+-][1-9]?)?(?:[ \t]+#.*|[ \t]*)")
_COMMENT = re.compile(r"[ \t]+#")

#: Plain values YAML reads as something else than a string (null, booleans, numbers,
#: dates; YAML 1.1 as PyYAML and go-yaml v2 read it, and YAML 1.2's core schema): such
#: a source value is not text, and such a translation cannot stay plain.
_NOT_TEXT = re.compile(r"""
    ~ | null | Null | NULL
  | y | Y | n | N | yes | Yes | YES | no | No | NO | on | On | ON | off | Off | OFF
  | true | True | TRUE | false | False | FALSE
  | [-+]? (?: 0b[01_]+ | 0o?[0-7_]+ | 0x[0-9a-fA-F_]+ )
  | [-+]? (?: [0-9][0-9_]* (?: :[0-5]?[0-9] )* )? (?: \.[0-9_]* )? (?: [eE][-+]?[0-9]+ )?
  | [-+]? \.(?: inf | Inf | INF ) | \.(?: nan | NaN | NAN )
  | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
    (?: (?: [Tt] | [ \t]+ ) [0-9]{1,2}:[0-9]{2}:[0-9]{2} (?: \.[0-9]* )?
        (?: [ \t]* (?: Z | [-+][0-9]{1,2}(?::[0-9]{2})? ) )? )?
  | << | =
""", re.X)

#: Characters a plain value cannot start with (YAML's indicators).
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
#: Line breaks as YAML 1.1 counts them, and the byte order mark: never written as themselves.
_BREAKS = "\n\r\x85\u2028\u2029\ufeff"
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
            "L": "\u2028", "P": "\u2029"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_WRITTEN_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
                    "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L", "\u2029": "P"}


Item = tuple[str, str, int, str]


class Unsupported(ValueError):
    """A field's value this reader does not take: it is left as it is, with a warning."""


@dataclass
class Field:
    """One front-matter field to translate: where it is, the texts the engines get
    (*pieces*), and what :meth:`render` needs to write their translations back."""

    key: str
    first: int  # its first line (0-based)
    last: int  # its last line, inclusive
    style: str  # "plain", "'", '"' (one value), "|" or ">" (a block)
    pieces: list[str]  # a flow value's lines (split at its line breaks), a block's lines or paragraphs
    lines: list[int]  # the line (0-based) each piece starts on
    head: str  # before the value on the first line ("title: "); a block's whole header line
    tail: str = ""  # after a flow value on its last line: spaces, a comment, the line break
    indent: str = ""  # the continuation lines' indentation; a block's content indentation
    width: int = 0  # wrap a flow value at this width (0: on one line, as it was)
    ascii: bool = False  # double-quoted whose non-ASCII characters were all escapes: keep them so
    #: a block's content lines: ("keep", line, -1, ""), ("line", prefix, piece, suffix) or
    #: ("para", "", piece, newline), *piece* an index in *pieces*
    layout: list[Item] = field(default_factory=list)

    def id(self, k: int) -> str:
        """The unit id of piece *k*: the field's name, then ".2", ".3"... for a block's
        further lines or paragraphs (as the body's "line 7.2")."""
        return f"front matter {self.key}" + (f".{k + 1}" if k else "")

    def render(self, texts: list[str]) -> str:
        """The field's lines holding *texts* (one per piece) instead of its pieces."""
        if self.style in ("|", ">"):
            return self.head + "".join(_block_line(item, texts, self.indent, self.width) for item in self.layout)
        value = _scalar("\n".join(texts), self.style, self.ascii)
        if not self.width:
            return self.head + value + self.tail
        newline = _newline(self.tail)
        wrapped = _wrap(value, self.width - len(self.head), self.width - len(self.indent),
                        avoid="#" if self.style == "plain" else "")
        return self.head + (newline + self.indent).join(wrapped) + self.tail


def read(lines: list[str], front: tuple[int, int], wanted: tuple[str, ...],
         name: str) -> tuple[list[Field], list[str]]:
    """The fields of *wanted* in the front matter *front* (its line range, both ``---``
    lines included), and a warning for each one left untranslated."""
    fields, warnings = [], []
    end = front[1] - 1  # the closing "---"
    for i in range(front[0] + 1, end):
        m = _KEY.match(_body(lines[i]))
        if not m or m.group(1) not in wanted:
            continue
        try:
            found = _field(lines, i, end, m)
        except Unsupported as exc:
            warnings.append(f"{name}:{i + 1}: warning: front matter field {m.group(1)!r} left untranslated: {exc}")
            continue
        if found is not None:
            fields.append(found)
    return fields, warnings


def rebuild(out: list[str], fields: list[Field], texts: dict[str, str]) -> None:
    """Write each field's translation (from *texts*, by unit id) into *out*, the file's
    lines; a field whose translation is its source keeps its lines byte for byte."""
    for f in fields:
        new = [_translation(piece, texts.get(f.id(k), piece)) for k, piece in enumerate(f.pieces)]
        if new == f.pieces:
            continue
        out[f.first] = f.render(new)
        for i in range(f.first + 1, f.last + 1):
            out[i] = ""


def _translation(piece: str, translated: str) -> str:
    """*piece*'s translation on one line (a piece is one line or one paragraph: the line
    breaks are the field's layout, not the engine's), with the piece's own leading and
    trailing spaces; the piece itself, untouched, when the engine gave it back or nothing."""
    core = re.sub(rf"[ \t]*[{_BREAKS}]+[ \t]*", " ", translated).strip()
    if translated == piece or not core:
        return piece
    return piece[:len(piece) - len(piece.lstrip())] + core + piece[len(piece.rstrip()):]


# -- reading -------------------------------------------------------------------------------


def _body(line: str) -> str:
    return line.rstrip("\r\n")


def _newline(line: str) -> str:
    return line[len(_body(line)):]


def _field(lines: list[str], i: int, end: int, key: re.Match[str]) -> Field | None:
    """The field whose key *key* matched on line *i* (None: nothing to translate:
    no value, a number, a date...)."""
    body = _body(lines[i])
    start = len(body) - len(body[key.end():].lstrip(" \t"))
    rest = body[start:]
    if not rest or rest.startswith("#"):
        _below(lines, i, end)
        return None
    if rest[0] in "\"'":
        return _quoted(lines, i, end, key.group(1), start)
    if rest[0] in "|>":
        return _block(lines, i, end, key.group(1), start)
    if rest[0] in "[{":
        raise Unsupported(f"a flow {'list' if rest[0] == '[' else 'mapping'} ({rest[0]}...), not a text")
    if rest[0] in "*&!":
        raise Unsupported(f"an {'alias' if rest[0] == '*' else 'anchor' if rest[0] == '&' else 'explicit tag'} "
                          f"({rest[0]}...) is not read here")
    if rest[0] in _INDICATORS and (rest[0] not in "-?:" or rest[1:2] in ("", " ", "\t")):
        raise Unsupported(f"not valid YAML: a plain value cannot start with {rest[0]!r}")
    return _plain(lines, i, end, key.group(1), start)


def _below(lines: list[str], i: int, end: int) -> None:
    """A key with nothing after it: a null value, or one on the indented lines below
    (a list, a mapping, or a text starting on the next line), which is not read here."""
    for j in range(i + 1, end):
        text = _body(lines[j])
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if text[0] not in " \t" and not text.startswith("- "):
            return  # the next key: the value is null
        what = text.strip()
        kind = ("a list" if what == "-" or what.startswith("- ") else
                "a mapping" if _KEY.match(what) else "a value starting on the line below the key")
        raise Unsupported(f"{kind}, not a text on the key's line")


def _continuation(lines: list[str], i: int, end: int) -> int:
    """The last line of a plain value starting on line *i*: the indented lines after it
    that are not comments (blank lines inside count, blank lines after do not)."""
    last = i
    for j in range(i + 1, end):
        text = _body(lines[j])
        if not text.strip():
            continue
        if text[0] not in " \t" or text.lstrip().startswith("#"):
            break
        last = j
        if _COMMENT.search(text):
            break  # a comment ends the value
    return last


def _plain(lines: list[str], i: int, end: int, key: str, start: int) -> Field | None:
    """A plain value: up to a comment, over the indented lines after it."""
    last = i if _COMMENT.search(_body(lines[i]), start) else _continuation(lines, i, end)
    raw = []
    for j in range(i, last + 1):
        text = _body(lines[j])
        cut = _COMMENT.search(text, start if j == i else 0)
        raw.append(text[start if j == i else 0:cut.start() if cut else len(text)].strip(" \t"))
    if len(raw) > 1 and any(": " in r or r.endswith(":") for r in raw):
        raise Unsupported("not valid YAML: ': ' inside a plain value over several lines (quote it)")
    value = _fold(raw)
    if last == i and _NOT_TEXT.fullmatch(value):
        return None  # a number, a date, a boolean: not a text
    text = _body(lines[last])
    value_end = text.index(raw[-1], start if last == i else 0) + len(raw[-1])
    return _flow_field(lines, i, last, key, "plain", value, start, text[value_end:] + _newline(lines[last]))


def _quoted(lines: list[str], i: int, end: int, key: str, start: int) -> Field:
    """A single- or double-quoted value, up to its closing quote (on this line or a later one)."""
    quote = _body(lines[i])[start]
    j, pos, raw = i, start + 1, []
    while True:
        text = _body(lines[j])
        close = _closing(text, pos, quote)
        if close >= 0:
            raw.append(text[pos:close])
            break
        raw.append(text[pos:])
        j, pos = j + 1, 0
        if j >= end:
            raise Unsupported(f"not valid YAML: the {quote} opened here is not closed")
    tail = text[close + 1:]
    if tail.strip() and not _COMMENT.match(tail):
        where = f" (the value runs to line {j + 1}: is its closing quote missing?)" if j > i else ""
        raise Unsupported(f"not valid YAML: text after the closing {quote}{where}")
    value = _decode("\n".join(raw), quote)
    f = _flow_field(lines, i, j, key, quote, value, start, tail + _newline(lines[j]))
    f.ascii = quote == '"' and "\n".join(raw).isascii() and not value.isascii()
    return f


def _flow_field(lines: list[str], i: int, last: int, key: str, style: str, value: str, start: int,
                tail: str) -> Field:
    """A plain or quoted value from line *i* to *last*: wrapped as it was when it took
    several lines, at the width of its longest line, its continuation lines indented alike."""
    f = Field(key, i, last, style, value.split("\n"), [i] * (value.count("\n") + 1), _body(lines[i])[:start], tail)
    if last > i:
        second = next(text for text in map(_body, lines[i + 1:last + 1]) if text.strip())
        f.indent = second[:len(second) - len(second.lstrip(" \t"))] or " "
        f.width = max(len(_body(lines[k])) for k in range(i, last + 1))
    return f


def _closing(text: str, pos: int, quote: str) -> int:
    """Where the quoted value opened before *pos* closes on *text*, or -1."""
    k = pos
    while k < len(text):
        if quote == '"' and text[k] == "\\":
            k += 2
        elif text[k] == quote:
            if quote == "'" and text[k + 1:k + 2] == "'":
                k += 2
            else:
                return k
        else:
            k += 1
    return -1


def _fold(raw: list[str]) -> str:
    """A plain value's lines (trimmed) as YAML joins them: one line break a space, each
    blank line between two lines a line break."""
    out, blanks = raw[0], 0
    for text in raw[1:]:
        if not text:
            blanks += 1
            continue
        out += ("\n" * blanks if blanks else " ") + text
        blanks = 0
    return out


def _decode(raw: str, quote: str) -> str:
    """The value of a quoted scalar whose text between the quotes is *raw* (its lines
    joined with "\\n"): escapes or ``''`` decoded, its lines folded as YAML does."""
    out, k = [], 0
    while k < len(raw):
        ch = raw[k]
        if quote == "'" and raw.startswith("''", k):
            out.append("'")
            k += 2
        elif quote == '"' and ch == "\\":
            k = _escape(raw, k, out)
        elif ch in " \t":
            run = len(raw[k:]) - len(raw[k:].lstrip(" \t"))
            if not raw.startswith("\n", k + run):
                out.append(raw[k:k + run])  # spaces before a line break are folded away
            k += run
        elif ch == "\n":
            k, breaks = _breaks(raw, k + 1)
            out.append("\n" * breaks if breaks else " ")
        else:
            out.append(ch)
            k += 1
    return "".join(out)


def _breaks(raw: str, k: int) -> tuple[int, int]:
    """After a line break at *k* - 1: past the next lines' indentation, and how many
    blank lines were stepped over."""
    breaks = 0
    while True:
        k += len(raw[k:]) - len(raw[k:].lstrip(" \t"))
        if not raw.startswith("\n", k):
            return k, breaks
        breaks, k = breaks + 1, k + 1


def _escape(raw: str, k: int, out: list[str]) -> int:
    """Decode the escape at *raw[k]* (a backslash) into *out*; the index after it."""
    code = raw[k + 1:k + 2]
    if code == "\n":  # an escaped line break: the lines join without a space
        k, breaks = _breaks(raw, k + 2)
        out.append("\n" * breaks)
        return k
    if code in _ESCAPES:
        out.append(_ESCAPES[code])
        return k + 2
    digits = raw[k + 2:k + 2 + _HEX_ESCAPES.get(code, 0)]
    if code in _HEX_ESCAPES and len(digits) == _HEX_ESCAPES[code] and all(c in "0123456789abcdefABCDEF"
                                                                          for c in digits):
        out.append(chr(int(digits, 16)))
        return k + 2 + len(digits)
    raise Unsupported(f"not valid YAML: unknown escape \\{code} in a double-quoted value")


def _block(lines: list[str], i: int, end: int, key: str, start: int) -> Field | None:
    """A literal (``|``) or folded (``>``) block: its content lines, by its indentation
    indicator or by its first line's indentation, down to the first line indented less."""
    header = _BLOCK_HEADER.fullmatch(_body(lines[i]), start)
    if not header:
        raise Unsupported("not valid YAML: a block header is | or > with at most an indentation digit "
                          "and a + or -, then a comment")
    digit = "".join(c for c in header.group(2) or "" if c.isdigit())
    indent, last = int(digit) if digit else 0, i
    for j in range(i + 1, end):
        text = _body(lines[j])
        if not text.strip(" \t"):
            continue
        lead = len(text) - len(text.lstrip(" "))
        indent = indent or lead
        if not lead or lead < indent:
            break
        last = j
    if last == i:
        return None  # an empty block
    f = Field(key, i, last, header.group(1), [], [], lines[i], indent=" " * indent)
    f.width = max(20, *(len(_body(lines[j])) for j in range(i + 1, last + 1)))
    _layout(f, lines[i + 1:last + 1], i + 1)
    return f


def _layout(f: Field, content: list[str], first: int) -> None:
    """A block's content lines as *f*'s layout and pieces: in a folded block, each run of
    lines at the block's indentation is a paragraph (YAML joins them with spaces); every
    other line with text (a literal block's, a folded block's more indented ones, whose
    line breaks YAML keeps) is a piece of its own; blank lines stay as they are."""
    n = len(f.indent)
    for k, line in enumerate(content):
        text, newline = _body(line), _newline(line)
        if not text.strip(" \t"):
            f.layout.append(("keep", line, -1, ""))
        elif f.style == ">" and text[n] not in " \t":
            if f.layout and f.layout[-1][0] == "para":
                f.pieces[f.layout[-1][2]] += " " + text[n:].rstrip(" \t")
                f.layout[-1] = ("para", "", f.layout[-1][2], newline)
            else:
                f.layout.append(("para", "", len(f.pieces), newline))
                f.pieces.append(text[n:].rstrip(" \t"))
                f.lines.append(first + k)
        else:
            core = text.strip(" \t")
            at = text.index(core)
            f.layout.append(("line", text[:at], len(f.pieces), text[at + len(core):] + newline))
            f.pieces.append(core)
            f.lines.append(first + k)


# -- writing -------------------------------------------------------------------------------


def _block_line(item: Item, texts: list[str], indent: str, width: int) -> str:
    """One item of a block's layout, with its piece's translation."""
    kind, text, piece, end = item
    if kind == "keep":
        return text
    if kind == "line":
        return text + texts[piece] + end
    room = width - len(indent)
    return (end or "\n").join(indent + line for line in _wrap(texts[piece], room, room)) + end


def _wrap(text: str, first: int, room: int, avoid: str = "") -> list[str]:
    """*text* on lines of at most *first* characters for the first one, *room* for the
    others, broken only at single spaces between two other characters: YAML folds each
    such line break back into that one space.  A line never starts with a character of
    *avoid* (a plain value's continuation line cannot start with a comment)."""
    words = re.split(r"(?<=[^ \t]) (?=[^ \t])", text)
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) > (room if len(lines) > 1 else first) and word[:1] not in avoid:
            lines.append(word)
        else:
            lines[-1] += " " + word
    return lines


def _printable(ch: str) -> bool:
    """Whether YAML takes *ch* as itself in a file (its c-printable set)."""
    o = ord(ch)
    return (o in (0x09, 0x0A, 0x0D, 0x85) or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
            or o >= 0x10000)


def _plain_ok(text: str) -> bool:
    """Whether YAML reads *text*, written plain after a key, back as this same string."""
    return (bool(text) and text == text.strip(" ") and text[0] not in _INDICATORS
            and all(_printable(c) and c not in _BREAKS and c != "\t" for c in text)
            and ": " not in text and not text.endswith(":") and " #" not in text
            and not _NOT_TEXT.fullmatch(text))


def _scalar(text: str, style: str, ascii: bool) -> str:
    """*text* as a YAML scalar of *style* if that style can hold it, else double-quoted."""
    if style == "plain" and _plain_ok(text):
        return text
    if style == "'" and all(_printable(c) and c not in _BREAKS and c != "\t" for c in text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escaped(c, ascii) for c in text) + '"'


def _escaped(ch: str, ascii: bool) -> str:
    """*ch* inside a double-quoted scalar (*ascii*: non-ASCII characters as escapes)."""
    if ch in _WRITTEN_ESCAPES:
        return "\\" + _WRITTEN_ESCAPES[ch]
    o = ord(ch)
    if _printable(ch) and ch != "\ufeff" and not (ascii and o > 0x7E):
        return ch
    if o <= 0x7E:
        return f"\\x{o:02X}"
    return f"\\u{o:04X}" if o <= 0xFFFF else f"\\U{o:08X}"
