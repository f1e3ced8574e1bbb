"""Reading TMX (1.4b, and the 1.1/1.2 ``lang`` attribute): one reader for ``memory
import`` and ``glossary lint``, and the safe XML parser both XML readers use.

The bytes are decoded as XML says (byte-order marks, UTF-16, the declaration's
encoding, multi-byte ones included); entity declarations are refused (they can
expand without bound); each element keeps its line for error messages.

TMX from other tools is read as the specification describes: header attributes,
``<prop>``, ``<note>`` and ``<ude>`` are ignored; a segment's text is its text and that
of ``<hi>``, without the native codes of ``<bpt>``, ``<ept>``, ``<it>``, ``<ph>`` and
``<ut>`` (nor their ``<sub>``); ``xml:lang`` (or ``lang``) codes such as ``fr-FR`` or
``pt_BR`` are reduced to ours; the source of a unit is its ``srclang``, else the
header's, else the caller's, and ``srclang="*all*"`` means any language may be.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .errors import InputError
from .languages import canonical

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ALL = "*all*"
CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # native codes: markup, not text
SKIPPED = CODES | {"sub"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*\Z")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


class _Refused(Exception):
    pass


def local(tag: str) -> str:
    """The tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def parse_xml(data: bytes, *, name: str, what: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The root of the XML document *data* and the line of each element.

    Raises :class:`InputError` ``name:line: invalid WHAT: ...`` for anything malformed."""
    from xml.parsers import expat

    declared = _DECLARED.match(data)
    encoding = declared.group(1).decode("ascii") if declared else None
    try:
        if b"\0" not in data[:4] and (encoding or "utf-8").lower() in ("utf-8", "utf8"):  # not UTF-16/32
            data.decode("utf-8")  # expat would only say "invalid token"
        return _parse(data, None)
    except UnicodeDecodeError as err:
        raise _undecodable(data, err, encoding or "UTF-8", name, what) from None
    except ValueError as exc:  # pyexpat reads single-byte encodings itself, not multi-byte ones
        if "multi-byte" not in str(exc):
            raise
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise _undecodable(data, err, encoding, name, what) from None
        return _parse_decoded(text, name, what)
    except LookupError:
        raise InputError(f"invalid {what}: unknown encoding {encoding!r} in the XML declaration: use UTF-8",
                         path=f"{name}:1") from None
    except (expat.ExpatError, _Refused) as exc:
        raise _malformed(exc, name, what) from None


def _parse_decoded(text: str, name: str, what: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Parse text Python decoded (the declaration's multi-byte encoding is then ignored)."""
    from xml.parsers import expat

    try:
        return _parse(text.encode("utf-8"), "UTF-8")
    except (expat.ExpatError, _Refused) as exc:
        raise _malformed(exc, name, what) from None


def _malformed(exc: Exception, name: str, what: str) -> InputError:
    from xml.parsers import expat

    if isinstance(exc, _Refused):
        line, reason = exc.args
        return InputError(f"invalid {what}: {reason}", path=f"{name}:{line}")
    return InputError(f"invalid {what}: {expat.ErrorString(exc.code)} (column {exc.offset + 1})",
                      path=f"{name}:{exc.lineno}")


def _undecodable(data: bytes, err: UnicodeDecodeError, encoding: str, name: str, what: str) -> InputError:
    line = data.count(b"\n", 0, err.start) + 1
    return InputError(f"invalid {what}: not {encoding} (byte {err.start}): fix the bytes, or declare the "
                      "encoding, e.g. <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", path=f"{name}:{line}")


def _parse(data: bytes, encoding: str | None) -> tuple[ET.Element, dict[ET.Element, int]]:
    from xml.parsers import expat

    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate(encoding, " ")
    parser.buffer_text = True

    def qualified(tag: str) -> str:
        uri, _, name = tag.rpartition(" ")
        return f"{{{uri}}}{name}" if uri else name

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = builder.start(qualified(tag), {qualified(k): v for k, v in attrs.items()})
        lines[element] = parser.CurrentLineNumber

    def entity(*_args) -> None:
        raise _Refused(parser.CurrentLineNumber, "entity declarations are refused (they can expand without bound)")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(qualified(tag))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = entity
    parser.Parse(data, True)
    return builder.close(), lines


# -- TMX ------------------------------------------------------------------------------------
@dataclass
class Unit:
    """One ``<tu>``: its variants in the languages we know, by our two-letter codes."""

    line: int
    label: str  # "tu TUID", or "tu N" (its position) when it has no tuid
    srclang: str | None  # its own srclang (None: not given, or *all*)
    variants: dict[str, str] = field(default_factory=dict)


@dataclass
class Tmx:
    name: str
    srclang: str | None  # the header's (None: *all* or not given)
    units: list[Unit]

    def pairs(self, source_lang: str | None = None):
        """(unit, source language, target language) for each translation in the file.

        The source is the unit's srclang, else the header's, else *source_lang*; with
        none of them (``*all*``), every language of the unit is a source for the others.
        A declared source the unit lacks, or that we do not know, gives nothing."""
        for unit in self.units:
            source = unit.srclang or self.srclang or source_lang
            sources = [source] if source else list(unit.variants)
            for src in sources:
                if src not in unit.variants or not unit.variants[src].strip():
                    continue
                for tgt, text in unit.variants.items():
                    if tgt != src and text.strip():
                        yield unit, src, tgt


def read_tmx(path: str | os.PathLike[str]) -> Tmx:
    """Read a TMX file; :class:`InputError` (``path:line: invalid TMX: ...``) if it is not one."""
    from .textio import read_bytes

    name = os.fspath(path)
    root, lines = parse_xml(read_bytes(name), name=name, what="TMX")
    return tmx_from_tree(root, lines, name)


def tmx_from_tree(root: ET.Element, lines: dict[ET.Element, int], name: str) -> Tmx:
    def fail(element: ET.Element, problem: str) -> InputError:
        return InputError(f"invalid TMX: {problem}", path=f"{name}:{lines.get(element, 1)}")

    if local(root.tag) != "tmx":
        raise fail(root, f"the root element is <{local(root.tag)}>, not <tmx>")
    header = next((el for el in root if local(el.tag) == "header"), None)
    body = next((el for el in root if local(el.tag) == "body"), None)
    if header is None:
        raise fail(root, "no <header>: TMX requires one, for example <header srclang=\"fr\" .../>")
    if body is None:
        raise fail(root, "no <body>: the translation units go in <body>")
    srclang = _source(header, fail)
    units = []
    for number, tu in enumerate((el for el in body if local(el.tag) == "tu"), 1):
        unit = Unit(lines.get(tu, 1), f"tu {tu.get('tuid') or number}", _source(tu, fail))
        for tuv in (el for el in tu if local(el.tag) == "tuv"):
            lang = _language(tuv, fail)
            seg = next((el for el in tuv if local(el.tag) == "seg"), None)
            if seg is None:
                raise fail(tuv, "<tuv> without <seg>")
            if lang and lang not in unit.variants:
                unit.variants[lang] = segment_text(seg)
        units.append(unit)
    return Tmx(name, srclang, units)


def _check_tag(code: str, element: ET.Element, attribute: str, fail) -> str:
    if not _LANGUAGE_TAG.match(code):
        raise fail(element, f"invalid language code {code!r} in {attribute}: use a code such as fr or fr-FR")
    return canonical(code) or code.lower()  # a code we do not know matches no variant


def _source(element: ET.Element, fail) -> str | None:
    code = (element.get("srclang") or "").strip()
    return None if code in ("", ALL) else _check_tag(code, element, "srclang", fail)


def _language(tuv: ET.Element, fail) -> str | None:
    """Our code for the ``<tuv>``'s language; None for a language we do not translate."""
    code = (tuv.get(XML_LANG) or tuv.get("lang") or "").strip()
    if not code:
        raise fail(tuv, "<tuv> without xml:lang")
    _check_tag(code, tuv, "xml:lang", fail)
    return canonical(code)


def segment_text(element: ET.Element) -> str:
    """The text of a ``<seg>``: native codes and their ``<sub>`` left out (iterative, so any
    depth of nested ``<hi>`` is fine)."""
    parts: list[str] = []
    stack: list[ET.Element | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item is not element and local(item.tag) in SKIPPED:
            continue  # its tail was pushed by its parent: text after a code is text
        parts.append(item.text or "")
        for child in reversed(item):
            stack += [child.tail or "", child]
    return "".join(parts)
