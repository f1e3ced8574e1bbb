"""Strict PO reading: every malformed catalog of tests/hostile/po is refused through the
real CLI with one line naming the file and line, exit 3, nothing written, input
unchanged; msgfmt --check agrees on which files are invalid (the few deliberate
differences are listed with their reason); valid layouts are read exactly."""

import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from translator import plural_forms
from translator.catalog import PLURAL_FORMS, read_catalog
from translator.cli import main
from translator.errors import ExitCode, InputError

HOSTILE = Path(__file__).parent / "hostile" / "po"
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="msgfmt (gettext) not installed")
CHECK = " (check it with 'msgfmt --check')"
UNUSUAL = ("unsupported PO layout (valid for gettext, read differently by polib): "
           "normalise the file with 'msgcat --no-wrap -o FILE FILE'")

#: file, line (None: the file as a whole), the message after "path:line: "
REFUSED = [
    ("unterminated_string.po", 6, "malformed PO file: end-of-line within string" + CHECK),
    ("bad_escape.po", 5, "malformed PO file: invalid control sequence '\\q'" + CHECK),
    ("msgstr_without_msgid.po", 5, "malformed PO file: syntax error: msgstr without msgid" + CHECK),
    ("plural_without_msgid_plural.po", 6,
     "malformed PO file: missing 'msgid_plural' section (msgstr[N] needs one)" + CHECK),
    ("duplicate_msgid.po", 8, "malformed PO file: duplicate message definition (first at line 5)" + CHECK),
    ("stray_text.po", 4, "malformed PO file: syntax error: unknown keyword 'this'" + CHECK),
    ("keyword_unknown.po", 5, "malformed PO file: syntax error: unknown keyword 'msgidd'" + CHECK),
    ("utf8_header_latin1_bytes.po", 5, "malformed PO file: invalid multibyte sequence for charset UTF-8 "
                                       "(byte 77): fix the bytes or the header's charset" + CHECK),
    ("plural_index_gap.po", 9,
     "malformed PO file: plural form has wrong index: msgstr[2] where msgstr[1] belongs" + CHECK),
    ("plural_index_not_zero.po", 8, "malformed PO file: first plural form has nonzero index" + CHECK),
    ("obsolete_inconsistent.po", 6, "malformed PO file: inconsistent use of #~" + CHECK),
    ("obsolete_unterminated.po", 6, "malformed PO file: end-of-line within string" + CHECK),
    ("previous_unterminated.po", 5, "malformed PO file: end-of-line within string" + CHECK),
    ("string_before_keyword.po", 1, "malformed PO file: syntax error: a string outside any message" + CHECK),
    ("missing_msgstr.po", 5, "malformed PO file: missing 'msgstr' section" + CHECK),
    ("msgctxt_without_msgid.po", 6, "malformed PO file: syntax error: msgid expected" + CHECK),
    ("msgstr_twice.po", 7, "malformed PO file: syntax error: msgstr without msgid" + CHECK),
    ("eot_in_string.po", 5, "malformed PO file: context separator <EOT> within string" + CHECK),
    ("newline_mismatch.po", 5, "malformed PO file: 'msgid' and 'msgstr' entries do not both end with '\\n'" + CHECK),
    ("empty.po", None, "malformed PO file: empty file: no header, no messages" + CHECK),
    ("comments_only.po", None, "malformed PO file: no messages: not a PO file" + CHECK),
    ("nplurals_mismatch.po", 6,
     "malformed PO file: the header says nplurals=2 but this message has 3 plural form(s)" + CHECK),
    ("plurals_without_plural_forms.po", 5, "malformed PO file: plural translations but no Plural-Forms in "
                                           "the header: add one, for example 'nplurals=2; plural=(n != 1);'" + CHECK),
    ("plural_expression_invalid.po", 1, "malformed PO file: Plural-Forms: invalid plural expression: ')' expected"
     + CHECK),
    ("plural_division_by_zero.po", 1, "malformed PO file: Plural-Forms: plural expression divides by zero (n = 0)"
     + CHECK),
    ("plural_out_of_range.po", 1,
     "malformed PO file: Plural-Forms: nplurals = 2 but the plural expression gives 2 for n = 2" + CHECK),
    ("nplurals_negative.po", 1,
     "malformed PO file: Plural-Forms: invalid nplurals value '-1': a number from 1 to 10" + CHECK),
    ("domain_directive.po", 5, "unsupported PO content: 'domain' directives are not supported: one domain per file"),
    ("utf16.po", 1, "unsupported PO content: UTF-16 file: convert it with 'iconv -f UTF-16 -t UTF-8'"),
    # msgfmt accepts these, and the output would be wrong: refused on purpose
    ("nul_byte.po", 5, "malformed PO file: NUL byte (gettext would cut the string there): remove it"),
    ("unknown_charset.po", 1, "malformed PO file: unknown charset 'FOO-9' in the header's Content-Type: "
                              "write charset=UTF-8"),
    ("latin1_header_utf8_bytes.po", 5, "malformed PO file: the header says charset=ISO-8859-1 but the file is "
                                       "UTF-8: write charset=UTF-8 in its Content-Type"),
    ("nplurals_huge.po", 1, "malformed PO file: Plural-Forms: nplurals=1000000 is out of range: 1 to 10 "
                            "(no language has more than 6 plural forms)"),
    # valid gettext that polib would read or write differently: refused, with the fix
    ("hex_escape.po", 5, "unsupported PO content: escape '\\x41' is valid gettext but would be rewritten: "
                         "write the character itself"),
    ("two_strings_one_line.po", 5, UNUSUAL),
    ("empty_msgid_plural.po", 5, "unsupported PO content: empty msgid_plural would be read as a singular "
                                 "message: write the plural of the msgid"),
]
#: refused here although msgfmt --check accepts them, and why
STRICTER_THAN_MSGFMT = {
    "nul_byte.po": "msgfmt cuts the string at the NUL",
    "unknown_charset.po": "msgfmt only warns; nothing could decode the file",
    "latin1_header_utf8_bytes.po": "msgfmt converts the mojibake as declared",
    "nplurals_huge.po": "msgfmt takes any nplurals; each form is a copy of every plural message",
    "hex_escape.po": "polib would write \\x41 back as \\\\x41",
    "two_strings_one_line.po": "polib refuses this layout",
    "empty_msgid_plural.po": "polib would read a singular message",
}


