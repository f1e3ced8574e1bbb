"""XLIFF 1.2 and 2.0/2.1 from CAT tools: the untranslated units filled, one ``NAME.<lang>.xlf``.

A unit's source is read with its inline codes (``<g>``, ``<x/>``, ``<bx/>``, ``<ex/>``,
``<ph>``, ``<bpt>``/``<ept>``, ``<it>``; ``<pc>``, ``<sc/>``, ``<ec/>``, ``<mrk>``...) as
they are written; they travel through the engines as do-not-translate pieces and must
all come back, in an order that still nests, else the unit stays untranslated and is
reported with its id.  ``translate="no"`` units, groups and files are skipped.

A target that holds text is kept unless ``--overwrite``, whatever its state: in 1.2
``new`` or ``needs-translation`` and in 2.x ``initial`` say the unit still needs a
translation, but the text is then a translator's draft or a CAT tool's pre-fill (a
fuzzy match), work the machine must not drop silently; the summary counts these drafts
(``3 kept (2 of them drafts, state new)``); ``--overwrite`` translates every unit again.
An empty target (``<target state="new"/>``) is filled whatever its state, and a target in
``translated``, ``final`` or another state is kept as before.  Machine translations are
marked for review: 1.2 ``state="needs-review-translation" state-qualifier="mt-suggestion"``; 2.x
``state="translated" subState="translator:mt"`` on the segment (2.x has no review state;
``translated`` is what the OASIS 1.2-to-2.0 mapping gives ``needs-review-translation``,
the sub-state says it is the machine's).  A 1.2 ``<seg-source>`` is translated segment by
segment into the same ``<mrk mtype="seg">`` markers.  Everything outside the targets
comes back byte for byte (:mod:`.xliff_markup`).

The target language is ``--to``, or without it the one the file declares (``target-language``,
``trgLang``); a file that declares another one than ``--to`` is refused (exit 4) rather than
filled in the wrong language.  Each 1.2 ``<file>`` has its own ``target-language``: its new
targets get it as their ``xml:lang``, and a ``<file>`` without one takes ``--to``; without
``--to``, a ``<file>`` with units to translate and no ``target-language`` while another
declares one is refused (exit 2, its line and ``pass --to LANG``), not filled in the other's;
``<file>`` elements that declare different target languages are refused (exit 4): one output
is in one language.

Where ``xml:space="preserve"`` holds on a source (its own attribute or its unit's, group's,
file's), white space is part of the text: inner runs of it travel as inline codes and come
back exactly (:func:`.xliff_markup.runs`), and a new target gets ``xml:space="preserve"``
when it would not inherit it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace

from .. import languages
from ..errors import LanguageError, UsageError
from ..tmx import local
from .base import CODE, TEXT, Options, Output, Structured, Unit
from .xliff_markup import (Xml, children, content, fail, is_space_code, preserved, runs, set_attributes,
                           space_run, well_formed)

V1, V2 = "urn:oasis:names:tc:xliff:document:1.2", "urn:oasis:names:tc:xliff:document:2.0"
VERSIONS = ("1.2", "2.0", "2.1", "2.2")
#: 1.2 codes kept whole (their content is the original format's code, not text)
WHOLE_1 = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it"})
WHOLE_2 = frozenset({"ph", "sc", "ec", "cp", "sm", "em"})
PAIRED = frozenset({"g", "pc", "mrk"})
#: target states that say the unit still needs a translation: a target with text in one
#: of them is a draft (kept unless --overwrite, counted in the summary)
UNTRANSLATED_1 = frozenset({"new", "needs-translation"})
UNTRANSLATED_2 = frozenset({"initial"})
MACHINE_1 = {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}
MACHINE_2 = {"state": "translated", "subState": "translator:mt"}


@dataclass
class Place:
    """Where the translations of one trans-unit (1.2) or segment (2.x) go."""

    host: ET.Element  # the trans-unit or segment
    source: ET.Element  # source, or seg-source: its content is the target's template
    target: ET.Element | None
    after: ET.Element  # a new target goes after it
    parts: list[tuple[ET.Element, Unit]] = field(default_factory=list)  # (element whose content, unit)
    file: ET.Element | None = None  # the 1.2 <file> it is in


class XliffType(Structured):
    name = "xliff"
    extensions = (".xlf", ".xliff")

    def sniff(self, head: bytes) -> bool:
        return re.search(rb"<(?:[\w.-]+:)?xliff[\s>]", head[:4096]) is not None

    def read(self, data: bytes, *, name: str, options: Options) -> ParsedXliff:
        xml = Xml(data, name=name, what="XLIFF")
        root = xml.root
        if local(root.tag) != "xliff":
            raise fail(xml, name, root, f"the root element is <{local(root.tag)}>, not <xliff>: not an XLIFF file")
        version = root.get("version", "")
        if version not in VERSIONS:
            raise fail(xml, name, root, f"unknown XLIFF version {version!r}: XLIFF 1.2, 2.0 and 2.1 are read")
        return ParsedXliff(xml, name, options, 1 if version == "1.2" else 2)

    def declared_targets(self, data: bytes, *, name: str, options: Options) -> list[str]:
        """The target language the file names (``target-language``, ``trgLang``), for a run
        without ``--to``; empty when it names none.  A 1.2 ``<file>`` that names none, while
        another does, is refused rather than filled in the other's language."""
        parsed = self.read(data, name=name, options=options)
        found = list(dict.fromkeys(parsed.known(code, element) for code, element in parsed.targets))
        if found:
            parsed.check_undeclared(found)
        return found


