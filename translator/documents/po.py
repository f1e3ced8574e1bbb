"""gettext catalogs (PO, POT): the untranslated entries filled, one ``NAME.<lang>.po`` per target.

The catalog is read strictly first (:mod:`translator.catalog`).  Each message to translate
is a unit whose placeholders (printf, braces, markup, entities) are its inline codes; a
translation that does not give back exactly the same placeholders leaves the entry
untranslated, reported with its line.  Plural entries get the target's ``Plural-Forms``;
machine translations are flagged fuzzy unless ``--no-fuzzy``; entries that have a
translation are kept unless ``--overwrite``.
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
        self.entries = []  # (entry index, plural) of the messages to translate
        self.units: list[Unit] = []
        self.sample = "\n".join(e.msgid for e in catalog if not e.obsolete and e.msgid)
        for index, entry in enumerate(catalog):
            if entry.obsolete or not entry.msgid:
                continue
            if (entry.msgstr or any(entry.msgstr_plural.values())) and not options.overwrite:
                self.kept += 1
                continue
            self.entries.append(index)
            self.units.append(Unit(f"{entry.linenum}", _runs(entry.msgid), fallback="keep", line=entry.linenum))
            if entry.msgid_plural:
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
        problems = _lost(self.name, failed)
        left_out = {unit.line for unit, _ in failed}
        translated = 0
        for index in self.entries:
            entry = entries[index]
            if entry.linenum in left_out:
                continue
            if entry.msgid_plural and not nplurals:
                problems.append(f"{self.name}:{entry.linenum}: no Plural-Forms known for {target}: "
                                "add one to the catalog header; left untranslated")
                continue
            outs = [texts[f"{entry.linenum}"]] + ([texts[f"{entry.linenum} plural"]] if entry.msgid_plural else [])
            if entry.msgid_plural:
                entry.msgstr_plural = {i: outs[0] if i == 0 and nplurals > 1 else outs[-1] for i in range(nplurals)}
            else:
                entry.msgstr = outs[0]
            if self.options.fuzzy and "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            elif not self.options.fuzzy and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            translated += 1
        return Output(target, str(catalog), f".{target}.po",
                      f"{target}: {translated} entries translated, {self.kept} kept, "
                      f"{len(self.entries) - translated} left untranslated", problems)


def _lost(name: str, failed: list[tuple[Unit, str]]) -> list[str]:
    """One line per entry whose placeholders did not all come back (lost or added)."""
    lines: dict[int, list[str]] = {}
    for unit, rejected in failed:
        source, out = placeholders(unit.text), placeholders(rejected)
        lines.setdefault(unit.line, []).extend([*(source - out), *(out - source)])
    return [f"{name}:{line}: placeholders could not be kept ({', '.join(dict.fromkeys(shown))}); left untranslated"
            for line, shown in lines.items()]


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
