"""XLIFF from CAT tools: draft targets, one target language per 1.2 <file>, xml:space="preserve".

Found by an audit: a 1.2 target in state new or needs-translation that held text (a
translator's draft, a CAT tool's pre-fill) was replaced without --overwrite and counted as
translated, while 2.x kept an initial segment's text; a 1.2 <file> without target-language
took another <file>'s; runs of spaces under xml:space="preserve" came back as one space.
Real Apertium (fr->es, fr->ca); every output checked against the OASIS schemas."""

from __future__ import annotations

import re
from pathlib import Path

from translator.cli import main
from translator.documents.base import Options
from translator.documents.xliff import TYPE
from translator.errors import ExitCode

from .conftest import needs_apertium
from .test_xliff import _valid, _without_targets

S12, S20 = "xliff-core-1.2-strict.xsd", "xliff-core-2.0.xsd"

DRAFTS_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="page.html" source-language="fr" datatype="html">
    <body>
      <trans-unit id="draft"><source>Le chat dort.</source><target state="new">El gato duerme (borrador).</target></trans-unit>
      <trans-unit id="prefill"><source>La mer est calme.</source><target state="needs-translation">La mar es calma.</target></trans-unit>
      <trans-unit id="empty"><source>Le ciel est bleu.</source><target state="new"/></trans-unit>
      <trans-unit id="none"><source>Le chien mange.</source></trans-unit>
      <trans-unit id="final"><source>La maison.</source><target state="final">La casa.</target></trans-unit>
    </body>
  </file>
</xliff>
"""

DRAFTS_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr">
  <file id="f1">
    <unit id="draft"><segment state="initial"><source>Le chat dort.</source><target>El gato duerme (borrador).</target></segment></unit>
    <unit id="empty"><segment state="initial"><source>Le ciel est bleu.</source><target/></segment></unit>
    <unit id="final"><segment state="final"><source>La maison.</source><target>La casa.</target></segment></unit>
  </file>
</xliff>
"""

FILES_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a.html" source-language="fr" target-language="es-ES" datatype="html">
    <body>
      <trans-unit id="a1"><source>Le chat dort.</source></trans-unit>
    </body>
  </file>
  <file original="b.html" source-language="fr" datatype="html">
    <body>
      <trans-unit id="b1"><source>Le chien mange.</source></trans-unit>
    </body>
  </file>
</xliff>
"""

SPACES_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="page.html" source-language="fr" datatype="html">
    <body>
      <trans-unit id="unit" xml:space="preserve"><source>Deux   espaces et la mer  est calme.</source></trans-unit>
      <trans-unit id="source"><source xml:space="preserve">  Le ciel    est <g id="1">bleu  et</g>   grand. </source></trans-unit>
      <trans-unit id="lines" xml:space="preserve"><source>Le ciel
est bleu.\tLa mer

est calme.</source></trans-unit>
      <trans-unit id="default"><source>Le chat   dort.</source></trans-unit>
      <group id="g" xml:space="preserve">
        <trans-unit id="grouped"><source xml:space="default">Le chat   mange.</source></trans-unit>
        <trans-unit id="inherited"><source>Le chien   dort.</source></trans-unit>
      </group>
    </body>
  </file>
</xliff>
"""

SPACES_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr">
  <file id="f1">
    <unit id="u1" xml:space="preserve"><segment><source>Deux   espaces.</source></segment></unit>
    <unit id="u2"><segment><source xml:space="preserve">Le ciel <pc id="1">est  bleu</pc>   ici.</source></segment></unit>
  </file>
