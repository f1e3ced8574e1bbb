"""Strict reading of gettext PO files: the syntax rules of ``msgfmt --check``, in Python.

polib's parser is lenient: an unterminated string loses its last character and the
next lines become a bogus entry.  This module reads the bytes first, with gettext's
grammar (po-lex.c and po-gram-gen.y): quoted strings properly terminated with valid
escapes, keywords in order (``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` or
``msgstr[N]`` from 0 up), ``#|`` previous strings, ``#~`` obsolete entries that stay
obsolete, no duplicate message, the header's charset.  The first problem raises
:class:`InputError` naming the file and line.

Stricter than msgfmt, because each of these would silently change the output: NUL
bytes (msgfmt cuts the string there), escapes polib would rewrite (``\\a``, octal,
``\\x``), an unknown or non-ASCII-compatible charset, and a header declaring a
single-byte charset for a file that is UTF-8.  More lenient on two points that do
not change the output: a UTF-8 byte-order mark, and a missing header (we write one).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import InputError

HINT = " (check it with 'msgfmt --check')"
_TOKEN = re.compile(r'(?P<ws>[ \t\r\f\v]+)|(?P<string>"(?:[^"\\]|\\.)*")|(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)'
                    r'|(?P<number>[0-9]+)|(?P<punct>[\[\]])')
_ESCAPE = re.compile(r"\\(.)")
_VALID_ESCAPE = re.compile(r"\\(?:a|[0-7]{1,3}|x[0-9A-Fa-f]+)")  # gettext's, which polib does not read
_PLAIN_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "\\": "\\", '"': '"'}
_KEYWORDS = {"domain", "msgctxt", "msgid", "msgid_plural", "msgstr"}
_PREVIOUS_KEYWORDS = {"msgctxt", "msgid", "msgid_plural"}
_CHARSET = re.compile(r"charset=([^\s;]*)")


class _Token(NamedTuple):
    kind: str  # keyword, string, number, [, ], comment, prev-keyword, prev-string, end
    value: str
    line: int
    obsolete: bool


@dataclass
class Message:
    """One entry as gettext reads it (the header is the one with an empty msgid and no msgctxt)."""

    line: int  # where its msgid keyword is
    obsolete: bool
    flags: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)
    previous: tuple[str | None, str | None, str | None] = (None, None, None)  # #| msgctxt, msgid, msgid_plural

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def translated(self) -> bool:
        """What msgfmt compiles: the msgstr, or msgstr[0], is not empty."""
        return bool(self.msgstr or (self.msgstr_plural and self.msgstr_plural[0]))

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


@dataclass
class Catalog:
    text: str  # the decoded file, for polib
    charset: str
    messages: list[Message]

    @property
    def header(self) -> Message | None:
        return next((m for m in self.messages if m.is_header), None)


class _Problem(Exception):
    """A problem at a line; :func:`check` turns it into an :class:`InputError`."""

    def __init__(self, line: int, detail: str, kind: str = "gettext") -> None:
        """*kind*: "gettext" (msgfmt refuses it too), "ours" (msgfmt accepts it, but the
        output would be wrong), "unsupported" (valid, but polib would change it)."""
        super().__init__(detail)
        self.line, self.detail, self.kind = line, detail, kind


def check(data: bytes, *, name: str) -> Catalog:
    """Decode and parse PO *data* strictly; raise :class:`InputError` (``name:line: ...``)."""
    try:
        text, charset = _decode(data)
        messages = _Parser(_tokens(text)).messages()
        _check_messages(messages)
    except _Problem as problem:
        where = f"{name}:{problem.line}" if problem.line else name
        if problem.kind == "unsupported":
            raise InputError(f"unsupported PO content: {problem.detail}", path=where) from None
        hint = HINT if problem.kind == "gettext" else ""
        raise InputError(f"malformed PO file: {problem.detail}{hint}", path=where) from None
    return Catalog(text, charset, messages)


# -- bytes to text -------------------------------------------------------------------------
def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes) -> tuple[str, str]:
    """The text of the file, decoded with the charset its header declares (UTF-8 if none)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Problem(1, "UTF-16 file: convert it with 'iconv -f UTF-16 -t UTF-8'", kind="unsupported")
    if b"\0" in data:
        raise _Problem(_line_of(data, data.index(b"\0")), "NUL byte (gettext would cut the string there): "
                                                          "remove it", "ours")
    data = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if not data.strip():
        raise _Problem(0, "empty file: no header, no messages")
    declared, line = _declared_charset(data)
    charset = "UTF-8" if declared in (None, "", "CHARSET") else declared
    _check_charset(charset, line)
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        raise _Problem(_line_of(data, exc.start), f"invalid multibyte sequence for charset {charset} "
                                                  f"(byte {exc.start}): fix the bytes or the header's charset")
    one_byte_one_char = len(text) == len(data) and codecs.lookup(charset).name != "utf-8"
    if one_byte_one_char and _looks_utf8(data):
        raise _Problem(_line_of(data, re.search(rb"[\x80-\xff]", data).start()),
                       f"the header says charset={charset} but the file is UTF-8: "
                       "write charset=UTF-8 in its Content-Type", "ours")
    return text, charset


