"""Gettext catalogs translated in part: a plural entry's empty forms filled, fuzzy entries and
their ``#|`` previous strings (real Apertium fr->es and fr->ca; outputs checked with msgfmt -c)."""

import shutil
import subprocess

import polib
import pytest

from translator.cli import main

from .conftest import needs_apertium

HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {lang}\\n"
"Plural-Forms: {forms}\\n"
'''
ES3 = "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
TWO = "nplurals=2; plural=(n != 1);"

ES3_CATALOG = HEADER.format(lang="es", forms=ES3) + '''
#, python-format
msgid "%d chat"
msgid_plural "%d chats"
msgstr[0] "%d gato"
msgstr[1] ""
msgstr[2] ""
'''

CA_CATALOG = HEADER.format(lang="ca", forms=TWO) + '''
#, python-format
msgid "%d fichier supprimé"
msgid_plural "%d fichiers supprimés"
msgstr[0] "%d fitxer esborrat"
msgstr[1] ""

#, python-brace-format
msgid "{n} message non lu"
msgid_plural "{n} messages non lus"
msgstr[0] ""
msgstr[1] "{n} missatges per llegir"

#, fuzzy, python-format
#| msgid "%d page"
#| msgid_plural "%d pages"
msgid "%d page lue"
msgid_plural "%d pages lues"
msgstr[0] "%d pàgina"
msgstr[1] ""
'''

FUZZY_CATALOG = HEADER.format(lang="es", forms=TWO) + '''
#, fuzzy
#| msgctxt "vieux"
#| msgid "La mer"
msgctxt "menu"
msgid "La mer est calme."
msgstr ""

#, fuzzy
#| msgid "Le ciel"
msgid "Le ciel est bleu."
msgstr "El cielo, dijo el editor."

