"""Translating Markdown documents without breaking them (markdown-it-py).

The parser gives the structure: only the inline content of paragraphs, headings,
list items, quotes and table cells is translated, plus the front-matter fields asked
for (``title`` and ``description`` by default: their YAML values, decoded, and written
back in the same style; see :mod:`.markdown_front_matter`), the titles of links, images
and reference definitions, and the text of HTML blocks as the HTML document type reads it
(see :mod:`.markdown_html`).  Code blocks, URLs, labels, code spans and inline HTML are
never touched.  Inside inline content the parser's own tokens split the source into text
runs and markup; the markup travels through the engines as do-not-translate pieces and
must come back exactly, else the text runs are translated one by one between the
original markup.  Lines are rebuilt with their block prefixes ("> ", "- ", indentation);
soft-wrapped paragraphs are re-wrapped (never inside a title).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InputError
from .base import CODE, TEXT, Options, Output, Structured, Unit
from .markdown_html import Title, definitions, encode_title, link_tail

if TYPE_CHECKING:
    from . import markdown_front_matter as front_matter
    from .markdown_html import HtmlBlock

DEFAULT_FIELDS = ("title", "description")


@dataclass
class Inline:
    """One inline token: where it is, and its source split into text runs and markup."""

    first: int  # first line (0-based)
    last: int  # last line, inclusive
    content: str
    runs: list[tuple[str, str]]  # ("text" | "markup", string), covering content exactly
    breaks: bool = False  # holds a hard break: translated run by run
    titles: list[Title] = field(default_factory=list)  # of links and images, inside markup runs

    @property
    def markup(self) -> list[str]:
        return [s for kind, s in self.runs if kind == "markup" and s.strip()]

    @property
    def joined(self) -> str:
        """The unit sent to the engines: soft line breaks become spaces."""
        return "".join(s.replace("\n", " ") if kind == "markup" else s for kind, s in self.runs)


def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(definitions)


_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")


def _skip_destination(content: str, cursor: int) -> int:
    """From the end of a link text or image alt, the end of ``](url "title")``,
    ``][label]`` or ``]``."""
    close = content.find("]", cursor)
    if close < 0:
        return cursor
    after = close + 1
    if content[after:after + 1] == "(":
        depth = 0
        for k in range(after, len(content)):
            depth += {"(": 1, ")": -1}.get(content[k], 0)
            if depth == 0:
                return k + 1
        return len(content)
    if content[after:after + 1] == "[":
        end = content.find("]", after + 1)
        return end + 1 if end >= 0 else after
    return after


def _destination(content: str, cursor: int) -> tuple[int, Title | None]:
    """From the end of a link text or image alt, the end of its destination, and its title
    when it has an inline one (read as markdown-it reads it: a title may hold parentheses)."""
    close = content.find("]", cursor)
    if close >= 0 and content[close + 1:close + 2] == "(":
        tail = link_tail(content, close + 1)
        return tail if tail else (close + 1, None)  # "[ref](text)": a shortcut reference, then text
    return _skip_destination(content, cursor), None


def _code_span_end(content: str, cursor: int, ticks: str) -> int:
    """The end of the code span opened by the backtick run *ticks* at or after *cursor*
    (runs of another length do not open or close it), or -1."""
    fence = re.compile(rf"(?<!`){ticks}(?!`)")
    start = fence.search(content, cursor)
    end = fence.search(content, start.end()) if start else None
    return end.end() if end else -1


def _runs(token, titles: list[Title] | None = None) -> list[tuple[str, str]] | None:
    """Split an inline token's source into text runs and markup, following its children:
    text and image alt text are translatable; everything else (emphasis marks, code
    spans, link destinations, autolinks, inline HTML, bare URLs) is markup.  The titles of
    links and images (inside markup runs) go to *titles*, when markdown-it read them so too."""
    content, runs = token.content, []
    cursor = 0
    found: list[Title] = []
    links: list[str | None] = []  # the titles markdown-it gave the links open

    def title(got: Title | None, expected: str | None) -> None:
        if got is not None and expected and got.text == expected:
            found.append(got)

    def markup_to(pos: int) -> None:
        nonlocal cursor
        if pos > cursor:
            runs.append(("markup", content[cursor:pos]))
            cursor = pos

    def text_at(text: str, at: int) -> None:
        nonlocal cursor
        markup_to(at)
        last = 0
        for m in _BARE_URL.finditer(text):
            if m.start() > last:
                runs.append(("text", text[last:m.start()]))
            runs.append(("markup", m.group(0)))
            last = m.end()
        if last < len(text):
            runs.append(("text", text[last:]))
        cursor = at + len(text)

    autolink = False
    for child in token.children or []:
        # Markup with text inside (code spans, inline HTML, autolinks) is stepped over as a
        # whole, so that a later text run cannot be found inside it.
        if child.type == "link_open" and child.markup == "autolink":
            autolink = True
        elif child.type == "link_close" and autolink:
            autolink = False
            end = content.find(">", cursor)
            if end < 0:
                return None
            markup_to(end + 1)
        elif child.type in ("code_inline", "html_inline"):
            if child.type == "code_inline":
                end = _code_span_end(content, cursor, child.markup)
            else:
                at = content.find(child.content, cursor)
                end = at + len(child.content) if at >= 0 else -1
            if end < 0:
                return None
            markup_to(end)
        elif child.type == "link_open":
            links.append(child.attrs.get("title"))
        elif child.type == "link_close":
            end, got = _destination(content, cursor)
            title(got, links.pop() if links else None)
            markup_to(end)
        elif child.type == "text" and child.content and not autolink:
            at = content.find(child.content, cursor)
            if at < 0:
                return None  # escapes or entities: no exact place for this run
            text_at(child.content, at)
        elif child.type == "image":
            start = content.find("![", cursor)
            if start < 0:
                return None
            if child.content and content.startswith(child.content, start + 2):
                text_at(child.content, start + 2)
            end, got = _destination(content, max(cursor, start + 2))
            title(got, child.attrs.get("title"))
            markup_to(end)
    markup_to(len(content))
    if titles is not None:
        titles += found
    return runs


@dataclass
class Read:
    """What the parser found to translate in a Markdown text."""

    inlines: list[Inline]
    front: tuple[int, int] | None  # the front matter's line range
    titles: list[Title]  # of reference definitions (lines and columns)
    html: list[tuple[int, int, str]]  # HTML blocks: first line, line after, content


def parse(text: str, *, name: str = "<markdown>") -> tuple[list[Inline], tuple[int, int] | None]:
    """The inline units of *text* and the line range of its front matter (if any)."""
    found = read_text(text, name=name)
    return found.inlines, found.front


def read_text(text: str, *, name: str = "<markdown>") -> Read:
    """The inline units of *text*, its front matter's lines, its definitions' titles and
    its HTML blocks."""
    try:
        tokens = _parser().parse(text)
    except Exception as exc:  # markdown-it raises plain exceptions on pathological input
        raise InputError(f"cannot parse the Markdown: {exc}", path=name) from None
    found = Read([], None, [], [])
    for token in tokens:
        if token.type == "front_matter" and token.map:
            found.front = (token.map[0], token.map[1])
        elif token.type == "definition" and token.meta.get("title_at"):
            found.titles.append(token.meta["title_at"])
        elif token.type == "html_block" and token.map and token.content.strip():
            found.html.append((token.map[0], token.map[1], token.content))
        if token.type != "inline" or not token.map or not token.content.strip():
            continue
        titles: list[Title] = []
        runs = _runs(token, titles)
        if runs is None:
            continue  # left as it is (reported by the caller through the unchanged text)
        breaks = any(c.type == "hardbreak" for c in token.children or [])
        found.inlines.append(Inline(token.map[0], token.map[1] - 1, token.content, runs, breaks, titles))
    return found


def translate_markdown(translator, text: str, *, to: list[str], source: str, name: str = "<markdown>",
                       fields: tuple[str, ...] = DEFAULT_FIELDS) -> dict[str, str]:
    """*text* translated into every language of *to*, structure, code and URLs untouched."""
    if not text.strip():
        return {t: text for t in to}
    done = TYPE.translate(translator, text.encode("utf-8"), name=name, to=to, source=source,
                          options=Options(fields=fields))
    return {o.target: o.data for o in done.outputs}


class MarkdownType(Structured):
    name = "markdown"
    extensions = (".md", ".markdown")

    def read(self, data: bytes, *, name: str, options: Options) -> ParsedMarkdown:
        from ..textio import decode

        text, _ = decode(data, name=name, encoding=options.encoding)
        found = read_text(text, name=name)
        lines = text.splitlines(keepends=True)
        fields: list[front_matter.Field] = []
        warnings: list[str] = []
        if found.front:  # its reader is imported only for a file that has one
            from .markdown_front_matter import read

            fields, warnings = read(lines, found.front, options.fields, name)
        blocks = []
        if found.html:  # the HTML type is imported only for a file that has HTML blocks
            from .markdown_html import read_html_block

            for first, after, content in found.html:
                block = read_html_block(content, first, lines[first:after], name)
                if isinstance(block, str):
                    warnings.append(block)
                elif block is not None:
                    blocks.append(block)
        return ParsedMarkdown(text, lines, found.inlines, fields, name, warnings, found.titles, blocks)


class ParsedMarkdown:
    """A Markdown document: its inline units and front-matter fields, and its lines.

    *warnings* (front-matter fields left untranslated) go with the first output only: they
    are about the file, not about one language, and a run prints every output's problems."""

    declared_source = None

    def __init__(self, text: str, lines: list[str], inlines: list[Inline], front: list[front_matter.Field], name: str,
                 warnings: list[str] | None = None, titles: list[Title] | None = None,
                 html: list[HtmlBlock] | None = None) -> None:
        self.text, self.lines, self.inlines, self.front, self.name = text, lines, inlines, front, name
        self.warnings = list(warnings or [])
        self.titles, self.html = list(titles or []), list(html or [])
        seen: dict[str, int] = {}
        self.ids = []
        for inline in inlines:
            key = f"line {inline.first + 1}"
            seen[key] = seen.get(key, 0) + 1
            self.ids.append(key if seen[key] == 1 else f"{key}.{seen[key]}")
        self.units = [Unit(i, [(TEXT if k == "text" else CODE, s.replace("\n", " ") if k == "markup" else s)
                               for k, s in inline.runs],
                           source_runs=[(TEXT if k == "text" else CODE, s) for k, s in inline.runs],
                           whole=not inline.breaks, line=inline.first + 1)
                      for i, inline in zip(self.ids, inlines)]
        for uid, inline in zip(self.ids, inlines):  # the titles of its links and images
            for k, title in enumerate(inline.titles):
                title.id = f"{uid} title" + (f" {k + 1}" if k else "")
                line = inline.first + 1 + inline.content.count("\n", 0, title.start)
                self.units.append(Unit.plain(title.id, " ".join(title.text.split()), kind="attribute", line=line))
        for title in self.titles:  # of reference definitions
            title.id = f"line {title.line + 1} title"
            self.units.append(Unit.plain(title.id, " ".join(title.text.split()), kind="attribute",
                                         line=title.line + 1))
        for block in self.html:
            self.units += block.units()
        self.units.sort(key=lambda u: u.line)  # in the document's order (for JSON and review formats)
        self.units += [Unit.plain(f.id(k), piece, kind="field", line=line + 1)
                       for f in front for k, (piece, line) in enumerate(zip(f.pieces, f.lines)) if piece.strip()]
        body = " ".join(t for u in self.units for t in u.texts)
        self.sample = body if sum(ch.isalpha() for ch in body) >= 50 else text  # short: the whole file

    def check_targets(self, targets: list[str]) -> None:
        pass

    def verify(self, unit: Unit, translation: str) -> bool:
        from .units import kept

        return kept(unit, translation)

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        # a unit whose markup was lost is translated run by run, never left out: no failed units
        warnings, self.warnings = self.warnings, []
        kept: list[tuple[HtmlBlock, str]] = []
        text = _rebuild(self.lines, self.inlines, self.ids, self.front, texts, rebuilt, self.titles, self.html, target,
                        kept)
        warnings += [f"{self.name}:{block.first + 1}: warning: HTML block left untranslated into {target}: {why}"
                     for block, why in kept]
        return Output(target, text, f".{target}{_suffix(self.name)}", problems=warnings)


