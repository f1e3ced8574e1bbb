"""What Markdown renders as HTML of its own: the titles of links and images, and HTML blocks.

A title (``[Kremlin](https://kremlin.ru "Site officiel")``, ``![x](a.jpg 'En hiver')``, a
reference definition's ``[label]: url (Titre)``) is the ``title`` attribute of the link or
image, shown as a tooltip: a unit of its own (kind ``attribute``), found with markdown-it's
own scanners, written back in its own quotes with the backslash escapes the translation
needs (the quote, backslashes, what would read as a character reference, ``|`` for
tables), so that the same link gets the translated title.  Destinations and labels are
never touched.

An HTML block (a ``<div>`` or ``<p>`` a CMS left in the article) is read and rebuilt by
the HTML document type (:class:`.html.Page`): its text with inline tags as codes, the
attributes people read (``title``, ``alt``, ``placeholder``...), scripts, styles,
comments, ``<pre>`` and ``translate="no"`` kept.  The rebuilt block goes back line by
line with each line's own prefix (``> ``, a list item's indentation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .base import Unit

if TYPE_CHECKING:
    from .html import Page


@dataclass
class Title:
    """A title's raw text (quotes excluded) at [start, end) of an inline's content, or of
    its definition's lines (*line*, *end_line*: 0-based lines; *start*, *end*: columns)."""

    start: int
    end: int
    quote: str  # '"', "'" or "("
    text: str  # decoded, as markdown-it reads it
    raw: str = ""
    line: int = 0
    end_line: int = 0
    id: str = ""


def _spaces(s: str, pos: int) -> int:
    while pos < len(s) and s[pos] in " \t\n":
        pos += 1
    return pos


def link_tail(content: str, at: int) -> tuple[int, Title | None] | None:
    """At *at*, just after the ``]`` of a link's text or an image's alt: the end of an inline
    destination ``(url "title")`` and its title, read as markdown-it's link rule reads them;
    None when no inline destination is there (a reference link)."""
    from markdown_it.common.normalize_url import normalizeLink, validateLink
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    n = len(content)
    if content[at:at + 1] != "(":
        return None
    pos = _spaces(content, at + 1)
    if pos >= n:
        return None
    title = None
    dest = parseLinkDestination(content, pos, n)
    if dest.ok:
        if validateLink(normalizeLink(dest.str)):  # else markdown-it looks for a title where the URL is
            pos = dest.pos
        start = pos
        pos = _spaces(content, pos)
        found = parseLinkTitle(content, pos, n)
        if pos < n and start != pos and found.ok:
            title = Title(pos + 1, found.pos - 1, content[pos], found.str, content[pos + 1:found.pos - 1])
            pos = _spaces(content, found.pos)
    if pos >= n or content[pos] != ")":
        return None
    return pos + 1, title


def definitions(md) -> None:
    """Have *md* emit a ``definition`` token for each reference definition, with where its
    title stands (``meta["title_at"]``): markdown-it reads definitions without tokens."""
    from markdown_it.rules_block.reference import reference

    def rule(state, start: int, end: int, silent: bool) -> bool:
        count = len(state.tokens)
        if not reference(state, start, end, silent):
            return False
        if not silent and len(state.tokens) > count and state.tokens[-1].type == "definition":
            token = state.tokens[-1]
            if token.meta.get("title"):
                token.meta["title_at"] = _definition_title(state, start, state.line, token.meta["title"])
        return True

    md.options["inline_definitions"] = True
    md.block.ruler.at("reference", rule)


