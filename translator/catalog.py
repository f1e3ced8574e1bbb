"""Reading gettext catalogs (PO, POT) strictly, and what translating them needs to know
(placeholders, plural forms); the translation itself is :mod:`translator.documents.po`.

Placeholders (printf ``%s``/``%(name)d``/``%1$s`` (no space flag: "5 % seulement" is
French typography), braces ``{name}``/``{0}``, markup
``<b>``/``</a>``, entities) travel through the engines as do-not-translate terms, and
are checked afterwards: an entry whose placeholders did not all come back, exactly,
stays untranslated and is reported.  Entries already translated are left alone
unless *overwrite*.  Machine translations are flagged fuzzy unless *fuzzy* is False.
"""

from __future__ import annotations

import re
from collections import Counter

from .errors import InputError
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


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def read_catalog(path: str):
    """Read a PO/POT file strictly (:mod:`.po_syntax`), then with polib; refuse anything
    the two read differently, and a Plural-Forms header gettext would refuse."""
    return fresh_catalog(_checked(path), path)


def _checked(path: str):
    from .textio import read_bytes

    return checked_bytes(read_bytes(path), path)


def checked_bytes(data: bytes, path: str):
    """The strict reading of a catalog's bytes (:mod:`.po_syntax`), Plural-Forms checked."""
    from .po_syntax import check

    checked = check(data, name=path)
    _check_plural_forms(checked, path)
    return checked


def fresh_catalog(checked, path: str):
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