class ParsedXliff:
    """An XLIFF file: the units left to translate, and where their targets go."""

    def __init__(self, xml: Xml, name: str, options: Options, version: int) -> None:
        self.xml, self.name, self.options, self.version = xml, name, options, version
        self.places: list[Place] = []
        self.units: list[Unit] = []
        self.pairs: dict[str, list[tuple[str, str]]] = {}  # unit id -> (start code, end code) in order
        self.kept = self.skipped = 0
        self.drafts: dict[str, int] = {}  # state -> targets with text kept in a "needs translation" state
        self.parents = {child: parent for parent in xml.root.iter() for child in parent}
        self._file: ET.Element | None = None
        self.sources: list[tuple[str, ET.Element]] = []  # declared languages, with where
        self.targets: list[tuple[str, ET.Element]] = []
        self.samples: list[str] = []
        self._ids: set[str] = set()
        (self._read_1 if version == 1 else self._read_2)()
        self.sample = "\n".join(self.samples)
        self.declared_source = self._source()

    # -- reading ------------------------------------------------------------------------
    def _fail(self, element: ET.Element, problem: str):
        return fail(self.xml, self.name, element, problem)

    def _id(self, element: ET.Element) -> str:
        if not element.get("id"):
            raise self._fail(element, f"<{local(element.tag)}> without id: every one needs an id")
        return element.get("id")

    def _read_1(self) -> None:
        for file in children(self.xml.root, "file"):
            self._declared(file, "source-language", "target-language")
            self._file = file
            for body in children(file, "body"):
                self._walk(body, file.get("translate") != "no", "trans-unit", self._trans_unit)

    def _walk(self, top: ET.Element, translatable: bool, tag: str, found) -> None:
        """Call ``found(unit, translatable)`` for each *tag* element under *top* and its groups,
        in order; ``translate="no"`` on a group holds for everything inside it."""
        stack = [(iter(top), translatable)]  # iterative, in document order: any depth of groups
        while stack:
            children_left, inherited = stack[-1]
            child = next(children_left, None)
            if child is None:
                stack.pop()
                continue
            yes = inherited and child.get("translate") != "no"
            if local(child.tag) == "group":
                stack.append((iter(child), yes))
            elif local(child.tag) == tag:
                found(child, yes)

    def _trans_unit(self, tu: ET.Element, translatable: bool) -> None:
        uid = self._id(tu)
        source = _first(tu, "source")
        if source is None:
            raise self._fail(tu, f"trans-unit {uid!r} without <source>: add the text to translate")
        self.samples.append("".join(source.itertext()))
        target = _first(tu, "target")
        if not translatable:
            self.skipped += 1
            return
        if target is not None and _filled(target) and not self.options.overwrite:
            self._keep(target.get("state"), UNTRANSLATED_1)
            return
        segmented = _first(tu, "seg-source")
        marks = [m for m in segmented.iter() if local(m.tag) == "mrk" and m.get("mtype") == "seg"] \
            if segmented is not None else []
        if marks:
            place = Place(tu, segmented, target, segmented, file=self._file)
            for mark in marks:
                place.parts.append((mark, self._unit(f"{uid} segment {mark.get('mid', len(place.parts) + 1)}",
                                                     mark, tu)))
        else:
            place = Place(tu, source, target, segmented if segmented is not None else source, file=self._file)
            place.parts.append((source, self._unit(uid, source, tu)))
        self.places.append(place)

    def _read_2(self) -> None:
        self._declared(self.xml.root, "srcLang", "trgLang")
        for file in children(self.xml.root, "file"):
            self._walk(file, file.get("translate") != "no", "unit", self._unit_2)

    def _unit_2(self, unit: ET.Element, translatable: bool) -> None:
        uid = self._id(unit)
        segments = children(unit, "segment")
        _balanced_2(self, unit, uid, [_first(s, "source") for s in segments])
        for number, segment in enumerate(segments, 1):
            source = _first(segment, "source")
            if source is None:
                raise self._fail(segment, f"unit {uid!r}: <segment> without <source>: add the text to translate")
            self.samples.append("".join(source.itertext()))
            target = _first(segment, "target")
            if not translatable:
                self.skipped += 1
                continue
            if target is not None and _filled(target) and not self.options.overwrite:
                self._keep(segment.get("state"), UNTRANSLATED_2)
                continue
            label = uid if len(segments) == 1 else f"{uid} segment {segment.get('id') or number}"
            self.places.append(Place(segment, source, target, source, [(source, self._unit(label, source, unit))]))

    def _keep(self, state: str | None, untranslated: frozenset[str]) -> None:
        """A target with text, kept: a draft when *state* says it still needs a translation."""
        self.kept += 1
        if state in untranslated:
            self.drafts[state] = self.drafts.get(state, 0) + 1

    def _unit(self, label: str, element: ET.Element, host: ET.Element) -> Unit:
        """A unit for *element*'s content, its codes checked."""
        uid = label if label not in self._ids else f"{label} (line {self.xml.lines.get(element, 0)})"
        self._ids.add(uid)
        whole = _whole_1 if self.version == 1 else _whole_2
        unit = Unit(uid, runs(self.xml, element, whole, preserved(element, self.parents)), fallback="keep",
                    kind="unit", line=self.xml.lines.get(element, 0))
        if self.version == 1:
            self.pairs[uid] = _pairs_1(self, element, uid)
        else:
            self.pairs[uid] = _pairs_2(self, element)
        self.units.append(unit)
        return unit

    def _declared(self, element: ET.Element, source: str, target: str) -> None:
        if element.get(source):
            self.sources.append((element.get(source), element))
        if element.get(target):
            self.targets.append((element.get(target), element))

    def _source(self) -> str | None:
        codes = {languages.canonical(code) for code, _ in self.sources}
        return codes.pop() if len(codes) == 1 else None

    def translated(self) -> list[tuple[str, str, str]]:
        """(unit id, source text, target text) of each unit with a target, the inline codes
        left out of both (as harvesting takes the texts of every document type).  Read
        with ``Options(overwrite=True)``, so that units with a target are among the units."""
        whole = _whole_1 if self.version == 1 else _whole_2
        out = []
        for place in self.places:
            for element, unit in place.parts:
                target = place.target if element is place.source or len(place.parts) == 1 else \
                    _segment_mark(place.target, element.get("mid"))
                if target is not None:
                    text = "".join(s for kind, s in runs(self.xml, target, whole, preserved(target, self.parents))
                                   if kind == TEXT)
                    out.append((unit.id, "".join(unit.texts), text))
        return out

    # -- the protocol -------------------------------------------------------------------
    def check_targets(self, targets: list[str]) -> None:
        if self.declared_source in targets:
            code, element = self.sources[0]
            raise LanguageError(f"the file's source language is {code!r}: its targets cannot be in "
                                f"{self.declared_source}", path=f"{self.name}:{self.xml.lines.get(element, 1)}")
        first: dict[str, str] = {}
        for code, element in self.targets:
            first.setdefault(self.known(code, element), code)
            if len(first) > 1:  # one output holds one target language
                raise LanguageError(f"{_named(element)} declares target-language {code!r}, an earlier <file> "
                                    f"{next(iter(first.values()))!r}: translate them as separate files",
                                    path=f"{self.name}:{self.xml.lines.get(element, 1)}")
        for code, element in self.targets:
            ours = self.known(code, element)
            if targets != [ours]:
                raise LanguageError(f"the file's target language is {code!r}: translate it with --to {ours}",
                                    path=f"{self.name}:{self.xml.lines.get(element, 1)}")

    def check_undeclared(self, declared: list[str]) -> None:
        """Without ``--to``: refuse a 1.2 ``<file>`` with units to translate that names no
        target language (*declared*: the ones the other files name)."""
        for file in dict.fromkeys(place.file for place in self.places if place.file is not None):
            if not file.get("target-language"):
                raise UsageError(f"{_named(file)} has no target-language: pass --to "
                                 f"{declared[0] if len(declared) == 1 else 'LANG'}",
                                 path=f"{self.name}:{self.xml.lines.get(file, 1)}")

    def known(self, code: str, element: ET.Element) -> str:
        """Our code for a target language the file declares; refused when we know none."""
        ours = languages.canonical(code)
        if ours is None:
            raise LanguageError(f"the file's target language {code!r} is not one we know: "
                                "fix the file's target-language/trgLang",
                                path=f"{self.name}:{self.xml.lines.get(element, 1)}")
        return ours

    def verify(self, unit: Unit, translation: str) -> bool:
        from .units import kept

        if not _counted(unit, translation) or not kept(*_bare(unit, translation)) \
                or not well_formed(content(translation, unit.codes)):
            return False
        return all(translation.find(start) < translation.rfind(end) for start, end in self.pairs[unit.id])

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        lost = {unit.id: rejected for unit, rejected in failed}
        problems = [f"{self.name}:{unit.line}: unit {unit.id}: inline codes could not be kept "
                    f"({_why(unit, rejected)}); left untranslated"
                    for unit, rejected in failed]
        edits, written = [], 0
        for place in self.places:
            if any(unit.id in lost for _, unit in place.parts):
                continue
            edits += self._target(place, target, texts)
            written += 1
        if written:
            edits += self._language(target)
        drafts = sum(self.drafts.values())
        kept = (f"{self.kept} kept ({drafts} of them {'drafts' if drafts > 1 else 'a draft'}, state "
                f"{' or '.join(sorted(self.drafts))})" if drafts else f"{self.kept} kept")
        summary = (f"{target}: {written} units translated, {kept}, {self.skipped} not to translate"
                   + (f", {len(self.places) - written} left untranslated" if len(self.places) > written else ""))
        return Output(target, self.xml.rebuilt(edits), f".{target}{_suffix(self.name)}", summary, problems)

    # -- writing ------------------------------------------------------------------------
    def _target(self, place: Place, target: str, texts: dict[str, str]) -> list[tuple[int, int, str]]:
        xml = self.xml
        body = _filled_template(xml, place, {id(el): content(texts[u.id], u.codes) for el, u in place.parts})
        if self.version == 1:
            state = MACHINE_1
            edits = []
        else:
            state = {}
            span = xml.spans[place.host]
            edits = [(span.start, span.inner, set_attributes(xml.start_tag(place.host), MACHINE_2))]
        spaced = preserved(place.source, self.parents)
        if place.target is not None:
            span = xml.spans[place.target]
            qname = xml.qname(place.target)
            if spaced and not preserved(place.target, self.parents):
                state = {**state, "xml:space": "preserve"}
            start = set_attributes(xml.start_tag(place.target), state)
            if start.endswith("/>"):
                start = start[:-2].rstrip() + ">"
            return [*edits, (span.start, span.end, f"{start}{body}</{qname}>")]
        qname = xml.qname(place.source).rsplit(":", 1)
        name = f"{qname[0]}:target" if len(qname) == 2 else "target"
        attributes = {"xml:lang": _declared_language(place.file, target), **state} if self.version == 1 else {}
        if spaced and not preserved(place.host, self.parents):
            attributes["xml:space"] = "preserve"
        start = set_attributes(f"<{name}>", attributes)
        at = xml.spans[place.after].end
        return [*edits, (at, at, f"{xml.indent(place.source)}{start}{body}</{name}>")]

    def _language(self, target: str) -> list[tuple[int, int, str]]:
        """The target language declared where the file has none."""
        xml = self.xml
        hosts = children(xml.root, "file") if self.version == 1 else [xml.root]
        attribute = "target-language" if self.version == 1 else "trgLang"
        return [(xml.spans[h].start, xml.spans[h].inner, set_attributes(xml.start_tag(h), {attribute: target}))
                for h in hosts if not h.get(attribute)]