def _suffix(name: str) -> str:
    from pathlib import PurePath

    return PurePath(name).suffix or ".md"


# A paragraph line starting with one of these could open a heading, list, quote, fence,
# HTML block or thematic break, or turn the lines above into a heading ("===", "---").
_BLOCK_START = re.compile(r"(?:[#>=+*_`~<|-]|\d{1,9}[.)](?:[ \t]|$))")


def _wrap(content: str, width: int, prefix: str, indent: str) -> list[str]:
    """*content* wrapped to *width*, never starting a line with block syntax: such a
    line is put back at the end of the one before (which then runs a little long).
    Tabs and other whitespace inside the text (code spans) are kept as they are."""
    lines = textwrap.wrap(content, width=width, initial_indent=prefix, subsequent_indent=indent,
                          break_long_words=False, break_on_hyphens=False, expand_tabs=False,
                          replace_whitespace=False)
    out = lines[:1]
    for line in lines[1:]:
        if _BLOCK_START.match(line, len(indent)):
            out[-1] += " " + line[len(indent):]
        else:
            out.append(line)
    return out


def _lines(lines: list[str], parts: list[str], new_content: str, prefix: str, wrap: bool) -> str:
    """The source *lines* of a multi-line unit (content *parts*, one per line) holding
    *new_content* instead: re-wrapped, or line for line (hard breaks, run-by-run
    translations), each line keeping its own prefix ("> ", indentation, or none for a
    lazy continuation line, which must not gain one)."""
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    heads, leads = [prefix], [0]
    for line, part in zip(lines[1:], parts[1:]):
        # The parser's content may have tabs turned into spaces: match on the words.
        core, body = part.strip(), line.rstrip()
        found = bool(core) and body.endswith(core)
        heads.append(body[: len(body) - len(core)] if found else "")
        leads.append(len(part) - len(part.lstrip()) if found else 0)
    if wrap:
        width = max(len(line.rstrip("\r\n")) for line in lines)
        return newline.join(_wrap(new_content, max(width, 20), prefix, heads[1]))
    pieces = new_content.split("\n")
    if len(pieces) != len(parts):  # the translation holds line breaks of its own
        heads, leads = [prefix] + [heads[1]] * (len(pieces) - 1), [0] * len(pieces)
    return newline.join(head + piece[lead:] for head, piece, lead in zip(heads, pieces, leads))


