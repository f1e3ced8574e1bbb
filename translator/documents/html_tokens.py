"""HTML source split into tokens that know their exact place in the text.

The standard library's tokenizer (:class:`html.parser.HTMLParser`) follows the HTML5
tokenizer closely enough for pages and fragments, never rebuilds anything, and tells
where each token starts (``getpos``): every token here is a slice of the source, so a
page is rebuilt byte for byte by joining the slices and replacing only the ones that
were translated.  Attribute values are located inside a start tag's own text with the
tokenizer's own patterns, so that a value can be replaced where it stands.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import InputError

START, END, EMPTY, DATA, COMMENT, OTHER = "start", "end", "empty", "data", "comment", "other"

# html.parser's own patterns for a tag name and one attribute (Lib/html/parser.py), kept
# here so that the spans found are those of the attributes the tokenizer reported.
_TAG_NAME = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?"
                        r"(?:\s|/(?!>))*")


@dataclass
class Attribute:
    name: str  # lower case
    value: str | None  # decoded
    span: tuple[int, int] | None  # the raw value's place in the tag's text, quotes excluded
    quote: str  # '"', "'" or "" (unquoted)


@dataclass
class Token:
    kind: str  # START, END, EMPTY (<br/>), DATA, COMMENT, OTHER (doctype, CDATA, processing instruction)
    start: int
    end: int = 0
    tag: str = ""
    text: str = ""  # DATA: the decoded text
    attributes: list[Attribute] = field(default_factory=list)

    def attribute(self, name: str) -> str | None:
        return next((a.value for a in self.attributes if a.name == name), None)


class _Tokenizer(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self.lines = [0] + [m.end() for m in re.finditer("\n", source)]

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.tokens.append(Token(START, self._at(), tag=tag, attributes=_attributes(self.get_starttag_text(), attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(Token(EMPTY, self._at(), tag=tag, attributes=_attributes(self.get_starttag_text(), attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(Token(END, self._at(), tag=tag))

    def handle_data(self, data):
        self.tokens.append(Token(DATA, self._at(), text=data))

    def handle_comment(self, data):
        self.tokens.append(Token(COMMENT, self._at()))

    def handle_decl(self, decl):
        self.tokens.append(Token(OTHER, self._at(), tag="!doctype" if decl.lower().startswith("doctype") else ""))

    def unknown_decl(self, data):
        self.tokens.append(Token(OTHER, self._at()))

    def handle_pi(self, data):
        self.tokens.append(Token(OTHER, self._at()))


def _attributes(raw: str, parsed: list[tuple[str, str | None]]) -> list[Attribute]:
    """The attributes of a start tag with the place of each raw value in *raw*; places
    are left out (None) when the scan does not agree with the tokenizer's attributes."""
    found = []
    match = _TAG_NAME.match(raw, 1)
    k = match.end() if match else len(raw)
    while k < len(raw):
        m = _ATTRIBUTE.match(raw, k)
        if not m:
            break
        value = m.group(3) if m.group(2) else None
        if value is None:
            found.append((m.group(1).lower(), None, ""))
        elif value[:1] in "'\"" and value[-1:] == value[:1] and len(value) > 1:
            found.append((m.group(1).lower(), (m.start(3) + 1, m.end(3) - 1), value[0]))
        else:
            found.append((m.group(1).lower(), (m.start(3), m.end(3)), ""))
        k = m.end()
    same = [name for name, _, _ in found] == [name for name, _ in parsed]
    return [Attribute(name, value, found[i][1] if same else None, found[i][2] if same else "")
            for i, (name, value) in enumerate(parsed)]


def tokenize(source: str, *, name: str) -> list[Token]:
    """The tokens of *source*, covering it exactly (each ends where the next starts).
    Raises :class:`InputError` for what a browser would read very differently from the
    text (a comment or script never closed, a tag whose quote is not closed)."""
    tokenizer = _Tokenizer(source)
    tokenizer.feed(source)
    tokenizer.close()
    tokens = tokenizer.tokens
    for token, after in zip(tokens, tokens[1:] + [None]):
        token.end = after.start if after else len(source)
    _check(source, tokens, name)
    return tokens


def _line(source: str, at: int) -> int:
    return source.count("\n", 0, at) + 1


def _check(source: str, tokens: list[Token], name: str) -> None:
    raw_text = None  # the script or style element whose text the tokens are in
    for token in tokens:
        if token.kind == START and token.tag in ("script", "style"):
            raw_text = token
        elif token.kind == END and raw_text is not None and token.tag == raw_text.tag:
            raw_text = None
        elif token.kind == DATA and raw_text is None:
            raw = source[token.start:token.end]
            # what follows, not the token alone: at the end of the input the tokenizer gives
            # an unclosed "<!-- ..." as "<" then "!-- ...", which were translated as text
            ahead = source[token.start:token.start + 200]
            if ahead.startswith("<!--"):
                raise InputError("a comment (<!--) is never closed: a browser hides the rest of the page; "
                                 "close it with -->", path=f"{name}:{_line(source, token.start)}")
            if re.match(r"</?[A-Za-z]", ahead):
                shown = raw if re.match(r"</?[A-Za-z]", raw) else ahead  # the tag as its token has it, if it does
                raise InputError(f"malformed tag {_excerpt(shown)}: close its quotes and its '>'",
                                 path=f"{name}:{_line(source, token.start)}")
            if html.unescape(raw) != token.text:
                token.kind = OTHER  # something the tokenizer dropped ("</>"): kept as it is
        elif token.kind == START and any(_unclosed(a) for a in token.attributes):
            raise InputError(f"malformed tag {_excerpt(source[token.start:token.end])}: an attribute's quote "
                             "is not closed; close it", path=f"{name}:{_line(source, token.start)}")
    if raw_text is not None:
        raise InputError(f"<{raw_text.tag}> is never closed: the file looks truncated; complete it",
                         path=f"{name}:{_line(source, raw_text.start)}")


def _unclosed(attribute: Attribute) -> bool:
    """An attribute that swallowed the markup after it: its quote was not closed
    (``href="x>Lien</a> <p class=`` then an attribute named ``y"``)."""
    value = attribute.value or ""
    return '"' in attribute.name or "'" in attribute.name or (
        ">" in value and re.search(r"\s[A-Za-z_:][-\w:.]*=$", value) is not None)


def _excerpt(raw: str) -> str:
    raw = " ".join(raw.split())
    return repr(raw if len(raw) <= 40 else raw[:39] + "…")


__all__ = ["COMMENT", "DATA", "EMPTY", "END", "OTHER", "START", "Attribute", "Token", "tokenize"]