def _segment_mark(target: ET.Element | None, mid: str | None) -> ET.Element | None:
    """The ``<mrk mtype="seg" mid=...>`` of a 1.2 target that holds segment *mid*."""
    if target is None or mid is None:
        return None
    return next((m for m in target.iter() if local(m.tag) == "mrk" and m.get("mtype") == "seg"
                 and m.get("mid") == mid), None)


def _first(element: ET.Element, tag: str) -> ET.Element | None:
    return next((c for c in element if local(c.tag) == tag), None)


def _named(file: ET.Element) -> str:
    """A 1.2 ``<file>`` for a message: ``<file original="b.html">``."""
    original = file.get("original")
    return f'<file original="{original}">' if original is not None else "<file>"


def _declared_language(file: ET.Element | None, target: str) -> str:
    """A new 1.2 target's ``xml:lang``: its own ``<file>``'s target language as written, else *target*."""
    return (file.get("target-language") if file is not None else None) or target


def _filled(target: ET.Element) -> bool:
    return bool("".join(target.itertext()).strip()) or len(target) > 0


def _whole_1(element: ET.Element) -> bool:
    tag = local(element.tag)
    return tag in WHOLE_1 or tag not in PAIRED or (tag == "mrk" and element.get("mtype") == "protected")


def _whole_2(element: ET.Element) -> bool:
    tag = local(element.tag)
    return tag in WHOLE_2 or tag not in PAIRED or (tag == "mrk" and element.get("translate") == "no")


