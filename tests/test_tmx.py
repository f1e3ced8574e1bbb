"""One TMX reader for 'memory import' and 'glossary lint': TMX 1.4b as other tools write
it (OmegaT, Trados-style exports: header attributes, prop, note, ude, inline codes,
xml:lang or lang, region codes, srclang="*all*"), in any encoding XML allows; and
malformed files refused the same way by both commands, with no database left behind."""

import shutil
from pathlib import Path

import pytest

from translator.cli import main
from translator.errors import ExitCode
from translator.memory import Memory

HOSTILE = Path(__file__).parent / "hostile" / "tmx"

#: file, line, the message after "path:line: "
REFUSED = [
    ("no_header.tmx", 2, 'invalid TMX: no <header>: TMX requires one, for example <header srclang="fr" .../>'),
    ("no_body.tmx", 2, "invalid TMX: no <body>: the translation units go in <body>"),
    ("not_tmx.tmx", 2, "invalid TMX: the root element is <html>, not <tmx>"),
    ("tuv_without_lang.tmx", 7, "invalid TMX: <tuv> without xml:lang"),
    ("tuv_without_seg.tmx", 7, "invalid TMX: <tuv> without <seg>"),
    ("bad_language_code.tmx", 7,
     "invalid TMX: invalid language code 'x\"y' in xml:lang: use a code such as fr or fr-FR"),
    ("bad_srclang.tmx", 3,
     "invalid TMX: invalid language code 'fr; DROP TABLE' in srclang: use a code such as fr or fr-FR"),
    ("entity_declaration.tmx", 3, "invalid TMX: entity declarations are refused (they can expand without bound)"),
    ("not_well_formed.tmx", 5, "invalid TMX: mismatched tag (column 38)"),
    ("nul_bytes.tmx", 4, "invalid TMX: not well-formed (invalid token) (column 7)"),
    ("empty.tmx", 1, "invalid TMX: no element found (column 1)"),
    ("unknown_encoding.tmx", 1, "invalid TMX: unknown encoding 'x-martian' in the XML declaration: use UTF-8"),
    ("undecodable.tmx", 5, 'invalid TMX: not UTF-8 (byte 229): fix the bytes, or declare the encoding, '
                           'e.g. <?xml version="1.0" encoding="ISO-8859-1"?>'),
    ("undecodable_multibyte.tmx", 5, 'invalid TMX: not Shift_JIS (byte 229): fix the bytes, or declare the '
                                     'encoding, e.g. <?xml version="1.0" encoding="ISO-8859-1"?>'),
]


def test_every_hostile_tmx_has_an_expectation():
    assert sorted(p.name for p in HOSTILE.glob("*.tmx")) == sorted(name for name, _, _ in REFUSED)


@pytest.mark.parametrize("name, line, message", REFUSED, ids=[c[0] for c in REFUSED])
def test_malformed_tmx_is_refused_alike_by_import_and_lint(name, line, message, tmp_path, capsys):
    path = tmp_path / name
    shutil.copyfile(HOSTILE / name, path)
    before = path.read_bytes()
    db = tmp_path / "new" / "memory.sqlite"
    assert main(["memory", "import", str(path), "-m", str(db)]) == ExitCode.INPUT
    imported = capsys.readouterr()
    assert main(["glossary", "lint", str(path)]) == ExitCode.INPUT
    linted = capsys.readouterr()
    expected = f"{path}:{line}: {message}\n"
    assert imported.err == expected and linted.err == expected
    assert imported.out == linted.out == "" and "Traceback" not in imported.err + linted.err
    assert sorted(tmp_path.iterdir()) == [path] and path.read_bytes() == before  # no database, no folder