def test_every_hostile_catalog_has_an_expectation():
    assert sorted(p.name for p in HOSTILE.glob("*.po")) == sorted(name for name, _, _ in REFUSED)


@pytest.mark.parametrize("name, line, message", REFUSED, ids=[c[0] for c in REFUSED])
@pytest.mark.parametrize("command", ["translate", "lint"])
def test_malformed_catalog_is_refused_with_one_line(name, line, message, command, tmp_path, capsys):
    path = tmp_path / name
    shutil.copyfile(HOSTILE / name, path)
    before = path.read_bytes()
    argv = [str(path), "--to", "es", "--from", "fr"] if command == "translate" else ["glossary", "lint", str(path)]
    assert main(argv) == ExitCode.INPUT
    out, err = capsys.readouterr()
    where = f"{path}:{line}" if line else str(path)
    assert err == f"{where}: {message}\n" and out == ""
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == [path] and path.read_bytes() == before


@needs_msgfmt
@pytest.mark.parametrize("name", [c[0] for c in REFUSED])
def test_msgfmt_agrees_on_which_catalogs_are_invalid(name):
    proc = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(HOSTILE / name)], capture_output=True)
    assert (proc.returncode == 0) == (name in STRICTER_THAN_MSGFMT), proc.stderr.decode(errors="replace")


def test_the_issue_case_keeps_hola_and_adds_no_entry(tmp_path, capsys):
    """polib alone read 'msgstr "Hola' as "Hol" followed by a bogus entry, with exit 0."""
    path = tmp_path / "bad.po"
    shutil.copyfile(HOSTILE / "unterminated_string.po", path)
    assert [e.msgstr for e in polib.pofile(str(path))] == ["Hol", "Adiós"]  # what polib alone makes of it
    with pytest.raises(InputError, match="end-of-line within string"):
        read_catalog(str(path))


def test_missing_catalog_is_a_missing_file(tmp_path, capsys):
    missing = tmp_path / "nowhere.po"
    assert main([str(missing), "--to", "es"]) == ExitCode.INPUT
    assert capsys.readouterr().err == f"{missing}: no such file: check the path\n"
    assert main(["glossary", "lint", str(missing)]) == ExitCode.INPUT
    assert capsys.readouterr().err == f"{missing}: no such file: check the path\n"
    assert list(tmp_path.iterdir()) == []


# -- valid catalogs are read exactly -----------------------------------------------------------
LAYOUTS = '''# Translator comment
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: site\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. extracted
#: app.py:1
#| msgid "Le ciel"
msgid ""
"Le ciel "
"bleu"
msgstr ""

msgctxt "menu"
msgid "Fichier"
msgstr "Archivo\\t\\"x\\" \\\\ \\n"
	"suite"

#, python-format
msgid "%(n)d article"
msgid_plural "%(n)d articles"
msgstr[0] "%(n)d artículo"
msgstr[1] "%(n)d artículos"

msgid "Seul"
msgstr ""   # a comment after the string

#~| msgid "Ancien"
#~ msgid "Obsolète"
#~ msgstr "Obsoleto"
'''


