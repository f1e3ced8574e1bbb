"""Filling gettext catalogs (PO, POT) with machine translations, via polib.

Placeholders (printf ``%s``/``%(name)d``/``%1$s`` (no space flag: "5 % seulement" is
French typography), braces ``{name}``/``{0}``, markup
``<b>``/``</a>``, entities) travel through the engines as do-not-translate terms, and
are checked afterwards: an entry whose placeholders did not all come back, exactly,
stays untranslated and is reported.  Entries already translated are left alone
unless *overwrite*.  Machine translations are flagged fuzzy unless *fuzzy* is False.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

from . import languages
from .errors import InputError, LanguageError
from .plural_forms import is_template
from .plural_forms import parse as parse_plural_forms

PLACEHOLDER = re.compile(
    r"%(?:\d+\$)?(?:\([A-Za-z_][\w.]*\))?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrsa%]"
    r"|\{\{|\}\}|\{[\w.:!\[\]-]*\}"
    r"|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"
    r"|&(?:[A-Za-z]+|#\d+);")

#: Plural-Forms of the gettext manual for the languages we translate to most.
PLURAL_FORMS = {
    **dict.fromkeys(("en", "de", "es", "it", "pt", "ca", "nl", "sv", "da", "no", "nb", "fi", "el", "he",
                     "hu", "bg", "et", "eu", "gl", "eo"), "nplurals=2; plural=(n != 1);"),
    **dict.fromkeys(("fr", "oc"), "nplurals=2; plural=(n > 1);"),
    **dict.fromkeys(("zh", "zt", "ja", "ko", "vi", "th", "id", "ms"), "nplurals=1; plural=0;"),
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr", "bs"),
                    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                    "(n%100<10 || n%100>=20) ? 1 : 2);"),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    **dict.fromkeys(("cs", "sk"), "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
          "n%100>=11 ? 4 : 5);",
}


@dataclass
class CatalogResult:
    target: str
    catalog: object  # polib.POFile
    translated: int = 0
    kept: int = 0  # already translated, left alone
    problems: list[str] = field(default_factory=list)  # "path:line: ..." lines


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def read_catalog(path: str):
    """Read a PO/POT file strictly (:mod:`.po_syntax`), then with polib; refuse anything
    the two read differently, and a Plural-Forms header gettext would refuse."""
    return _polib(_checked(path), path)


def _checked(path: str):
    from .po_syntax import check
    from .textio import read_bytes

    checked = check(read_bytes(path), name=path)
    _check_plural_forms(checked, path)
    return checked


def _polib(checked, path: str):
    """A fresh polib catalog of the checked text: the same messages, or a refusal."""
    import polib

    try:
        catalog = polib.pofile(checked.text, wrapwidth=0, encoding=checked.charset)
    except (OSError, ValueError) as exc:  # polib refuses layouts gettext accepts: "msgid "a" "b"" on one line
        m = re.search(r"\(line (\d+)\)", str(exc))
        raise InputError(_UNUSUAL, path=f"{path}:{m.group(1)}" if m else path) from None
    _same_messages(catalog, checked, path)
    return catalog


_UNUSUAL = ("unsupported PO layout (valid for gettext, read differently by polib): "
            "normalise the file with 'msgcat --no-wrap -o FILE FILE'")


def _same_messages(catalog, checked, path: str) -> None:
    """polib's entries must be the messages the strict reader found, field by field."""
    ours = [m for m in checked.messages if m is not checked.header]
    theirs = list(catalog)  # polib moved the header to metadata
    for mine, entry in zip(ours, theirs):
        if mine.obsolete:  # polib skips their "#~|" lines: give them back, the output keeps them
            entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural = mine.previous
        if (mine.obsolete, mine.msgctxt, mine.msgid, mine.msgid_plural or "", mine.msgstr or "",
                mine.msgstr_plural, mine.previous, mine.fuzzy) != (
                bool(entry.obsolete), entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr,
                [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)],
                (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural),
                "fuzzy" in entry.flags):
            raise InputError(_UNUSUAL, path=f"{path}:{mine.line}")
    if len(ours) != len(theirs):
        line = ours[len(theirs)].line if len(ours) > len(theirs) else checked.messages[0].line
        raise InputError(_UNUSUAL, path=f"{path}:{line}")