def _pairs_1(parsed: ParsedXliff, element: ET.Element, uid: str) -> list[tuple[str, str]]:
    """The ``<bpt>``/``<ept>`` and ``<bx/>``/``<ex/>`` of a 1.2 source (linked by ``rid``,
    else ``id``) as (start code, end code); a half without the other is refused."""
    xml, pairs = parsed.xml, []
    for start_tag, end_tag in (("bpt", "ept"), ("bx", "ex")):
        starts = {_link(e): e for e in element.iter() if local(e.tag) == start_tag}
        ends = {_link(e): e for e in element.iter() if local(e.tag) == end_tag}
        for k in starts.keys() ^ ends.keys():
            half = starts.get(k, ends.get(k))
            other = end_tag if k in starts else start_tag
            raise parsed._fail(half, f"unit {uid!r}: unbalanced inline codes: <{local(half.tag)}> {k!r} has no "
                                     f"<{other}>: add it, or use <it> or <x/> for an isolated code")
        pairs += [(_code(xml, starts[k]), _code(xml, ends[k])) for k in starts]
    return pairs


def _link(code: ET.Element) -> str | None:
    return code.get("rid") or code.get("id")


def _pairs_2(parsed: ParsedXliff, element: ET.Element) -> list[tuple[str, str]]:
    """The ``<sc/>``/``<ec/>`` pairs of one 2.x segment (checked per unit by :func:`_balanced_2`)."""
    xml = parsed.xml
    starts = {e.get("id"): e for e in element.iter() if local(e.tag) == "sc"}
    return [(_code(xml, starts[e.get("startRef")]), _code(xml, e))
            for e in element.iter() if local(e.tag) == "ec" and e.get("startRef") in starts]


