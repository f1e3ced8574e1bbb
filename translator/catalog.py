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
    import polib

    try:
        return polib.pofile(path, wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        m = re.search(r"\(line (\d+)\)", str(exc))
        where = f"{path}:{m.group(1)}" if m else path
        detail = "syntax error" if m else str(exc).replace(os.fspath(path), "").strip(" :")
        raise InputError(f"malformed PO file: {detail} (check it with 'msgfmt --check')", path=where) from None


def _nplurals(forms: str) -> int:
    m = re.search(r"nplurals\s*=\s*(\d+)", forms or "")
    return int(m.group(1)) if m else 0


def translate_catalog(translator, path: str, *, to: list[str], source: str = "auto",
                      overwrite: bool = False, fuzzy: bool = True) -> list[CatalogResult]:
    """Fill the untranslated entries of the catalog at *path*, once per target language."""
    catalog = read_catalog(path)
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
        results.append(_fill(translator, path, target, source, overwrite, fuzzy))
    return results


def _fill(translator, path: str, target: str, source: str, overwrite: bool, fuzzy: bool) -> CatalogResult:
    catalog = read_catalog(path)  # a fresh copy per target
    result = CatalogResult(target, catalog)
    forms = catalog.metadata.get("Plural-Forms") if catalog.metadata.get("Language") else None
    forms = forms or PLURAL_FORMS.get(target)
    nplurals = _nplurals(forms)
    catalog.metadata["Language"] = catalog.metadata.get("Language") or target
    if forms:
        catalog.metadata["Plural-Forms"] = forms
    from datetime import datetime, timezone

    from . import __version__

    for key, value in (("Project-Id-Version", os.path.basename(path)), ("MIME-Version", "1.0"),
                       ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
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