#, fuzzy, python-format
#| msgid "%d chat"
#| msgid_plural "%d chats"
msgid "%d chat noir"
msgid_plural "%d chats noirs"
msgstr[0] "%d gato"
msgstr[1] "%d gatos"
'''


def _accepted_by_msgfmt(path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) not installed: the output is not checked with msgfmt -c")
    proc = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _translate(tmp_path, name, text, lang, *flags):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    assert main([str(src), "--to", lang, "--from", "fr", "-o", str(tmp_path / "out"), *flags]) == 0
    out = tmp_path / "out" / src.name.replace(".po", f".{lang}.po")
    return out, [e for e in polib.pofile(str(out)) if e.msgid]


def _previous(entry):
    return entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural


@needs_apertium
def test_three_forms_partly_translated_get_their_empty_forms_filled(tmp_path, capsys):
    out, [entry] = _translate(tmp_path, "es3.po", ES3_CATALOG, "es")
    assert "es3.po: es: 1 entries translated (1 of them in their empty plural forms only), 0 kept, " \
           "0 left untranslated" in capsys.readouterr().err
    assert (entry.msgid, entry.msgid_plural) == ("%d chat", "%d chats")
    assert entry.msgstr_plural == {0: "%d gato", 1: "%d gatos", 2: "%d gatos"}  # [0] is the human's
    assert entry.flags == ["fuzzy", "python-format"]
    _accepted_by_msgfmt(out)
    out, [entry] = _translate(tmp_path, "es3.po", ES3_CATALOG, "es", "--no-fuzzy")
    assert entry.msgstr_plural == {0: "%d gato", 1: "%d gatos", 2: "%d gatos"}
    assert entry.flags == ["python-format"]
    _accepted_by_msgfmt(out)


@needs_apertium
def test_two_forms_either_one_empty_and_a_fuzzy_one_kept(tmp_path, capsys):
    out, [deleted, unread, fuzzy] = _translate(tmp_path, "ca2.po", CA_CATALOG, "ca")
    assert "ca2.po: ca: 2 entries translated (2 of them in their empty plural forms only), 1 kept, " \
           "0 left untranslated" in capsys.readouterr().err
    assert deleted.msgstr_plural == {0: "%d fitxer esborrat", 1: "%d fitxers suprimits"}
    assert deleted.flags == ["fuzzy", "python-format"]
    assert unread.msgstr_plural == {0: "{n} missatge no llegit", 1: "{n} missatges per llegir"}  # [0] from msgid
    assert unread.flags == ["fuzzy", "python-brace-format"]
    # fuzzy with a translation: kept as it is, as every fuzzy entry is (msgfmt skips it)
    assert fuzzy.msgstr_plural == {0: "%d pàgina", 1: ""} and fuzzy.flags == ["fuzzy", "python-format"]
    assert _previous(fuzzy) == (None, "%d page", "%d pages")
    _accepted_by_msgfmt(out)


@needs_apertium
def test_lost_placeholder_in_a_partly_translated_entry_leaves_it_as_it_was(tmp_path, capsys, monkeypatch):
    import translator.terms as terms

    real = terms.translate_protected

    def lossy(*args, **kwargs):  # the engine drops {n}
        return {lang: {k: v.replace("{n}", "n") for k, v in table.items()}
                for lang, table in real(*args, **kwargs).items()}

    monkeypatch.setattr(terms, "translate_protected", lossy)
    src = tmp_path / "ca2.po"
    _, [deleted, unread, _] = _translate(tmp_path, "ca2.po", CA_CATALOG, "ca", "--no-fuzzy")
    err = capsys.readouterr().err
    assert f"{src}:13: placeholders could not be kept ({{n}}); left partly translated" in err
    assert "ca: 1 entries translated (1 of them in their empty plural forms only), 1 kept, 1 left untranslated" in err
    assert unread.msgstr_plural == {0: "", 1: "{n} missatges per llegir"} and unread.flags == ["python-brace-format"]
    assert deleted.msgstr_plural == {0: "%d fitxer esborrat", 1: "%d fitxers suprimits"}
    assert deleted.flags == ["python-format"]


@needs_apertium
def test_no_fuzzy_drops_the_previous_strings_with_the_flag(tmp_path):
    out, [calm, sky, cats] = _translate(tmp_path, "fz.po", FUZZY_CATALOG, "es", "--no-fuzzy")
    assert (calm.msgctxt, calm.msgid, calm.msgstr) == ("menu", "La mer est calme.", "La mar es tranquila.")
    assert calm.flags == [] and _previous(calm) == (None, None, None)
    # fuzzy entries with a translation are kept, --no-fuzzy or not: flag and #| strings
    assert (sky.msgstr, sky.flags, _previous(sky)) == ("El cielo, dijo el editor.", ["fuzzy"], (None, "Le ciel", None))
    assert cats.msgstr_plural == {0: "%d gato", 1: "%d gatos"} and cats.flags == ["fuzzy", "python-format"]
    assert _previous(cats) == (None, "%d chat", "%d chats")
    assert '#| msgctxt "vieux"' not in out.read_text(encoding="utf-8")
    _accepted_by_msgfmt(out)

    out, [calm, sky, cats] = _translate(tmp_path, "fz.po", FUZZY_CATALOG, "es", "--no-fuzzy", "--overwrite")
    assert (calm.msgstr, calm.flags, _previous(calm)) == ("La mar es tranquila.", [], (None, None, None))
    assert (sky.msgstr, sky.flags, _previous(sky)) == ("El cielo es azul.", [], (None, None, None))
    assert cats.msgstr_plural == {0: "%d gato negro", 1: "%d gatos negros"}
    assert cats.flags == ["python-format"] and _previous(cats) == (None, None, None)
    assert "#|" not in out.read_text(encoding="utf-8")
    _accepted_by_msgfmt(out)

    out, [calm, sky, cats] = _translate(tmp_path, "fz.po", FUZZY_CATALOG, "es", "--overwrite")
    assert calm.flags == ["fuzzy"] and _previous(calm) == ("vieux", "La mer", None)  # fuzzy still: kept with it
    assert sky.flags == ["fuzzy"] and _previous(sky) == (None, "Le ciel", None)
    _accepted_by_msgfmt(out)


def test_partly_translated_without_a_language_follows_each_target(monkeypatch):
    """No Language in the header: the forms to fill are the target's (the engines stubbed)."""
    import translator.terms as terms
    from translator.documents import Options
    from translator.documents.po import TYPE

    monkeypatch.setattr(terms, "translate_protected",
                        lambda translator, texts, source, targets, name, protected, **kw:
                        {t: {x: f"[{t}] {x}" for x in texts} for t in targets})
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "%d chat"\nmsgid_plural "%d chats"\nmsgstr[0] ""\nmsgstr[1] "%d кошек"\n')
    done = TYPE.translate(None, text.encode(), name="m.po", to=["ru"], source="fr", options=Options())
    [ru] = [polib.pofile(o.data) for o in done.outputs]
    [entry] = [e for e in ru if e.msgid]
    assert entry.msgstr_plural == {0: "[ru] %d chat", 1: "%d кошек", 2: "[ru] %d chats"}
    assert entry.flags == ["fuzzy"]