def _balanced_2(parsed: ParsedXliff, unit: ET.Element, uid: str, sources: list[ET.Element | None]) -> None:
    """Every ``<sc/>`` of a 2.x unit has its ``<ec/>`` and the other way round, unless isolated."""
    codes = [e for s in sources if s is not None for e in s.iter() if local(e.tag) in ("sc", "ec")]
    starts = {e.get("id") for e in codes if local(e.tag) == "sc"}
    refs = {e.get("startRef") for e in codes if local(e.tag) == "ec"}
    for e in codes:
        if e.get("isolated") == "yes":
            continue
        if local(e.tag) == "sc" and e.get("id") not in refs:
            raise parsed._fail(e, f"unit {uid!r}: unbalanced inline codes: <sc id=\"{e.get('id')}\"/> has no "
                                  f"<ec startRef=\"{e.get('id')}\"/>: add it, or mark the code isolated=\"yes\"")
        if local(e.tag) == "ec" and e.get("startRef") not in starts:
            raise parsed._fail(e, f"unit {uid!r}: unbalanced inline codes: <ec startRef=\"{e.get('startRef')}\"/> "
                                  "has no <sc/>: add it, or mark the code isolated=\"yes\"")


def _code(xml: Xml, element: ET.Element) -> str:
    span = xml.spans[element]
    return xml.slice(span.start, span.end)


