import json
import shutil

import polib
import pytest

from translator import terms as terms_module
from translator.cli import main
from translator.errors import ExitCode

from .conftest import SAMPLES, needs_apertium

BAD = SAMPLES.parent / "tests" / "glossaries" / "bad"


def test_glossary_check_ok_and_bad(capsys):
    assert main(["glossary", "check", "news"]) == 0
    assert "news: ok, 127 concepts in de, en, es, fr, it, pt" in capsys.readouterr().out
    bad = BAD / "conflict.csv"
    assert main(["glossary", "check", "news", str(bad), str(BAD / "duplicate_row.csv")]) == ExitCode.GLOSSARY
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{bad}:3: fr: 'Poutine' is also on line 2 with other translations: one source form, one concept",
                   f"{BAD / 'duplicate_row.csv'}:3: row: duplicate of line 2"]


def test_broken_glossary_stops_a_run_before_any_output(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("Le Kremlin a parlé.", encoding="utf-8")
    assert main([str(src), "--to", "es", "-g", str(BAD / "conflict.csv")]) == ExitCode.GLOSSARY
    assert list(tmp_path.iterdir()) == [src]


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_lint_source_and_translation(tmp_path, capsys):
    src = _write(tmp_path / "a.txt", "Titre\n\nLe Kremlin et la Maison-Blanche.\n\nLe cessez-le-feu tient.\n")
    good = _write(tmp_path / "a.en.txt", "Title\n\nThe Kremlin and the White House.\n\nThe ceasefire holds.\n")
    bad = _write(tmp_path / "b.en.txt", "Title\n\nThe Kremlin and the white house.\n\nThe cease-fire holds.\n")
    assert main(["glossary", "lint", src, good, "--to", "en"]) == 0
    assert main(["glossary", "lint", src, bad, "--to", "en"]) == ExitCode.FAILURE
    assert capsys.readouterr().out.splitlines() == [
        f"{bad}:3: term 'Maison-Blanche' should be 'White House'",
        f"{bad}:5: term 'cessez-le-feu' should be 'ceasefire'"]


def test_lint_po_file(tmp_path, capsys):
    po = polib.POFile()
    po.metadata = {"Language": "de", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Le Kremlin a parlé.", msgstr="Der Kreml hat gesprochen."))
    po.append(polib.POEntry(msgid="Vladimir Poutine arrive.", msgstr="Vladimir Putin kommt."))
    po.append(polib.POEntry(msgid="Pas encore traduit : OTAN", msgstr=""))
    path = tmp_path / "de.po"
    po.save(str(path))
    assert main(["glossary", "lint", str(path)]) == ExitCode.FAILURE
    out = capsys.readouterr().out.splitlines()
    line = polib.pofile(str(path))[1].linenum
    assert out == [f"{path}:{line}: term 'Vladimir Poutine' should be 'Wladimir Putin'"]


@needs_apertium
def test_lint_our_json_output_and_strict(tmp_path, capsys, monkeypatch):
    src = tmp_path / "d.txt"
    shutil.copy(SAMPLES / "diplomatie.txt", src)
    assert main([str(src), "--to", "es,en", "-g", "news", "--format", "json", "-q"]) == 0
    out = tmp_path / "d.json"
    out.write_text(capsys.readouterr().out, encoding="utf-8")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert all(t["ok"] for seg in data["segments"] for terms in seg.get("terms", {}).values() for t in terms)
    assert main(["glossary", "lint", str(out)]) == 0
    # The same run without the glossary leaves violations that lint finds.
    assert main([str(src), "--to", "es", "--format", "json", "-q"]) == 0
    out.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["glossary", "lint", str(out)]) == ExitCode.FAILURE
    assert f"{out}:segment 2: term 'Kyiv' should be 'Kiev'" in capsys.readouterr().out.splitlines()


@needs_apertium
def test_unenforced_terms_warn_and_strict_fails_without_output(tmp_path, capsys, monkeypatch):
    # Disable enforcement to get terms the engine did not produce.
    monkeypatch.setattr(terms_module, "enforce", lambda texts, terms, first, **kw: [h[0] for h in first])
    src = tmp_path / "a.txt"
    src.write_text("La Maison-Blanche a réagi.", encoding="utf-8")
    assert main([str(src), "--to", "es", "-g", "news"]) == 0
    err = capsys.readouterr().err
    assert "term 'Maison-Blanche' should be 'Casa Blanca', not enforced" in err
    assert "glossary: 0/1 terms in their required form" in err
    (tmp_path / "a.es.txt").unlink()
    assert main([str(src), "--to", "es", "-g", "news", "--strict"]) == ExitCode.FAILURE
    assert f"{src}: segment 1: es: term 'Maison-Blanche' should be 'Casa Blanca'" in capsys.readouterr().err
    assert not (tmp_path / "a.es.txt").exists()


def test_export_and_import_tbx(tmp_path, capsys):
    tbx, csv_out = tmp_path / "news.tbx", tmp_path / "news.csv"
    assert main(["glossary", "export", "news", "-o", str(tbx)]) == 0
    assert main(["glossary", "import", str(tbx), "-o", str(csv_out)]) == 0
    assert main(["glossary", "check", str(csv_out)]) == 0
    assert "127 concepts" in capsys.readouterr().out


@needs_apertium
def test_lint_our_tmx_and_xliff_outputs(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("La Maison-Blanche a réagi.\n\nLe Kremlin a parlé.\n", encoding="utf-8")
    assert main([str(src), "--to", "en,es", "--format", "tmx", "-q"]) == 0
    assert main([str(src), "--to", "es", "--format", "xliff", "-q"]) == 0
    assert main(["glossary", "lint", str(tmp_path / "a.tmx"), str(tmp_path / "a.es.xlf")]) == ExitCode.FAILURE
    out = capsys.readouterr().out.splitlines()
    assert f"{tmp_path / 'a.tmx'}:tu 1.1: term 'Maison-Blanche' should be 'Casa Blanca'" in out
    assert f"{tmp_path / 'a.es.xlf'}:trans-unit 1.1: term 'Maison-Blanche' should be 'Casa Blanca'" in out
    assert main([str(src), "--to", "en,es", "--format", "tmx", "-g", "news", "-q"]) == 0
    assert main(["glossary", "lint", str(tmp_path / "a.tmx")]) == 0