def _definition_title(state, first: int, after: int, expected: str) -> Title | None:
    """The title of the definition on lines [first, after), scanned as markdown-it's
    reference rule scans it (the lines from their content, container prefixes off)."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    src, string, places = state.src, "", []  # places: (index in string, line, column)
    for line in range(first, after):
        begin = state.bMarks[line] + state.tShift[line]
        piece = src[begin:state.eMarks[line] + 1]
        places.append((len(string), line, begin - (src.rfind("\n", 0, begin) + 1)))
        string += piece
    n, pos, label_end = len(string), 1, -1
    while pos < n:
        if string[pos] == "[":
            return None
        if string[pos] == "]":
            label_end = pos
            break
        pos += 2 if string[pos] == "\\" else 1
    if label_end < 0 or string[label_end + 1:label_end + 2] != ":":
        return None
    dest = parseLinkDestination(string, _spaces(string, label_end + 2), n)
    if not dest.ok:
        return None
    pos = _spaces(string, dest.pos)
    found = parseLinkTitle(string, pos, n)
    if not found.ok or found.str != expected:
        return None

    def where(index: int) -> tuple[int, int]:
        at, line, column = next(p for p in reversed(places) if p[0] <= index)
        return line, column + index - at

    (line, start), (end_line, end) = where(pos + 1), where(found.pos - 1)
    return Title(start, end, string[pos], found.str, string[pos + 1:found.pos - 1], line, end_line)


_REFERENCE = re.compile(r"&[A-Za-z#][A-Za-z0-9]{1,31};")
_CLOSING = {'"': '"', "'": "'", "(": "()"}


def encode_title(text: str, quote: str) -> str:
    """*text* as a title's raw text between *quote*s: markdown-it reads it back as *text*
    (white space as single spaces: a title is one line of a tooltip)."""
    out = " ".join(text.split()).replace("\\", "\\\\")
    out = _REFERENCE.sub(lambda m: "\\" + m.group(0), out)
    for ch in _CLOSING[quote] + "|":
        out = out.replace(ch, "\\" + ch)
    return out


def write_definition_title(out: list[str], title: Title, new: str) -> None:
    """Put *new* (encoded) in place of *title* in the lines *out*; a title over several lines
    becomes one line (the lines after it are emptied, their prefixes with them)."""
    pieces = title.raw.split("\n")
    head, tail = out[title.line], out[title.end_line]
    if title.line == title.end_line:
        if head[title.start:title.end] == title.raw:
            out[title.line] = head[:title.start] + new + head[title.end:]
        return
    if head[title.start:].rstrip("\r\n") != pieces[0] or not tail[:title.end].endswith(pieces[-1]):
        return  # not where the parser said (a line break Python splits on and markdown-it does not)
    out[title.line] = head[:title.start] + new + tail[title.end:]
    for i in range(title.line + 1, title.end_line + 1):
        out[i] = ""


# -- HTML blocks

_UNCLOSED_COMMENT = re.compile(r"<!--(?!-?>)(?:(?!-->).)*\Z", re.S)
_MARKER = re.compile(r"[^>\s]")  # in a line's prefix, what only its first line has: a list item's marker


@dataclass
class HtmlBlock:
    """An HTML block: its lines, the prefix of each, and the page the HTML type read from it."""

    first: int  # 0-based line
    lines: list[str]  # the block as the parser gives it, a line each (container prefixes off)
    prefixes: list[str]
    page: Page
    ids: dict[str, str]  # the page's unit id -> the document's

    def units(self) -> list[Unit]:
        return [replace(u, id=self.ids[u.id], line=self.first + u.line) for u in self.page.units]


def read_html_block(content: str, first: int, source_lines: list[str], name: str) -> HtmlBlock | str | None:
    """The HTML block *content* (its token's text) on *source_lines* from line *first*: its
    units, or a warning when it is left as it is, or None when it has no text."""
    from ..errors import InputError
    from .html import Page
    from .html_tokens import tokenize

    lines = content.split("\n")
    if content.endswith("\n"):
        lines.pop()
    if len(lines) != len(source_lines):
        return f"{name}:{first + 1}: warning: HTML block left untranslated: its lines could not be followed"
    prefixes = []
    for line, part in zip(source_lines, lines):
        body = line.rstrip("\r\n")
        if not body.endswith(part):
            return f"{name}:{first + 1}: warning: HTML block left untranslated: its lines could not be followed"
        prefixes.append(body[:len(body) - len(part)])
    if _UNCLOSED_COMMENT.search(content):  # the HTML tokenizer can read it as text: a browser hides it
        return (f"{name}:{first + 1}: warning: HTML block left untranslated: a comment (<!--) is never closed: "
                "a browser hides the rest of the page; close it with -->")
    try:
        page = Page(content, tokenize(content, name=name), name=name)
    except InputError as exc:
        return f"{name}:{first + 1}: warning: HTML block left untranslated: {exc.message}"
    if not page.units:
        return None
    ids = {u.id: f"line {first + 1} {u.id}" for u in page.units}
    return HtmlBlock(first, lines, prefixes, page, ids)


def write_html_block(out: list[str], block: HtmlBlock, target: str, texts: dict[str, str]) -> str:
    """The block rebuilt by the HTML type, put back in *out* a line at a time: unchanged lines
    as they were, a text that spanned lines on the first of them (with its prefix).  Returns
    why the block was left as it is, if it was: a translation holding a blank line (which
    would end the block there)."""
    from difflib import SequenceMatcher

    rebuilt = block.page.rebuild(target, {pid: texts[did] for pid, did in block.ids.items()})
    new = rebuilt.split("\n")
    if rebuilt.endswith("\n"):
        new.pop()
    if new == block.lines:
        return ""
    if sum(not line.strip() for line in new) > sum(not line.strip() for line in block.lines):
        return "its translation holds a blank line, which would end the HTML block there"
    first, prefixes = block.first, block.prefixes
    source = out[first:first + len(block.lines)]
    ends = [line[len(line.rstrip("\r\n")):] for line in source]
    newline = "\r\n" if "\r\n" in ends else "\n"

    def joined(k: int, lines: list[str]) -> str:
        """*lines* in place of line *k*: its prefix on the first, a continuation's on the others
        (a list item's marker as spaces, quote markers kept)."""
        return (newline + _MARKER.sub(" ", prefixes[k])).join(lines)

    for op, a1, a2, b1, b2 in SequenceMatcher(None, block.lines, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if a2 - a1 == b2 - b1:
            for k in range(a2 - a1):
                out[first + a1 + k] = prefixes[a1 + k] + new[b1 + k] + ends[a1 + k]
        elif a2 > a1:  # a text over several lines on the first of them, or lines dropped
            out[first + a1] = prefixes[a1] + joined(a1, new[b1:b2]) + ends[a2 - 1] if b2 > b1 else ""
            for i in range(a1 + 1, a2):
                out[first + i] = ""
        elif a1 > 0:  # lines added (a translation holding a line break): after the line before
            k = first + a1 - 1
            body = out[k].rstrip("\r\n")
            out[k] = body + newline + _MARKER.sub(" ", prefixes[a1 - 1]) + joined(a1 - 1, new[b1:b2]) + ends[a1 - 1]
        else:  # before the first line
            out[first] = prefixes[0] + joined(0, new[b1:b2] + [out[first][len(prefixes[0]):]])
    return ""


__all__ = ["HtmlBlock", "Title", "definitions", "encode_title", "link_tail", "read_html_block",
           "write_definition_title", "write_html_block"]