def _filled_template(xml: Xml, place: Place, contents: dict[int, str]) -> str:
    """The content of the place's source (or seg-source) with each part's content replaced."""
    outer = xml.spans[place.source]
    out, last = [], outer.inner
    for element, _ in place.parts:
        span = xml.spans[element]
        out += [xml.slice(last, span.inner), contents[id(element)]]
        last = span.close
    return "".join([*out, xml.slice(last, outer.close)])


def _why(unit: Unit, rejected: str) -> str:
    """Why *rejected* was not used: the codes it lost, or what became of them."""
    from collections import Counter

    from .units import emptied

    missing = [code for code, n in Counter(unit.codes).items() if rejected.count(code) < n]
    if missing:
        return ", ".join(_shown(code) for code in missing)
    return "the words inside a pair moved out of it" if emptied(*_bare(unit, rejected)) else "order changed"


def _counted(unit: Unit, translation: str) -> bool:
    """Every code of *unit* is in *translation* as often as in the source (longest first:
    ``&#32;&#32;`` is inside ``&#32;&#32;&#32;``)."""
    from collections import Counter

    rest = translation
    for piece, count in sorted(Counter(unit.codes).items(), key=lambda kv: -len(kv[0])):
        if rest.count(piece) < count:
            return False
        rest = rest.replace(piece, "\x00", count)
    return True


def _bare(unit: Unit, translation: str) -> tuple[Unit, str]:
    """*unit* and *translation* with their white space codes as white space again: they wrap
    no words, so words moving across them (fr->ca "Le  lien" -> "L'enllaç") lose nothing."""
    spaces = sorted({c for c in unit.codes if is_space_code(c)}, key=len, reverse=True)
    if not spaces:
        return unit, translation
    bare = replace(unit, runs=[(TEXT, space_run(s)) if kind == CODE and is_space_code(s) else (kind, s)
                               for kind, s in unit.runs])
    return bare, re.sub("|".join(map(re.escape, spaces)), lambda m: space_run(m.group(0)), translation)


def _shown(code: str) -> str:
    """A code for a message: white space kept with xml:space="preserve" said in words."""
    if not is_space_code(code):
        return code
    run = space_run(code)
    return "white space " + repr(run) if run.strip(" ") else f"{len(run)} spaces"


def _suffix(name: str) -> str:
    from pathlib import PurePath

    return PurePath(name).suffix or ".xlf"


TYPE = XliffType()