def _declared_charset(data: bytes) -> tuple[str | None, int]:
    """The charset of the header entry and its line, found by a tolerant first pass."""
    try:
        for message in _Parser(_tokens(data.decode("latin-1"))).iter_messages():
            if message.is_header:
                found = _CHARSET.search(message.msgstr or "")
                return (found.group(1) if found else None), message.line
    except _Problem:
        pass  # the real pass, on the decoded text, reports it
    return None, 0


def _check_charset(charset: str, line: int) -> None:
    try:
        info = codecs.lookup(charset)
        ascii_compatible = 'msgid "#[0]\\\n'.encode(info.name) == b'msgid "#[0]\\\n'
    except (LookupError, UnicodeError):
        ascii_compatible = None
    if ascii_compatible is None or not getattr(info, "_is_text_encoding", True):
        raise _Problem(line, f"unknown charset {charset!r} in the header's Content-Type: write charset=UTF-8",
                       "ours")
    if not ascii_compatible:
        raise _Problem(line, f"charset {charset!r} is not ASCII-compatible, PO files cannot use it: "
                          "convert the file to UTF-8", kind="unsupported")


def _looks_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return re.search(rb"[\xc2-\xf4][\x80-\xbf]", data) is not None


# -- text to tokens ------------------------------------------------------------------------
def _unescape(body: str, line: int) -> str:
    def one(match: re.Match) -> str:
        char = match.group(1)
        if char in _PLAIN_ESCAPES:
            return _PLAIN_ESCAPES[char]
        valid = _VALID_ESCAPE.match(body, match.start())
        if valid:
            raise _Problem(line, f"escape '{valid.group()}' is valid gettext but would be rewritten: "
                                 "write the character itself", kind="unsupported")
        raise _Problem(line, f"invalid control sequence '\\{char}'")

    value = _ESCAPE.sub(one, body)
    if "\x04" in value:
        raise _Problem(line, "context separator <EOT> within string")
    return value


def _tokens(text: str):
    """Tokens of gettext's lexer; ``#~`` and ``#|`` switch modes until the end of the line."""
    for number, line in enumerate(text.split("\n"), 1):
        pos, obsolete, previous = 0, False, False
        while pos < len(line):
            if line.startswith("#~", pos):
                obsolete, pos = True, pos + 2
                if line.startswith("|", pos):
                    previous, pos = True, pos + 1
                continue
            if line.startswith("#|", pos):
                previous, pos = True, pos + 2
                continue
            if line[pos] == "#":
                yield _Token("comment", line[pos + 1:], number, obsolete)
                break
            match = _TOKEN.match(line, pos)
            if match is None:
                if line[pos] == '"':
                    raise _Problem(number, "end-of-line within string")
                raise _Problem(number, f"syntax error: unexpected {line[pos]!r}")
            pos, kind, value = match.end(), match.lastgroup, match.group()
            if kind == "ws":
                continue
            if kind == "string":
                value, kind = _unescape(value[1:-1], number), "string"
            elif kind == "name":
                known = _PREVIOUS_KEYWORDS if previous else _KEYWORDS
                if value not in known:
                    raise _Problem(number, f"syntax error: unknown keyword {value!r}")
                kind = "keyword"
            elif kind == "punct":
                kind = value
            yield _Token(f"prev-{kind}" if previous and kind in ("keyword", "string") else kind,
                         value, number, obsolete)
    yield _Token("end", "", text.count("\n") + 1, False)