def _titled_runs(unit: Inline, texts: dict[str, str], keep: str = "") -> dict[int, str]:
    """The markup runs of *unit* holding a title, with the title's translation (encoded) in
    place of its source, by run index.  With *keep* (for re-wrapping), every title's white
    space is that character instead, so that no line break falls inside a title."""
    starts, at = [], 0
    for _, s in unit.runs:
        starts.append(at)
        at += len(s)
    out: dict[int, str] = {}
    for title in sorted(unit.titles, key=lambda t: -t.start):
        k = max(i for i, start in enumerate(starts) if start <= title.start)
        run, start = out.get(k, unit.runs[k][1]), starts[k]
        new = texts[title.id]
        if new == " ".join(title.text.split()):
            if not keep:
                continue
            new = " ".join(title.raw.split())  # as it was (a line break inside it, a space)
        else:
            new = encode_title(new, title.quote)
        if keep:
            new = new.replace(" ", keep)
        out[k] = run[:title.start - start] + new + run[title.end - start:]
    return out


def _with_titles(translation: str, unit: Inline, titled: dict[int, str], wrap: bool) -> str:
    """*translation* with the markup runs of *titled* (as they stand in the source, or as the
    engines got them) replaced by their new text."""
    swaps = {}
    for k, new in titled.items():
        old = unit.runs[k][1]
        swaps[old] = swaps[old.replace("\n", " ")] = new.replace("\n", " ") if wrap else new
    pattern = re.compile("|".join(re.escape(s) for s in sorted(swaps, key=len, reverse=True)))
    return pattern.sub(lambda m: swaps[m.group(0)], translation)