</xliff>
"""


def _run(tmp_path: Path, name: str, text: str, *args: str) -> tuple[int, Path]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code = main([str(path), "--from", "fr", *args])
    return code, path


def _targets(text: str, tag: str = "trans-unit") -> dict[str, str]:
    return dict(re.findall(rf'<{tag} id="(\w+)"(?:(?!</{tag}>).)*?<target[^>]*>(.*?)</target>', text, flags=re.S))


@needs_apertium
def test_a_12_draft_target_is_kept_whatever_its_state_and_counted(tmp_path, capsys):
    code, path = _run(tmp_path, "d.xlf", DRAFTS_12, "--to", "es")
    assert code == 0
    out = tmp_path / "d.es.xlf"
    _valid(out, S12)
    text = out.read_text(encoding="utf-8")
    assert _without_targets(text) == _without_targets(DRAFTS_12)
    targets = _targets(text)
    assert '<target state="new">El gato duerme (borrador).</target>' in text  # the draft, as it was
    assert '<target state="needs-translation">La mar es calma.</target>' in text
    assert targets["empty"] == "El cielo es azul." and targets["none"] == "El perro come."
    assert targets["final"] == "La casa."
    assert text.count('state="needs-review-translation"') == 2
    assert (f"{path}: es: 2 units translated, 3 kept (2 of them drafts, state needs-translation or new), "
            "0 not to translate") in capsys.readouterr().err
    # --overwrite replaces them, as every other target
    assert main([str(path), "--from", "fr", "--to", "es", "--overwrite", "-q"]) == 0
    again = _targets(out.read_text(encoding="utf-8"))
    assert again["draft"] == "El gato duerme." and again["prefill"] == "La mar es tranquila."
    _valid(out, S12)


@needs_apertium
def test_a_20_initial_segment_with_text_is_kept_and_counted_the_same_way(tmp_path, capsys):
    code, path = _run(tmp_path, "d.xlf", DRAFTS_20, "--to", "es")
    assert code == 0
    out = tmp_path / "d.es.xlf"
    _valid(out, S20)
    text = out.read_text(encoding="utf-8")
    assert '<segment state="initial"><source>Le chat dort.</source><target>El gato duerme (borrador).</target>' in text
    assert '<target>El cielo es azul.</target>' in text
    assert (f"{path}: es: 1 units translated, 2 kept (1 of them a draft, state initial), 0 not to translate"
            in capsys.readouterr().err)


@needs_apertium
def test_each_12_file_has_its_own_target_language_and_one_without_takes_to(tmp_path):
    code, _ = _run(tmp_path, "m.xlf", FILES_12, "--to", "es", "-q")
    assert code == 0
    out = tmp_path / "m.es.xlf"
    _valid(out, S12)
    text = out.read_text(encoding="utf-8")
    assert '<target xml:lang="es-ES" state="needs-review-translation" state-qualifier="mt-suggestion">El gato duerme.' \
        in text  # its file's own code
    assert '<target xml:lang="es" state="needs-review-translation" state-qualifier="mt-suggestion">El perro come.' \
        in text  # --to: not the other file's es-ES
    assert '<file original="b.html" source-language="fr" datatype="html" target-language="es">' in text


@needs_apertium
def test_without_to_a_12_file_without_target_language_is_refused(tmp_path, capsys):
    code, path = _run(tmp_path, "m.xlf", FILES_12, "-q")
    assert code == ExitCode.USAGE
    assert capsys.readouterr().err.splitlines() == [
        f'{path}:8: <file original="b.html"> has no target-language: pass --to es']
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.xlf"]
    # the same <file> without units to translate is no reason to refuse
    done = FILES_12.replace('<file original="b.html"', '<file original="b.html" translate="no"')
    assert _run(tmp_path, "n.xlf", done, "-q")[0] == 0
    assert "El gato duerme." in (tmp_path / "n.es.xlf").read_text(encoding="utf-8")


@needs_apertium
def test_12_files_with_different_target_languages_are_refused(tmp_path, capsys):
    mixed = FILES_12.replace('<file original="b.html" source-language="fr"',
                             '<file original="b.html" source-language="fr" target-language="ca"')
    for args in ((), ("--to", "es"), ("--to", "ca")):
        code, path = _run(tmp_path, "x.xlf", mixed, "-q", *args)
        assert code == ExitCode.LANGUAGE
        assert capsys.readouterr().err.splitlines() == [
            f"{path}:8: <file original=\"b.html\"> declares target-language 'ca', an earlier <file> 'es-ES': "
            "translate them as separate files"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlf"]


@needs_apertium
def test_12_runs_of_white_space_come_back_where_xml_space_is_preserve(tmp_path):
    code, _ = _run(tmp_path, "s.xlf", SPACES_12, "--to", "es", "-q")
    assert code == 0
    out = tmp_path / "s.es.xlf"
    _valid(out, S12)
    text = out.read_text(encoding="utf-8")
    assert _without_targets(text) == _without_targets(SPACES_12)
    targets = _targets(text)
    assert targets["unit"] == "Dos   espacios y la mar  es tranquila."
    assert targets["source"] == '  El cielo    es <g id="1">azul  y</g>   grande. '
    assert targets["lines"] == "El cielo\nes azul.\tLa mar\n\nes tranquila."
    assert targets["default"] == "El gato duerme."  # not preserved: as before
    assert targets["grouped"] == "El gato come."  # xml:space="default" on the source wins
    assert targets["inherited"] == "El perro   duerme."  # from the group
    # the source alone says preserve: the new target says it too, where the trans-unit does not
    assert re.search(r'<source xml:space="preserve">  Le ciel.*?</source><target xml:lang="es" '
                     r'state="needs-review-translation" state-qualifier="mt-suggestion" xml:space="preserve">',
                     text)
    assert '<trans-unit id="unit" xml:space="preserve"><source>Deux   espaces et la mer  est calme.</source>' \
           '<target xml:lang="es" state="needs-review-translation" state-qualifier="mt-suggestion">' in text


@needs_apertium
def test_fr_ca_words_that_merge_across_spaces_keep_every_space(tmp_path):
    source = SPACES_12.replace("Deux   espaces et la mer  est calme.", "Le    lien    rouge    est    ici.")
    code, _ = _run(tmp_path, "s.xlf", source, "--to", "ca", "-q")
    assert code == 0
    out = tmp_path / "s.ca.xlf"
    _valid(out, S12)
    target = _targets(out.read_text(encoding="utf-8"))["unit"]  # "L'enllaç" is "Le" and "lien" in one
    assert "enllaç" in target and "vermell" in target and "&#" not in target
    assert sorted(len(r) for r in re.findall(" {2,}", target)) in ([4, 4, 4, 4], [4, 4, 8])


@needs_apertium
def test_20_runs_of_white_space_come_back_where_xml_space_is_preserve(tmp_path):
    code, _ = _run(tmp_path, "s.xlf", SPACES_20, "--to", "es", "-q")
    assert code == 0
    out = tmp_path / "s.es.xlf"
    _valid(out, S20)
    text = out.read_text(encoding="utf-8")
    assert _without_targets(text) == _without_targets(SPACES_20)
    assert '<source>Deux   espaces.</source><target>Dos   espacios.</target>' in text
    assert '<target xml:space="preserve">El cielo <pc id="1">es  azul</pc>   aquí.</target>' in text


def test_a_translation_that_lost_a_run_of_spaces_is_refused_and_said_in_words():
    parsed = TYPE.read(SPACES_12.encode(), name="s.xlf", options=Options())
    unit = next(u for u in parsed.units if u.id == "unit")
    assert not parsed.verify(unit, "Dos espacios y la mar es tranquila.")
    out = parsed.write("es", {u.id: u.text for u in parsed.units}, set(), [(unit, "Dos espacios y la mar es tranquila.")])
    assert out.problems == ["s.xlf:5: unit unit: inline codes could not be kept (3 spaces, 2 spaces); "
                            "left untranslated"]