# -- TMX from other tools ----------------------------------------------------------------------
OMEGAT = '''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="6.0.0_0" segtype="sentence" srclang="FR-FR"/>
  <body>
<!-- Default translations -->
    <tu>
      <tuv xml:lang="FR-FR">
        <seg>La <bpt i="1" x="1">&lt;b0&gt;</bpt>Maison-Blanche<ept i="1">&lt;/b0&gt;</ept> a répondu.</seg>
      </tuv>
      <tuv xml:lang="ES-ES" changeid="ana" changedate="20240105T101500Z" creationid="ana"
           creationdate="20240105T101500Z">
        <seg>La <bpt i="1" x="1">&lt;b0&gt;</bpt>Casa Blanca<ept i="1">&lt;/b0&gt;</ept> respondió.</seg>
      </tuv>
    </tu>
<!-- Alternative translations -->
    <tu>
      <prop type="file">articles/kremlin.html</prop>
      <prop type="id">p12</prop>
      <tuv xml:lang="FR-FR">
        <seg>Le Kremlin dément.<ph x="2">&lt;br/&gt;</ph></seg>
      </tuv>
      <tuv xml:lang="ES-ES">
        <seg>El Kremlin lo desmiente.<ph x="2">&lt;br/&gt;</ph></seg>
      </tuv>
    </tu>
  </body>
</tmx>
'''

TRADOS = '''<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format"
          datatype="xml" segtype="sentence" adminlang="en-US" srclang="fr-FR"
          creationdate="20240102T081500Z" creationid="NEWS\\editor">
    <prop type="x-Recognizers">RecognizeAll</prop>
    <prop type="x-TMName">news fr-en</prop>
    <note>Exported for the newsroom</note>
    <ude name="MacRoman" base="Macintosh">
      <map unicode="#xF8FF" code="#xF0" ent="Apple_logo" subst="[Apple]"/>
    </ude>
  </header>
  <body>
    <tu creationdate="20240102T081500Z" creationid="NEWS\\editor" changedate="20240103T090000Z"
        changeid="NEWS\\editor" lastusagedate="20240110T120000Z" usagecount="3">
      <prop type="x-LastUsedBy">NEWS\\editor</prop>
      <prop type="x-Context">0, 0</prop>
      <note>checked by the desk</note>
      <tuv xml:lang="fr-FR">
        <prop type="x-Origin">TM</prop>
        <seg>Le <bpt i="1" type="1" x="1"/>Kremlin<ept i="1"/> a démenti<ph x="2" type="3"/>.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg>The <bpt i="1" type="1" x="1"/>Kremlin<ept i="1"/> denied it<ph x="2" type="3"/>.</seg>
      </tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr-FR">
        <seg><it pos="begin" x="3">&lt;i&gt;</it>Vladimir Poutine <hi type="bold">arrive</hi> à <bpt i="4" x="4">&lt;a title="<sub>Genève, Suisse</sub>"&gt;</bpt>Genève<ept i="4">&lt;/a&gt;</ept>.</seg>
      </tuv>
      <tuv xml:lang="en-US">
        <seg><it pos="begin" x="3">&lt;i&gt;</it>Vladimir Putin <hi type="bold">arrives</hi> in <bpt i="4" x="4">&lt;a title="<sub>Geneva, Switzerland</sub>"&gt;</bpt>Geneva<ept i="4">&lt;/a&gt;</ept>.</seg>
      </tuv>
    </tu>
  </body>
</tmx>
'''

# TMX 1.1/1.2: "lang" instead of "xml:lang", a tu with its own srclang, a language we do not translate
OLD_STYLE = '''<?xml version="1.0"?>
<tmx version="1.1">
<header creationtool="Wordfast" creationtoolversion="5" segtype="sentence" o-tmf="wf" adminlang="EN"
        srclang="FR" datatype="PlainText"></header>
<body>
<tu><tuv lang="FR"><seg>Le ciel est bleu.</seg></tuv><tuv lang="IT"><seg>Il cielo è blu.</seg></tuv>
<tuv lang="tlh"><seg>chal SuD</seg></tuv></tu>
<tu srclang="IT"><tuv lang="IT"><seg>Buongiorno</seg></tuv><tuv lang="FR"><seg>Bonjour</seg></tuv></tu>
<tu srclang="DE"><tuv lang="FR"><seg>Sans source</seg></tuv><tuv lang="IT"><seg>Senza fonte</seg></tuv></tu>
</body>
</tmx>
'''

ALL = '''<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en"
srclang="*all*" datatype="plaintext"/><body>
<tu><tuv xml:lang="fr"><seg>La paix</seg></tuv><tuv xml:lang="es"><seg>La paz</seg></tuv></tu>
</body></tmx>
'''