def test_valid_layouts_are_read_exactly(tmp_path):
    path = tmp_path / "site.po"
    path.write_bytes(LAYOUTS.replace("   # a comment after the string", "").encode())
    entries = list(read_catalog(str(path)))
    assert [(e.msgctxt, e.msgid, e.msgstr, e.obsolete) for e in entries] == [
        (None, "Le ciel bleu", "", 0), ("menu", "Fichier", 'Archivo\t"x" \\ \nsuite', 0),
        (None, "%(n)d article", "", 0), (None, "Seul", "", 0), (None, "Obsolète", "Obsoleto", 1)]
    assert entries[0].previous_msgid == "Le ciel" and entries[4].previous_msgid == "Ancien"
    assert entries[2].msgstr_plural == {0: "%(n)d artículo", 1: "%(n)d artículos"}


def test_a_layout_polib_misreads_is_refused_not_guessed(tmp_path, capsys):
    """gettext takes '#' comments after a string; polib does not: one line, the fix."""
    path = tmp_path / "site.po"
    path.write_text(LAYOUTS, encoding="utf-8")
    assert main([str(path), "--to", "es", "--from", "fr"]) == ExitCode.INPUT
    assert capsys.readouterr().err == f"{path}:30: {UNUSUAL}\n"


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf" + LAYOUTS.replace("   # a comment after the string", "").encode(),  # UTF-8 BOM
    LAYOUTS.replace("   # a comment after the string", "").replace("\n", "\r\n").encode(),  # CRLF
], ids=["bom", "crlf"])
def test_bom_and_crlf_are_read(data, tmp_path):
    path = tmp_path / "site.po"
    path.write_bytes(data)
    assert [e.msgid for e in read_catalog(str(path))] == ["Le ciel bleu", "Fichier", "%(n)d article", "Seul",
                                                          "Obsolète"]


def _stub(monkeypatch):
    """The engines replaced: every text comes back in brackets (the catalog logic is real)."""
    import translator.terms as terms

    monkeypatch.setattr(terms, "translate_protected",
                        lambda translator, texts, source, targets, name, protected, **kw:
                        {t: {x: f"[{x}]" for x in texts} for t in targets})


@needs_msgfmt
def test_latin1_catalog_gives_a_valid_utf8_output(tmp_path, monkeypatch, capsys):
    """The input says ISO-8859-1; the output is written in UTF-8 and its header says so."""
    _stub(monkeypatch)
    path = tmp_path / "latin.po"
    path.write_bytes('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n"Language: es\\n"\n\n'
                     'msgid "Le café"\nmsgstr ""\n\n#~ msgid "Déjà"\n#~ msgstr "Ya"\n'.encode("latin-1"))
    assert main([str(path), "--to", "es", "--from", "fr", "-q"]) == 0
    out = tmp_path / "latin.es.po"
    assert "charset=UTF-8" in out.read_text(encoding="utf-8")
    assert [(e.msgid, e.msgstr) for e in polib.pofile(str(out))] == [("Le café", "[Le café]"), ("Déjà", "Ya")]
    proc = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@needs_msgfmt
def test_obsolete_previous_lines_survive_a_translation(tmp_path, monkeypatch):
    """polib skips '#~|' lines; the reader gives them back, so the output keeps them."""
    _stub(monkeypatch)
    path = tmp_path / "site.po"
    path.write_text(LAYOUTS.replace("   # a comment after the string", ""), encoding="utf-8")
    assert main([str(path), "--to", "es", "--from", "fr", "-q"]) == 0
    text = (tmp_path / "site.es.po").read_text(encoding="utf-8")
    assert '#~| msgid "Ancien"\n#~ msgid "Obsolète"' in text and '#| msgid "Le ciel"' in text
    proc = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(tmp_path / "site.es.po")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_template_plural_forms_is_replaced_by_the_target_s(tmp_path, monkeypatch):
    """xgettext's 'nplurals=INTEGER; plural=EXPRESSION;' means none yet, even with a Language."""
    _stub(monkeypatch)
    path = tmp_path / "m.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n'
                    '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n\n'
                    'msgid "article"\nmsgid_plural "articles"\nmsgstr[0] ""\nmsgstr[1] ""\n', encoding="utf-8")
    assert main([str(path), "--to", "es", "--from", "fr", "-q"]) == 0
    out = polib.pofile(str(tmp_path / "m.es.po"))
    assert out.metadata["Plural-Forms"] == PLURAL_FORMS["es"]
    assert out[0].msgstr_plural == {0: "[article]", 1: "[articles]"}