# -- tokens to messages --------------------------------------------------------------------
class _Parser:
    """gettext's grammar (po-gram-gen.y), one token of lookahead."""

    def __init__(self, tokens) -> None:
        self._tokens = iter(tokens)
        self.tok = next(self._tokens)
        self._first: _Token | None = None  # first token of the message being read

    def _take(self) -> _Token:
        tok = self.tok
        if self._first is not None and tok.obsolete != self._first.obsolete:
            raise _Problem(tok.line, "inconsistent use of #~")
        self.tok = next(self._tokens)
        return tok

    def _at(self, kind: str, value: str | None = None) -> bool:
        return self.tok.kind == kind and (value is None or self.tok.value == value)

    def _strings(self, kind: str = "string") -> str:
        if not self._at(kind):
            raise _Problem(self.tok.line, "syntax error: a quoted string is expected here")
        parts = []
        while self._at(kind):
            parts.append(self._take().value)
        return "".join(parts)

    def messages(self) -> list[Message]:
        found = list(self.iter_messages())
        if not found:
            raise _Problem(0, "no messages: not a PO file")
        return found

    def iter_messages(self):
        flags: list[str] = []
        while not self._at("end"):
            if self._at("comment"):
                comment = self._take().value
                if comment.startswith(","):
                    flags += [f.strip() for f in comment[1:].split(",") if f.strip()]
                continue
            if self._at("keyword", "domain"):
                raise _Problem(self.tok.line, "'domain' directives are not supported: one domain per file",
                               kind="unsupported")
            if not (self._at("prev-keyword") or self._at("keyword", "msgctxt") or self._at("keyword", "msgid")):
                raise _Problem(self.tok.line, self._stray())
            yield self._message(flags)
            flags = []

    def _stray(self) -> str:
        if self._at("keyword", "msgstr"):
            return "syntax error: msgstr without msgid"
        if self._at("keyword", "msgid_plural"):
            return "syntax error: msgid_plural without msgid"
        if self._at("string"):
            return "syntax error: a string outside any message"
        return "syntax error"

    def _message(self, flags: list[str]) -> Message:
        self._first = self.tok
        message = Message(line=self.tok.line, obsolete=self.tok.obsolete, flags=flags)
        if self._at("prev-keyword"):
            message.previous = self._previous()
        if self._at("keyword", "msgctxt"):
            self._take()
            message.msgctxt = self._strings()
        if not self._at("keyword", "msgid"):
            raise _Problem(self.tok.line, "syntax error: msgid expected")
        message.line = self._take().line
        message.msgid = self._strings()
        if self._at("keyword", "msgid_plural"):
            self._take()
            message.msgid_plural = self._strings()
            if not (self._at("keyword", "msgstr")):
                raise _Problem(message.line, "missing 'msgstr[]' section")
        if self._at("keyword", "msgstr"):
            msgstr = self._take()
            if self._at("["):
                if message.msgid_plural is None:
                    raise _Problem(msgstr.line, "missing 'msgid_plural' section (msgstr[N] needs one)")
                message.msgstr_plural = self._plural_forms(msgstr)
            elif message.msgid_plural is not None:
                raise _Problem(msgstr.line, "syntax error: msgstr[N] expected after msgid_plural")
            else:
                message.msgstr = self._strings()
        else:
            raise _Problem(message.line, "missing 'msgstr' section")
        self._first = None
        return message

    def _previous(self) -> tuple[str | None, str | None, str | None]:
        values: dict[str, str] = {}
        for keyword in ("msgctxt", "msgid", "msgid_plural"):
            if self._at("prev-keyword", keyword):
                self._take()
                values[keyword] = self._strings("prev-string")
            elif keyword == "msgid":
                raise _Problem(self.tok.line, "syntax error: '#| msgid' expected")
        if self._at("prev-keyword") or self._at("prev-string"):
            raise _Problem(self.tok.line, "syntax error in a '#|' line")
        return values.get("msgctxt"), values.get("msgid"), values.get("msgid_plural")

    def _plural_forms(self, msgstr: _Token) -> list[str]:
        forms: list[str] = []
        while True:
            line = msgstr.line
            self._take()  # [
            if not self._at("number"):
                raise _Problem(line, "syntax error: msgstr[N] needs a number")
            index = int(self._take().value)
            if not self._at("]"):
                raise _Problem(line, "syntax error: ']' expected")
            self._take()
            if index != len(forms):
                raise _Problem(line, "first plural form has nonzero index" if not forms else
                               f"plural form has wrong index: msgstr[{index}] where msgstr[{len(forms)}] belongs")
            forms.append(self._strings())
            if not (self._at("keyword", "msgstr")):
                return forms
            msgstr = self._take()
            if not self._at("["):
                raise _Problem(msgstr.line, "syntax error: msgstr[N] expected after msgid_plural")


# -- whole-file rules ----------------------------------------------------------------------
def _check_messages(messages: list[Message]) -> None:
    seen: dict[tuple[str | None, str], int] = {}
    for message in messages:
        key = (message.msgctxt, message.msgid)
        if key in seen:
            raise _Problem(message.line, f"duplicate message definition (first at line {seen[key]})")
        seen[key] = message.line
        if message.msgid_plural == "":
            raise _Problem(message.line, "empty msgid_plural would be read as a singular message: "
                                         "write the plural of the msgid", kind="unsupported")
        if not message.obsolete and not message.fuzzy:
            _check_newlines(message)


def _check_newlines(message: Message) -> None:
    """msgfmt's rule: a translation begins and ends with a newline exactly when its msgid does."""
    if message.msgid == "" or not message.translated:
        return
    others = [("msgid_plural", message.msgid_plural)] if message.msgid_plural is not None else []
    others += [("msgstr", message.msgstr)] if message.msgstr is not None else []
    others += [(f"msgstr[{i}]", s) for i, s in enumerate(message.msgstr_plural)]
    for where, test in (("begin", lambda s: s.startswith("\n")), ("end", lambda s: s.endswith("\n"))):
        for label, other in others:
            if test(other) != test(message.msgid):
                raise _Problem(message.line, f"'msgid' and '{label}' entries do not both {where} with '\\n'")