def _import(tmp_path, name, data, capsys, *extra):
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "tm.sqlite"
    code = main(["memory", "import", str(path), "-m", str(db), *extra])
    out = capsys.readouterr()
    assert code == 0 and out.err == "", out.err
    return path, out.out, sorted((s, t, src, tgt) for s, t, src, tgt, _, _ in Memory(db).rows())


def test_omegat_tmx_with_inline_codes(tmp_path, capsys):
    path, out, rows = _import(tmp_path, "omegat.tmx", OMEGAT.encode(), capsys)
    assert out == f"{path}: 2 human segments imported\n"
    assert rows == [("fr", "es", "La Maison-Blanche a répondu.", "La Casa Blanca respondió."),
                    ("fr", "es", "Le Kremlin dément.", "El Kremlin lo desmiente.")]


def test_trados_style_tmx_with_props_notes_ude_and_codes(tmp_path, capsys):
    _, _, rows = _import(tmp_path, "trados.tmx", TRADOS.encode(), capsys)
    assert rows == [("fr", "en", "Le Kremlin a démenti.", "The Kremlin denied it."),
                    ("fr", "en", "Vladimir Poutine arrive à Genève.", "Vladimir Putin arrives in Geneva.")]


def test_lang_attribute_tu_srclang_and_unknown_languages(tmp_path, capsys):
    _, _, rows = _import(tmp_path, "old.tmx", OLD_STYLE.encode(), capsys)
    # Klingon is no language of ours; the unit whose declared source (de) is absent gives nothing
    assert rows == [("fr", "it", "Le ciel est bleu.", "Il cielo è blu."), ("it", "fr", "Buongiorno", "Bonjour")]


def test_srclang_all_takes_from_or_every_direction(tmp_path, capsys):
    _, _, rows = _import(tmp_path, "all.tmx", ALL.encode(), capsys)
    assert rows == [("es", "fr", "La paz", "La paix"), ("fr", "es", "La paix", "La paz")]
    (tmp_path / "tm.sqlite").unlink()
    _, _, rows = _import(tmp_path, "all.tmx", ALL.encode(), capsys, "--from", "fr-FR")
    assert rows == [("fr", "es", "La paix", "La paz")]


@pytest.mark.parametrize("declared, codec, prefix", [
    ("ISO-8859-1", "iso-8859-1", b""), ("windows-1252", "cp1252", b""),
    ("UTF-8", "utf-8", b"\xef\xbb\xbf"),  # with a byte-order mark
    ("UTF-16", "utf-16", b""),  # Python writes its BOM
    ("UTF-16LE", "utf-16-le", b""),  # no BOM: XML's autodetection
    (None, "utf-8", b""),  # no declaration: UTF-8
], ids=["iso-8859-1", "cp1252", "utf-8-bom", "utf-16", "utf-16le-no-bom", "no-declaration"])
def test_every_encoding_xml_allows_is_read_by_import_and_lint(declared, codec, prefix, tmp_path, capsys):
    def encoded(text: str) -> bytes:
        declaration = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
        return prefix + text.replace('<?xml version="1.0" encoding="UTF-8"?>\n', declaration).encode(codec)

    _, _, rows = _import(tmp_path, "enc.tmx", encoded(OMEGAT), capsys)
    assert rows == [("fr", "es", "La Maison-Blanche a répondu.", "La Casa Blanca respondió."),
                    ("fr", "es", "Le Kremlin dément.", "El Kremlin lo desmiente.")]
    wrong = tmp_path / "wrong.tmx"
    wrong.write_bytes(encoded(OMEGAT.replace("Casa Blanca", "Casa")))
    assert main(["glossary", "lint", str(wrong)]) == ExitCode.FAILURE
    assert capsys.readouterr().out == f"{wrong}:tu 1: term 'Maison-Blanche' should be 'Casa Blanca'\n"


def test_multibyte_encoding_from_the_declaration(tmp_path, capsys):
    text = ('<?xml version="1.0" encoding="Shift_JIS"?>\n<tmx version="1.4"><header srclang="ja-JP" '
            'creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>'
            '<body><tu><tuv xml:lang="ja-JP"><seg>東京は晴れです。</seg></tuv><tuv xml:lang="fr-FR">'
            '<seg>Il fait beau sur Tokyo.</seg></tuv></tu></body></tmx>\n')
    _, _, rows = _import(tmp_path, "ja.tmx", text.encode("shift_jis"), capsys)
    assert rows == [("ja", "fr", "東京は晴れです。", "Il fait beau sur Tokyo.")]


