"""Translated text written back as HTML source: the text encoded (and the characters the
source wrote as references written the same way), a unit's inline codes put back as they
stand, and start tags rewritten with their edited attributes."""

from __future__ import annotations

import html as entities
import re

from .base import CODE, Unit
from .html_units import Block, Edit

_RTL = frozenset("ar arc dv fa he ks ku ps sd ug ur yi".split())
_TERRITORY = {"en": "US", "es": "ES", "fr": "FR", "de": "DE", "it": "IT", "pt": "PT", "ca": "ES", "nl": "NL",
              "pl": "PL", "ru": "RU", "zh": "CN", "ja": "JP", "ar": "AR", "sv": "SE", "da": "DK", "el": "GR"}


def _tag_head(raw: str) -> str:
    """``<html`` of ``<html class="x">``: where an added attribute goes."""
    return re.match(r"<[^\s/>]+", raw).group(0)


def _locale(target: str) -> str:
    return f"{target}_{_TERRITORY[target]}" if target in _TERRITORY else target


def _direction(target: str) -> str:
    return "rtl" if target in _RTL else "ltr"


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def _spellings(raw: str) -> dict[str, str]:
    """The characters *raw* writes as character references, each with its spelling there
    (so that a translation writes ``&nbsp;`` where the source did)."""
    found = {}
    for m in _ENTITY.finditer(raw):
        char = entities.unescape(m.group(0))
        if len(char) == 1 and char not in "&<>" and not (char.isascii() and char.isalnum()):
            found.setdefault(char, m.group(0))
    return found


def _encode(text: str, *, quote: str = "", spelled: dict[str, str] | None = None) -> str:
    """*text* as HTML source: ``&``, ``<``, ``>`` (and the attribute's quote) escaped, and
    the characters the source spelled as references spelled the same way."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote == '"':
        out = out.replace('"', "&quot;")
    elif quote == "'":
        out = out.replace("'", "&#39;")
    for char, spelling in (spelled or {}).items():
        out = out.replace(char, spelling)
    return out


def encode_unit(unit: Unit, translation: str, block: Block, source: str, tags: dict[str, str]) -> str:
    """A unit's translation as HTML: its inline codes put back as they stand in the source
    (with their own translated attributes), the text between them encoded."""
    raws = [source[r.start:r.end] for r in block.runs if r.kind == CODE]
    engine_codes = [s for kind, s in unit.runs if kind == CODE]
    final = {}
    for raw, seen in zip(raws, engine_codes):
        final.setdefault(seen, tags.get(raw, raw))
        final.setdefault(raw, tags.get(raw, raw))
    spelled = _spellings(source[block.start:block.end])
    if not final:
        return _encode(translation, spelled=spelled)
    pattern = re.compile("|".join(re.escape(c) for c in sorted(final, key=len, reverse=True)))
    out, at = [], 0
    for m in pattern.finditer(translation):
        out += [_encode(translation[at:m.start()], spelled=spelled), final[m.group(0)]]
        at = m.end()
    out.append(_encode(translation[at:], spelled=spelled))
    return "".join(out)


def edited_tag(raw: str, edits: list[Edit], target: str, texts: dict[str, str]) -> str | None:
    """The start tag *raw* (or a JSON-LD text) with its *edits* for *target*, or None when
    nothing changes."""
    changes = []
    for edit in edits:
        if edit.unit:
            value = texts[edit.unit]
            if value == edit.attribute.value:
                continue
        else:
            value = edit.value.format(target=target, locale=_locale(target), dir=_direction(target))
        if edit.attribute is None and not (edit.name == "dir" and value == "ltr"):
            changes.append((len(_tag_head(raw)), len(_tag_head(raw)), f' {edit.name}="{value}"'))
        elif edit.attribute is not None:
            start, end = edit.attribute.span
            quote = edit.attribute.quote or '"'
            encoded = _encode(value, quote=quote, spelled=_spellings(raw[start:end]))
            changes.append((start, end, encoded) if edit.attribute.quote else (start, end, f'"{encoded}"'))
    if not changes:
        return None
    for start, end, new in sorted(changes, reverse=True):
        raw = raw[:start] + new + raw[end:]
    return raw


__all__ = ["edited_tag", "encode_unit"]