def _check_plural_forms(checked, path: str) -> None:
    """msgfmt's rules: a valid Plural-Forms (xgettext's template counts as none) when a
    plural message is translated, and that many forms in every such message."""
    from .plural_forms import PluralFormsError
    from .po_syntax import HINT

    header = checked.header
    value = _header_field(header.msgstr or "", "Plural-Forms") if header else None
    translated = [m for m in checked.messages if m.msgid_plural is not None and m.translated
                  and not (m.obsolete or m.fuzzy)]
    if is_template(value):
        if translated:
            raise InputError("malformed PO file: plural translations but no Plural-Forms in the header: add one, "
                             "for example 'nplurals=2; plural=(n != 1);'" + HINT, path=f"{path}:{translated[0].line}")
        return
    try:
        nplurals = parse_plural_forms(value).nplurals
    except PluralFormsError as exc:
        hint = "" if exc.beyond_gettext else HINT
        raise InputError(f"malformed PO file: Plural-Forms: {exc}{hint}", path=f"{path}:{header.line}") from None
    for message in translated:
        if len(message.msgstr_plural) != nplurals:
            raise InputError(f"malformed PO file: the header says nplurals={nplurals} but this message has "
                             f"{len(message.msgstr_plural)} plural form(s){HINT}", path=f"{path}:{message.line}")


def _header_field(header: str, key: str) -> str | None:
    for line in header.split("\n"):
        name, sep, value = line.partition(":")
        if sep and name.strip() == key:
            return value.strip()
    return None


def translate_catalog(translator, path: str, *, to: list[str], source: str = "auto",
                      overwrite: bool = False, fuzzy: bool = True) -> list[CatalogResult]:
    """Fill the untranslated entries of the catalog at *path*, once per target language."""
    checked = _checked(path)  # read and checked once: every target sees the same text
    catalog = _polib(checked, path)
    entries = [e for e in catalog if not e.obsolete and e.msgid]
    language = (catalog.metadata.get("Language") or "").strip()
    if language and not path.endswith(".pot"):
        code = languages.canonical(language)
        if code and to != [code]:
            raise LanguageError(f"this catalog is in {language!r}: translate it with --to {code}", path=path)
    if source == "auto":
        from .detection import detect

        source = detect("\n".join(e.msgid for e in entries), name=path).language
    results = []
    for target in to:
        results.append(_fill(translator, _polib(checked, path), path, target, source, overwrite, fuzzy))
    return results


def _fill(translator, catalog, path: str, target: str, source: str, overwrite: bool, fuzzy: bool) -> CatalogResult:
    """Fill *catalog* (a fresh copy per target) for *target*."""
    result = CatalogResult(target, catalog)
    forms = catalog.metadata.get("Plural-Forms") if catalog.metadata.get("Language") else None
    forms = forms if not is_template(forms) else PLURAL_FORMS.get(target)  # the catalog's is checked
    nplurals = parse_plural_forms(forms).nplurals if forms else 0
    catalog.metadata["Language"] = catalog.metadata.get("Language") or target
    if forms:
        catalog.metadata["Plural-Forms"] = forms
    catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"  # what write_atomic writes
    from datetime import datetime, timezone

    from . import __version__

    for key, value in (("Project-Id-Version", os.path.basename(path)), ("MIME-Version", "1.0"),
                       ("Content-Transfer-Encoding", "8bit"),
                       ("Last-Translator", "machine translation (translator)"), ("Language-Team", "none"),
                       ("PO-Revision-Date", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000"))):
        if not catalog.metadata.get(key):
            catalog.metadata[key] = value
    catalog.metadata["X-Generator"] = f"translator {__version__}"
    todo = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        done = entry.msgstr or any(entry.msgstr_plural.values())
        if done and not overwrite:
            result.kept += 1
            continue
        if entry.msgid_plural and not nplurals:
            result.problems.append(f"{path}:{entry.linenum}: no Plural-Forms known for {target}: "
                                   "add one to the catalog header; left untranslated")
            continue
        todo.append(entry)
    texts = sorted({t for e in todo for t in ([e.msgid, e.msgid_plural] if e.msgid_plural else [e.msgid])})
    translations = _translate_texts(translator, texts, source, target, path)
    for entry in todo:
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        outs = [translations[s] for s in sources]
        lost = [p for s, o in zip(sources, outs) for p in (placeholders(s) - placeholders(o))]
        extra = [p for s, o in zip(sources, outs) for p in (placeholders(o) - placeholders(s))]
        if lost or extra:
            shown = ", ".join(dict.fromkeys(lost + extra))
            result.problems.append(f"{path}:{entry.linenum}: placeholders could not be kept ({shown}); "
                                   "left untranslated")
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {i: outs[0] if i == 0 and nplurals > 1 else outs[-1] for i in range(nplurals)}
        else:
            entry.msgstr = outs[0]
        if fuzzy and "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        elif not fuzzy and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        result.translated += 1
    return result


def _translate_texts(translator, texts: list[str], source: str, target: str, path: str) -> dict[str, str]:
    """Translate catalog strings together, their placeholders as do-not-translate terms."""
    from .terms import translate_protected

    return translate_protected(translator, texts, source, target, path,
                               {t: list(placeholders(t)) for t in texts})