def test_lint_reads_what_import_reads(tmp_path, capsys):
    """The same pairs: lint finds the glossary problem in the Trados file's second unit."""
    path = tmp_path / "trados.tmx"
    path.write_text(TRADOS.replace("Vladimir Putin <hi", "Vladimir Poutine <hi"), encoding="utf-8")
    assert main(["glossary", "lint", str(path)]) == ExitCode.FAILURE
    assert capsys.readouterr().out == f"{path}:tu 2: term 'Vladimir Poutine' should be 'Vladimir Putin'\n"


# -- the memory: no file from a failed import, true messages ------------------------------------
def test_bad_from_is_refused_before_anything(tmp_path, capsys):
    tmx = tmp_path / "all.tmx"
    tmx.write_text(ALL, encoding="utf-8")
    db = tmp_path / "tm.sqlite"
    assert main(["memory", "import", str(tmx), "-m", str(db), "--from", 'x"y']) == ExitCode.LANGUAGE
    err = capsys.readouterr().err
    assert err.startswith("unknown language code 'x\"y' in --from: ") and err.count("\n") == 1
    assert sorted(tmp_path.iterdir()) == [tmx]


def test_a_failed_import_leaves_an_existing_memory_as_it_was(tmp_path, capsys):
    db = tmp_path / "tm.sqlite"
    good = tmp_path / "good.tmx"
    good.write_text(ALL, encoding="utf-8")
    assert main(["memory", "import", str(good), "-m", str(db), "--from", "fr"]) == 0
    before = Memory(db).rows()
    assert main(["memory", "import", str(HOSTILE / "tuv_without_seg.tmx"), "-m", str(db)]) == ExitCode.INPUT
    assert Memory(db).rows() == before


def test_one_bad_file_among_several_stores_the_others(tmp_path, capsys):
    db = tmp_path / "tm.sqlite"
    good = tmp_path / "good.tmx"
    good.write_text(ALL, encoding="utf-8")
    bad = HOSTILE / "no_body.tmx"
    assert main(["memory", "import", str(bad), str(good), "-m", str(db)]) == ExitCode.INPUT
    out = capsys.readouterr()
    assert out.err == f"{bad}:2: invalid TMX: no <body>: the translation units go in <body>\n"
    assert out.out == f"{good}: 2 human segments imported\n"
    assert len(Memory(db).rows()) == 2


def test_a_memory_nobody_wrote_to_is_not_created(tmp_path, capsys):
    db = tmp_path / "sub" / "tm.sqlite"
    assert main(["memory", "stats", "-m", str(db)]) == 0
    assert capsys.readouterr().out == f"{db}: 0 segments\n"
    assert main(["memory", "prune", "-m", str(db)]) == 0
    assert not (tmp_path / "sub").exists()


# A <seg> laid out over several lines (XML editors, some exports), the deprecated <ut>,
# a paragraph-level file and a second variant in the same language (the first one is taken).
LAID_OUT = '''<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="paragraph" o-tmf="t" adminlang="en"
srclang="fr-FR" datatype="rtf"/><body>
<tu><tuv xml:lang="fr-FR"><seg>Le <ut>{\\b </ut>ciel<ut>}</ut> est bleu.</seg></tuv>
<tuv xml:lang="es-ES"><seg>El <ut>{\\b </ut>cielo<ut>}</ut> es azul.</seg></tuv>
<tuv xml:lang="es-ES"><seg>El cielo es celeste.</seg></tuv></tu>
<tu><tuv xml:lang="fr-FR"><seg>
   La mer est calme.
</seg></tuv><tuv xml:lang="es-ES"><seg>
   La mar está
   en calma\u00a0!
</seg></tuv></tu>
</body></tmx>
'''


def test_segments_laid_out_over_lines_ut_codes_and_alternatives(tmp_path, capsys):
    _, _, rows = _import(tmp_path, "laid-out.tmx", LAID_OUT.encode(), capsys)
    assert rows == [("fr", "es", "La mer est calme.", "La mar está en calma\u00a0!"),
                    ("fr", "es", "Le ciel est bleu.", "El cielo es azul.")]
