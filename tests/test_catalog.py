"""Gettext catalogs in: placeholders kept exactly, plurals, fuzzy, no clobbering."""

import shutil
import subprocess

import polib
import pytest

from translator.catalog import placeholders
from translator.cli import main
from translator.errors import ExitCode

from .conftest import needs_apertium, needs_model

POT = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: app.py:10
#, python-format
msgid "%(count)d articles sur le Kremlin"
msgstr ""

#: app.py:11
#, c-format
msgid "Bonjour %s, vous avez %d messages."
msgstr ""

#: app.py:12
#, python-brace-format
msgid "Publié par {author} le {date}"
msgstr ""

#: app.py:13
msgid "Lire <b>l'article</b> sur la <a href=\"/maison-blanche\">Maison-Blanche</a>."
msgstr ""

#: app.py:14
#, python-format
msgid "%(n)d commentaire"
msgid_plural "%(n)d commentaires"
msgstr[0] ""
msgstr[1] ""

#: app.py:15
msgid "Le cessez-le-feu tient.\n"
msgstr ""
'''


@pytest.mark.parametrize("text, found", [
    ("%s et %d", ["%s", "%d"]), ("%(count)d / %(total)s", ["%(count)d", "%(total)s"]),
    ("%1$s %2$d %.2f %%", ["%1$s", "%2$d", "%.2f", "%%"]), ("{name} {0} {} {{x}}", ["{name}", "{0}", "{}", "{{", "}}"]),
    ("<b>x</b> <br/> <a href=\"u\">", ["<b>", "</b>", "<br/>", '<a href="u">']), ("&amp; &#169;", ["&amp;", "&#169;"]),
    ("Un taux de 5 % seulement", []),
])
def test_placeholder_patterns(text, found):
    assert sorted(placeholders(text).elements()) == sorted(found)


@pytest.fixture
def pot(tmp_path):
    path = tmp_path / "messages.pot"
    path.write_text(POT, encoding="utf-8")
    return path


@needs_apertium
def test_pot_gives_a_po_per_target_with_placeholders_kept(pot, capsys):
    assert main([str(pot), "--to", "es,en", "-g", "news"]) == 0
    assert "messages.pot: es: 6 entries translated, 0 kept, 0 left untranslated" in capsys.readouterr().err
    es = polib.pofile(str(pot.with_name("messages.es.po")))
    assert es.metadata["Language"] == "es" and es.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    by_id = {e.msgid: e for e in es}
    for entry in es:
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        outs = [entry.msgstr_plural[0], entry.msgstr_plural[1]] if entry.msgid_plural else [entry.msgstr]
        assert [placeholders(o) for o in outs] == [placeholders(s) for s in sources]
        assert entry.flags[0] == "fuzzy"
    assert by_id["Lire <b>l'article</b> sur la <a href=\"/maison-blanche\">Maison-Blanche</a>."].msgstr == \
        "Leer <b>el artículo</b> sobre la <a href=\"/maison-blanche\">Casa Blanca</a>."
    assert by_id["Le cessez-le-feu tient.\n"].msgstr.endswith("\n")
    assert by_id["%(n)d commentaire"].msgstr_plural == {0: "%(n)d comentario", 1: "%(n)d comentarios"}
    if shutil.which("msgfmt"):  # checks python-format and c-format strings too
        proc = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(pot.with_name("messages.en.po"))],
                              capture_output=True, text=True)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr


@needs_apertium
def test_translated_entries_are_kept_unless_overwrite(tmp_path, capsys):
    po = polib.POFile()
    po.metadata = {"Language": "es", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Le ciel est bleu.", msgstr="El cielo es azul, dijo el editor."))
    po.append(polib.POEntry(msgid="La mer est calme.", msgstr=""))
    src = tmp_path / "site.po"
    po.save(str(src))
    before = src.read_text(encoding="utf-8")
    assert main([str(src), "--to", "es", "--no-fuzzy", "-q"]) == 0
    out = polib.pofile(str(tmp_path / "site.es.po"))
    assert out[0].msgstr == "El cielo es azul, dijo el editor."  # the human's line
    assert out[1].msgstr == "La mar es tranquila." and "fuzzy" not in out[1].flags
    assert src.read_text(encoding="utf-8") == before  # the input is never rewritten
    assert main([str(src), "--to", "es", "--overwrite", "-q"]) == 0
    assert polib.pofile(str(tmp_path / "site.es.po"))[0].msgstr == "El cielo es azul."


@needs_apertium
def test_lost_placeholders_leave_the_entry_untranslated(pot, capsys, monkeypatch):
    import translator.terms as terms

    real = terms.translate_protected

    def lossy(*args, **kwargs):  # the engines drop a placeholder
        return {lang: {k: v.replace("{author}", "author") for k, v in table.items()}
                for lang, table in real(*args, **kwargs).items()}

    monkeypatch.setattr(terms, "translate_protected", lossy)
    assert main([str(pot), "--to", "es", "-q"]) == 0
    assert f"{pot}:15: placeholders could not be kept ({{author}}); left untranslated" in capsys.readouterr().err
    entry = next(e for e in polib.pofile(str(pot.with_name("messages.es.po"))) if "{author}" in e.msgid)
    assert entry.msgstr == "" and "fuzzy" not in entry.flags


def test_malformed_po_names_the_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "a"\nmsgstr "b"\n\nthis is not po\nmsgid "c"\n', encoding="utf-8")
    assert main([str(bad), "--to", "es"]) == ExitCode.INPUT
    err = capsys.readouterr().err.strip()
    assert err == f"{bad}:4: malformed PO file: syntax error: unknown keyword 'this' (check it with 'msgfmt --check')"
    assert list(tmp_path.iterdir()) == [bad]


def test_po_in_another_language_is_refused(tmp_path, capsys):
    po = polib.POFile()
    po.metadata = {"Language": "de", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Le ciel", msgstr=""))
    path = tmp_path / "de.po"
    po.save(str(path))
    assert main([str(path), "--to", "es"]) == ExitCode.LANGUAGE
    assert "this catalog is in 'de': translate it with --to de" in capsys.readouterr().err


@needs_model
def test_neural_catalog_keeps_placeholders_or_reports(with_zh_en, tmp_path, capsys):
    pot = tmp_path / "zh.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   '#, c-format\nmsgid "您有 %d 条新消息。"\nmsgstr ""\n\n'
                   '#, python-brace-format\nmsgid "{name} 在日内瓦发表了讲话。"\nmsgstr ""\n', encoding="utf-8")
    assert main([str(pot), "--to", "en", "-q"]) == 0
    out = polib.pofile(str(tmp_path / "zh.en.po"))
    assert out[0].msgstr == "You have %d new messages."
    assert "{name}" in out[1].msgstr and "Geneva" in out[1].msgstr


def test_plural_slots_follow_the_target_plural_forms(monkeypatch):
    """No Russian engine here: the translation is stubbed; the catalog logic is real."""
    import translator.terms as terms
    from translator.documents import Options
    from translator.documents.po import TYPE

    monkeypatch.setattr(terms, "translate_protected",
                        lambda translator, texts, source, targets, name, protected, **kw:
                        {t: {x: f"[{t}] {x}" for x in texts} for t in targets})
    done = TYPE.translate(None, POT.encode(), name="m.pot", to=["ru", "ja"], source="fr", options=Options())
    ru, ja = (polib.pofile(o.data) for o in done.outputs)
    assert ru.metadata["Plural-Forms"].startswith("nplurals=3;")
    entry = next(e for e in ru if e.msgid_plural)
    assert entry.msgstr_plural == {0: "[ru] %(n)d commentaire", 1: "[ru] %(n)d commentaires",
                                   2: "[ru] %(n)d commentaires"}
    assert next(e for e in ja if e.msgid_plural).msgstr_plural == {0: "[ja] %(n)d commentaires"}