def _keeper(lines: list[str], texts: dict[str, str]) -> str:
    """A character found neither in the source nor in any translation: a title's spaces
    while a paragraph is re-wrapped."""
    return next(ch for ch in map(chr, range(0xE000, 0xF900))
                if not any(ch in line for line in lines) and not any(ch in t for t in texts.values()))


def _rebuild(lines: list[str], units: list[Inline], ids: list[str], front: list[front_matter.Field],
             texts: dict[str, str], rebuilt: set[str], titles: Sequence[Title] = (), html: Sequence[HtmlBlock] = (),
             target: str = "", kept: list[tuple[HtmlBlock, str]] | None = None) -> str:
    """The document's lines with the translations of *texts*; *kept* gets the HTML blocks
    left as they are, each with why."""
    out = list(lines)
    cursor: dict[int, int] = {}
    keeper = _keeper(lines, texts) if any(u.titles for u in units) else ""
    for uid, unit in zip(ids, units):
        new_content = texts[uid]
        wrap = uid not in rebuilt and unit.last > unit.first
        parts = unit.content.split("\n")
        first = out[unit.first]
        at = first.find(parts[0], cursor.get(unit.first, 0)) if parts[0] else len(first.rstrip("\r\n"))
        if at < 0:
            continue  # the line was changed by an earlier unit in a way we cannot follow: keep it
        titled = _titled_runs(unit, texts) if unit.titles else {}
        if new_content in (unit.content, unit.joined) and titled:
            # Only titles change: the source lines, line for line, with the new titles.
            new_content, wrap = "".join(titled.get(k, s) for k, (_, s) in enumerate(unit.runs)), False
        elif new_content in (unit.content, unit.joined):
            # Nothing to change: the source lines stay as they are (re-wrapping them
            # would move their line breaks and the spaces around soft breaks).
            cursor[unit.first] = at + len(parts[0])
            continue
        elif unit.titles:
            titled = _titled_runs(unit, texts, keeper if wrap else "")
            new_content = _with_titles(new_content, unit, titled, wrap) if titled else new_content
        prefix = first[:at]
        if len(parts) == 1:
            out[unit.first] = prefix + new_content + first[at + len(parts[0]):]
            cursor[unit.first] = at + len(new_content)
            continue
        last = out[unit.last]
        end = last.rfind(parts[-1])
        suffix = last[end + len(parts[-1]):] if end >= 0 else last[len(last.rstrip("\r\n")):]
        out[unit.first] = _lines(out[unit.first:unit.last + 1], parts, new_content, prefix, wrap) + suffix
        for i in range(unit.first + 1, unit.last + 1):
            out[i] = ""
    for title in titles:  # of reference definitions
        if texts[title.id] != " ".join(title.text.split()):
            from .markdown_html import write_definition_title

            write_definition_title(out, title, encode_title(texts[title.id], title.quote))
    for block in html:
        from .markdown_html import write_html_block

        why = write_html_block(out, block, target, texts)
        if why and kept is not None:
            kept.append((block, why))
    if front:
        from .markdown_front_matter import rebuild

        rebuild(out, front, texts)
    return "".join(out).replace(keeper, " ") if keeper else "".join(out)


TYPE = MarkdownType()
