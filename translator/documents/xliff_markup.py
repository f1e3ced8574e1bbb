"""The XML under an XLIFF file, read and rewritten in place.

An XLIFF file is only changed where its targets go: everything else (comments,
namespaces, attribute order and quotes, entities, whitespace) must come back byte for
byte, which no XML serializer promises.  So the file is parsed twice over the same
bytes: once by the safe reader of :mod:`translator.tmx` (entity declarations refused,
lines for messages, an element tree), once by expat for the byte span of every element,
and the output is the source with a few spans replaced.

Inline codes are cut from the source exactly as written (``<g id="1">``, ``<x id="2"/>``)
and travel through the engines as do-not-translate pieces.  Where ``xml:space="preserve"``
holds, so does every inner run of white space but a single space (``Deux   espaces``: the
engines would give ``Dos espacios``): it travels as its character references
(``&#32;&#32;&#32;``) and is written back as the spaces themselves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..errors import InputError
from ..tmx import local, parse_xml
from .base import CODE, TEXT

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_ATTRIBUTE = re.compile(r"""(\s+)([^\s=/>]+)(\s*=\s*)("[^"]*"|'[^']*')""")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: white space the engines do not keep where xml:space="preserve" holds: more than one space,
#: a tab, a line break
_KEPT_SPACE = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")
_SPACE_CODE = re.compile(r"(?:&#(?:32|9|10|13);)+")


@dataclass
class Span:
    """Where an element is in the UTF-8 bytes: ``<a ...>`` is [start, inner), its
    content [inner, close), ``</a>`` [close, end); an empty element has inner == close == end."""

    start: int
    inner: int
    close: int
    end: int


class Xml:
    """A parsed XML file: its tree, the lines and byte spans of its elements, and its bytes."""

    def __init__(self, data: bytes, *, name: str, what: str) -> None:
        self.root, self.lines = parse_xml(data, name=name, what=what)
        self.encoding = _encoding(data)
        self.raw = data.decode(self.encoding).encode("utf-8")
        self.spans = dict(zip(self.root.iter(), _spans(self.raw)))

    def slice(self, start: int, end: int) -> str:
        return self.raw[start:end].decode("utf-8")

    def start_tag(self, element: ET.Element) -> str:
        span = self.spans[element]
        return self.slice(span.start, span.inner)

    def qname(self, element: ET.Element) -> str:
        """The element's name as written (``target``, ``xlf:target``)."""
        return re.match(r"<([^\s/>]+)", self.start_tag(element)).group(1)

    def indent(self, element: ET.Element) -> str:
        """The line break and indentation before *element*, if it starts a line."""
        before = self.raw[:self.spans[element].start].decode("utf-8")
        head = before[before.rfind("\n"):] if "\n" in before else ""
        return head if head.strip() == "" else ""

    def rebuilt(self, edits: list[tuple[int, int, str]]) -> bytes:
        """The file with each (start, end, text) edit made, in its own encoding."""
        out, last = [], 0
        for start, end, text in sorted(edits):
            out += [self.raw[last:start], text.encode("utf-8")]
            last = end
        text = b"".join([*out, self.raw[last:]]).decode("utf-8")
        return text.encode(self.encoding, "xmlcharrefreplace")