def test_huge_nplurals_writes_nothing(tmp_path, capsys):
    """The audit's 216-byte catalog made a 42 MB output; now exit 3 and no file."""
    path = tmp_path / "big.po"
    shutil.copyfile(HOSTILE / "nplurals_huge.po", path)
    assert path.stat().st_size < 300
    assert main([str(path), "--to", "es", "--from", "fr"]) == ExitCode.INPUT
    assert "nplurals=1000000 is out of range" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [path]


# -- Plural-Forms ------------------------------------------------------------------------------
PLURAL_CASES = [  # value, accepted by msgfmt --check (and by us, but for the nplurals bound)
    *[(forms, True) for forms in sorted(set(PLURAL_FORMS.values()))],
    ("nplurals=2; plural=n==0 ? 0 : 10/n > 1;", True), ("nplurals=2 plural=n!=1", True),
    ("nplurals=2; plural=01;", True), ("nplurals=2; plural=1 ? 0 : 1 ? 1 : 0;", True),
    ("nplurals=2; plural=n*18446744073709551615 > 5;", True), ("nplurals=2; plural=!!n;", True),
    ("nplurals=0; plural=0;", False), ("nplurals=-1; plural=0;", False), ("nplurals=two; plural=0;", False),
    ("nplurals=2; plural=(n != 1;", False), ("nplurals=2; plural=n/0;", False), ("nplurals=2; plural=n;", False),
    ("nplurals=2; plural=-n;", False), ("nplurals=2; plural=0x1;", False), ("nplurals=2; plural=0-1;", False),
    ("nplurals=2; plural= ;", False), ("nplurals=2; plural=n!=1 n;", False),
    ("nplurals=2; plural=(n==1) ? 0 : 1 : 0;", False), ("nplurals=2; plural=n > 1 ? 5 : 0;", False),
    ("nplurals=2; plural=__import__;", False),
]


@pytest.mark.parametrize("value, valid", PLURAL_CASES)
def test_plural_forms_are_checked_like_msgfmt(value, valid, tmp_path):
    ours = True
    try:
        plural_forms.parse(value)
    except plural_forms.PluralFormsError:
        ours = False
    assert ours == valid
    if MSGFMT:
        path = tmp_path / "p.po"
        path.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {value}\\n"\n'
                        '\nmsgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] "y"\n', encoding="utf-8")
        proc = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        two_forms = value.startswith("nplurals=2")  # the message above has two forms
        assert (proc.returncode == 0) == (valid and two_forms) or not two_forms, proc.stderr


def test_nplurals_is_bounded_where_msgfmt_takes_anything():
    assert plural_forms.parse("nplurals=10; plural=n%10;").nplurals == 10
    for value in ("nplurals=11; plural=0;", "nplurals=1000000; plural=(n != 1);", "nplurals=99999999999999999999;"):
        with pytest.raises(plural_forms.PluralFormsError, match="out of range: 1 to 10"):
            plural_forms.parse(value)


@pytest.mark.parametrize("expression", ["(" * 40 + "n" + ")" * 40, "!" * 999 + "n", "+".join(["n"] * 450),
                                        "n ? " * 300 + "0" + " : 1" * 300])
def test_deep_or_long_expressions_are_refused_without_recursion_error(expression):
    with pytest.raises(plural_forms.PluralFormsError, match="nested deeper|longer than"):
        plural_forms.parse(f"nplurals=2; plural={expression};")


def _random_expression(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(["n", str(rng.randint(0, 12)), str(rng.randint(0, 200))])
    kind = rng.random()
    if kind < 0.1:
        return f"(!{_random_expression(rng, depth - 1)})"  # parenthesised: c2py reads "!a > b" as not (a > b)
    if kind < 0.25:
        return (f"({_random_expression(rng, depth - 1)} ? {_random_expression(rng, depth - 1)} : "
                f"{_random_expression(rng, depth - 1)})")
    op = rng.choice(["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "*", "/", "%"])
    pair = f"({_random_expression(rng, depth - 1)} {op} {_random_expression(rng, depth - 1)})"
    return f"({pair} != 0)" if op in ("||", "&&") else pair  # c2py's "and" returns an operand, C's && 0 or 1


def test_evaluation_matches_python_s_gettext_on_random_expressions():
    """300 expressions (fixed seed) against the standard library's reading of C plurals
    (it uses eval, which is fine in a test); no '-', whose unsigned wrap Python lacks."""
    import gettext

    rng = random.Random(15)
    compared = 0
    for _ in range(300):
        text = _random_expression(rng, 4)
        reference = gettext.c2py(text)
        ours = plural_forms._Expression(text).parse()
        for n in (0, 1, 2, 3, 5, 11, 21, 100, 101, 1000):
            try:
                expected = reference(n)
            except ZeroDivisionError:
                with pytest.raises(plural_forms._DivisionByZero):
                    ours(n)
                continue
            assert ours(n) == expected, (text, n)
            compared += 1
    assert compared > 2000
