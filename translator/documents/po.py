"""gettext catalogs (PO, POT): the untranslated entries filled, one ``NAME.<lang>.po`` per target.

The catalog is read strictly first (:mod:`translator.catalog`).  Each message to translate
is a unit whose placeholders (printf, braces, markup, entities) are its inline codes; a
translation that does not give back exactly the same placeholders leaves the entry
untranslated, reported with its line.  Plural entries get the target's ``Plural-Forms``;
machine translations are flagged fuzzy unless ``--no-fuzzy``; entries that have a
translation are kept unless ``--overwrite``.

A plural entry translated in part (``msgstr[0]`` written, ``msgstr[1]`` empty: ``msgfmt -c``
refuses it) has its empty forms filled, its human ones kept, and is flagged fuzzy as a
machine translation is; one that is fuzzy already is kept, as every fuzzy entry with a
translation is (``msgfmt`` skips it; ``--no-fuzzy`` leaves it fuzzy).  ``#|`` previous
strings live as long as the fuzzy flag, as with msgmerge and Poedit: an entry the machine
writes into with ``--no-fuzzy`` loses them.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone

from .. import languages
from ..catalog import PLACEHOLDER, PLURAL_FORMS, checked_bytes, fresh_catalog, placeholders
from ..errors import LanguageError
from ..plural_forms import is_template
from ..plural_forms import parse as parse_plural_forms
from .base import Options, Output, Structured, Unit


def _runs(text: str) -> list[tuple[str, str]]:
    from .units import runs_by_pattern

    return runs_by_pattern(PLACEHOLDER, text)


class PoType(Structured):
    name = "po"
    extensions = (".po", ".pot")

    def sniff(self, head: bytes) -> bool:
        return re.search(rb"(?m)^msgid\s+\"", head[:4096]) is not None

    def read(self, data: bytes, *, name: str, options: Options) -> ParsedCatalog:
        checked = checked_bytes(data, name)  # read and checked once: every target sees the same text
        return ParsedCatalog(checked, name, options)


class ParsedCatalog:
    """A checked catalog, its messages to translate as units."""

    def __init__(self, checked, name: str, options: Options) -> None:
        self.checked, self.name, self.options = checked, name, options
        catalog = fresh_catalog(checked, name)
        self.language = (catalog.metadata.get("Language") or "").strip()
        self.declared_source = None
        self.kept = 0
        self.entries = []  # indices of the entries to translate
        self.partial: set[int] = set()  # ... of those, the plural entries with only their empty forms to fill
        self.units: list[Unit] = []
        self.sample = "\n".join(e.msgid for e in catalog if not e.obsolete and e.msgid)
        forms = catalog.metadata.get("Plural-Forms") if self.language else None
        known = parse_plural_forms(forms).nplurals if forms and not is_template(forms) else None  # else per target
        for index, entry in enumerate(catalog):
            if entry.obsolete or not entry.msgid:
                continue
            singular = plural = bool(entry.msgid_plural)
            if (entry.msgstr or any(entry.msgstr_plural.values())) and not options.overwrite:
                gaps = _gaps(entry, known)
                if not gaps or "fuzzy" in entry.flags:
                    self.kept += 1
                    continue
                self.partial.add(index)
                if known:  # only the messages the empty forms are made from
                    singular, plural = 0 in gaps and known > 1, any(i > 0 for i in gaps)
            self.entries.append(index)
            if singular or not entry.msgid_plural:
                self.units.append(Unit(f"{entry.linenum}", _runs(entry.msgid), fallback="keep", line=entry.linenum))
            if plural:
                self.units.append(Unit(f"{entry.linenum} plural", _runs(entry.msgid_plural), fallback="keep",
                                       line=entry.linenum))

    def check_targets(self, targets: list[str]) -> None:
        if self.language and not self.name.endswith(".pot"):
            code = languages.canonical(self.language)
            if code and targets != [code]:
                raise LanguageError(f"this catalog is in {self.language!r}: translate it with --to {code}",
                                    path=self.name)

    def verify(self, unit: Unit, translation: str) -> bool:
        return placeholders(unit.text) == placeholders(translation)

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        catalog = fresh_catalog(self.checked, self.name)
        forms = catalog.metadata.get("Plural-Forms") if catalog.metadata.get("Language") else None
        forms = forms if not is_template(forms) else PLURAL_FORMS.get(target)  # the catalog's is checked
        nplurals = parse_plural_forms(forms).nplurals if forms else 0
        _header(catalog, target, forms, self.name)
        entries = list(catalog)
        partial_lines = {entries[index].linenum for index in self.partial}
        problems = _lost(self.name, failed, partial_lines)
        left_out = {unit.line for unit, _ in failed}
        translated = filled = kept = 0
        for index in self.entries:
            entry = entries[index]
            if entry.linenum in left_out:
                continue
            if entry.msgid_plural and not nplurals:
                problems.append(f"{self.name}:{entry.linenum}: no Plural-Forms known for {target}: "
                                "add one to the catalog header; left "
                                + ("partly translated" if index in self.partial else "untranslated"))
                continue
            one, other = texts.get(f"{entry.linenum}"), texts.get(f"{entry.linenum} plural")
            if entry.msgid_plural:
                # each form from msgid or msgid_plural as the target's rule has it: [0] is the singular's
                gaps = _gaps(entry, nplurals) if index in self.partial else set(range(nplurals))
                if not gaps:  # complete for this target's forms after all
                    kept += 1
                    continue
                made = {i: one if i == 0 and nplurals > 1 else other for i in gaps}
                if index in self.partial:  # the human forms kept; empty slots past nplurals dropped
                    made = {**{i: s for i, s in entry.msgstr_plural.items() if i < nplurals or s}, **made}
                    filled += 1
                entry.msgstr_plural = dict(sorted(made.items()))
            else:
                entry.msgstr = one
            if self.options.fuzzy and "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            elif not self.options.fuzzy:
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                # the #| strings live as long as the fuzzy flag (msgmerge, Poedit): they told
                # which msgid an earlier, fuzzy msgstr was made for; the entry is confirmed now
                entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
            translated += 1
        partly = f" ({filled} of them in their empty plural forms only)" if filled else ""
        return Output(target, str(catalog), f".{target}.po",
                      f"{target}: {translated} entries translated{partly}, {self.kept + kept} kept, "
                      f"{len(self.entries) - translated - kept} left untranslated", problems)


def _gaps(entry, nplurals: int | None) -> set[int]:
    """The plural forms of *entry* that are empty or missing, out of *nplurals* (if None,
    out of those the entry has); none for a singular entry."""
    if not entry.msgid_plural:
        return set()
    count = nplurals if nplurals is not None else max(entry.msgstr_plural, default=-1) + 1
    return {i for i in range(count) if not entry.msgstr_plural.get(i)}


def _lost(name: str, failed: list[tuple[Unit, str]], partial: set[int]) -> list[str]:
    """One line per entry whose placeholders did not all come back (lost or added)."""
    lines: dict[int, list[str]] = {}
    for unit, rejected in failed:
        source, out = placeholders(unit.text), placeholders(rejected)
        lines.setdefault(unit.line, []).extend([*(source - out), *(out - source)])
    return [f"{name}:{line}: placeholders could not be kept ({', '.join(dict.fromkeys(shown))}); "
            f"left {'partly translated' if line in partial else 'untranslated'}" for line, shown in lines.items()]


def _header(catalog, target: str, forms: str | None, name: str) -> None:
    from .. import __version__

    catalog.metadata["Language"] = catalog.metadata.get("Language") or target
    if forms:
        catalog.metadata["Plural-Forms"] = forms
    catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"  # what write_atomic writes
    for key, value in (("Project-Id-Version", os.path.basename(name)), ("MIME-Version", "1.0"),
                       ("Content-Transfer-Encoding", "8bit"),
                       ("Last-Translator", "machine translation (translator)"), ("Language-Team", "none"),
                       ("PO-Revision-Date", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000"))):
        if not catalog.metadata.get(key):
            catalog.metadata[key] = value
    catalog.metadata["X-Generator"] = f"translator {__version__}"


TYPE = PoType()