def _encoding(data: bytes) -> str:
    """The encoding the XML reader used: a byte-order mark, else the declaration, else UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    declared = _DECLARED.match(data)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def _tag_end(raw: bytes, start: int) -> int:
    """The end of the tag opening at *start* (quoted attribute values may hold '>')."""
    i, quote = start, None
    while True:
        ch = raw[i:i + 1]
        if quote:
            if ch == quote:
                quote = None
        elif ch in (b'"', b"'"):
            quote = ch
        elif ch == b">":
            return i + 1
        i += 1


def _spans(raw: bytes) -> list[Span]:
    """The span of every element in document order (the order of ``Element.iter``)."""
    from xml.parsers import expat

    parser = expat.ParserCreate("UTF-8")
    spans: list[Span] = []
    stack: list[Span] = []

    def start(_tag, _attrs) -> None:
        at = parser.CurrentByteIndex
        span = Span(at, _tag_end(raw, at), -1, -1)
        spans.append(span)
        stack.append(span)

    def end(_tag) -> None:
        span, at = stack.pop(), parser.CurrentByteIndex
        if raw[span.inner - 2:span.inner] == b"/>":  # <empty/>
            span.close = span.end = span.inner
        else:
            span.close, span.end = at, raw.index(b">", at) + 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(raw, True)
    return spans


def set_attributes(tag: str, values: dict[str, str]) -> str:
    """The start tag *tag* with each attribute of *values* set (replaced in place, else
    added at the end), everything else as written."""
    values = dict(values)

    def replace(m: re.Match) -> str:
        if m.group(2) not in values:
            return m.group(0)
        return f'{m.group(1)}{m.group(2)}{m.group(3)}"{escape(values.pop(m.group(2)), True)}"'

    tag = _ATTRIBUTE.sub(replace, tag)
    closing = "/>" if tag.endswith("/>") else ">"
    body = tag[: -len(closing)].rstrip()
    return body + "".join(f' {k}="{escape(v, True)}"' for k, v in values.items()) + closing


def escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def runs(xml: Xml, element: ET.Element, whole: callable, preserve: bool = False) -> list[tuple[str, str]]:
    """The content of *element* as text runs and inline codes.  ``whole(child)`` says
    whether a child is one code (``<x/>``, ``<ph>...</ph>``, protected ``<mrk>``); any
    other child is a pair of codes (its start and end tags) around its own runs.

    Where ``xml:space="preserve"`` holds (*preserve*: it holds on *element*; a child may
    say otherwise), each inner run of white space that is not one space is a code too
    (:func:`space_code`): the engines keep one space between words, not two."""
    out: list[tuple[str, str, bool]] = []
    stack: list[ET.Element | tuple[str, str, bool]] = [element]
    spaced = {element: _preserved(element, preserve)}
    while stack:  # iterative: any depth of nesting
        item = stack.pop()
        if isinstance(item, tuple):
            out.append(item)
            continue
        span = xml.spans[item]
        if item is not element and whole(item):
            out.append((CODE, xml.slice(span.start, span.end), False))
            continue
        if item is not element:
            out.append((CODE, xml.start_tag(item), False))
            stack.append((CODE, xml.slice(span.close, span.end), False))
        keep = spaced[item]
        if item.text:
            out.append((TEXT, item.text, keep))
        for child in reversed(item):
            spaced[child] = _preserved(child, keep)
            if child.tail:
                stack.append((TEXT, child.tail, keep))
            stack.append(child)
    return _merged(_spaces(out))


def _preserved(element: ET.Element, inherited: bool) -> bool:
    """Whether ``xml:space="preserve"`` holds in *element* (its own attribute, else *inherited*)."""
    value = element.get(XML_SPACE)
    return inherited if value is None else value == "preserve"


def preserved(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> bool:
    """Whether ``xml:space="preserve"`` holds on *element*: its own ``xml:space``, else its
    nearest ancestor's (*parents*: each element's parent)."""
    while element is not None:
        if element.get(XML_SPACE) is not None:
            return element.get(XML_SPACE) == "preserve"
        element = parents.get(element)
    return False


def space_code(run: str) -> str:
    """A run of white space as an inline code: its XML character references (``&#32;&#32;``),
    which the engines carry as they carry any code, and :func:`content` writes back as
    the run itself."""
    return "".join(f"&#{ord(ch)};" for ch in run)


def is_space_code(code: str) -> bool:
    return _SPACE_CODE.fullmatch(code) is not None


def space_run(code: str) -> str:
    """The white space a :func:`space_code` stands for."""
    return "".join(chr(int(n)) for n in re.findall(r"\d+", code))


def _spaces(items: list[tuple[str, str, bool]]) -> list[tuple[str, str]]:
    """*items* as runs, the inner white space of the preserved text runs as codes; the
    white space at the very start and end stays text (it is kept around translations).
    Text that reads like such a code itself (``&amp;#32;`` in the file) keeps its spaces as text:
    the two could not be told apart."""
    if any(kind == TEXT and _SPACE_CODE.search(s) for kind, s, _ in items):
        return [(kind, s) for kind, s, _ in items]
    out: list[tuple[str, str]] = []
    for kind, s, keep in items:
        if kind != TEXT or not keep:
            out.append((kind, s))
            continue
        last = 0
        for m in _KEPT_SPACE.finditer(s):
            out += [(TEXT, s[last:m.start()]), (CODE, space_code(m.group(0)))]
            last = m.end()
        out.append((TEXT, s[last:]))
    out = [(kind, s) for kind, s in out if s]
    for i in (0, -1):
        if out and out[i][0] == CODE and is_space_code(out[i][1]):
            out[i] = (TEXT, space_run(out[i][1]))
    return out


def _merged(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for kind, s in items:
        if out and out[-1][0] == kind == TEXT:
            out[-1] = (TEXT, out[-1][1] + s)
        elif s:
            out.append((kind, s))
    return out


def content(translation: str, codes: list[str]) -> str:
    """A translation as XML content: its codes as they are (white space codes as the white
    space they stand for), the text between them escaped."""
    if not codes:
        return escape(translation)
    pattern = re.compile("|".join(re.escape(c) for c in sorted(set(codes), key=len, reverse=True)))
    out, last = [], 0
    for m in pattern.finditer(translation):
        code = m.group(0)
        out += [escape(translation[last:m.start()]),
                space_run(code).replace("\r", "&#13;") if is_space_code(code) else code]  # a CR read as one
        last = m.end()
    return "".join([*out, escape(translation[last:])])


def well_formed(markup: str) -> bool:
    """Whether inline content nests properly (prefixes are not checked: they are declared
    on the file's elements)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(f"<r>{markup}</r>", True)
    except expat.ExpatError:
        return False
    return True


def fail(xml: Xml, name: str, element: ET.Element, problem: str) -> InputError:
    return InputError(f"invalid XLIFF: {problem}", path=f"{name}:{xml.lines.get(element, 1)}")


def children(element: ET.Element, tag: str) -> list[ET.Element]:
    return [c for c in element if local(c.tag) == tag]
