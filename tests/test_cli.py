import io
import json
import shutil
import sys

import pytest

from translator.cli import main
from translator.errors import ExitCode

from .conftest import SAMPLES, needs_apertium, needs_model

ZH = "周一，斯坦福大学医学院的科学家宣布，他们发明了一种新型诊断工具。"


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "diplomatie.txt"
    shutil.copy(SAMPLES / "diplomatie.txt", path)
    return path


def _stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("translate ")
    assert main(["--help"]) == 0
    assert "detect" in capsys.readouterr().out


@needs_apertium
def test_translate_sample_to_es_and_en(article, capsys):
    assert main([str(article), "--to", "es,en", "-q"]) == 0
    es = article.with_name("diplomatie.es.txt").read_text(encoding="utf-8")
    en = article.with_name("diplomatie.en.txt").read_text(encoding="utf-8")
    src = article.read_text(encoding="utf-8")
    assert es.startswith("Diplomacia\n\nAlto el fuego")
    assert en.startswith("Diplomacy\n\nCease-fire : Moscow and Kyiv")
    # Same blank lines in the same places.
    assert [len(p) > 0 for p in es.split("\n")] == [len(p) > 0 for p in src.split("\n")]
    # The English boilerplate line is left as is in English, translated in Spanish.
    assert en.rstrip().endswith("Click to comment")
    assert not es.rstrip().endswith("Click to comment")


@needs_apertium
def test_markdown_sample_keeps_structure_and_url(tmp_path, capsys):
    assert main([str(SAMPLES / "sport.md"), "--to", "es", "-o", str(tmp_path), "-q"]) == 0
    out = (tmp_path / "sport.es.md").read_text(encoding="utf-8")
    assert out.startswith("# Rugby")
    assert "(https://www.sixnationsrugby.com/fr/calendrier)" in out
    assert sum(line.startswith("- ") for line in out.splitlines()) == 3


@needs_apertium
def test_json_output_schema(article, capsys):
    assert main([str(article), "--to", "es,en", "--format", "json", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source_language"] == "fr" and data["targets"] == ["es", "en"]
    assert data["engine"]["es"]["name"] == "apertium" and data["engine"]["en"]["route"] == ["fr", "es", "en"]
    seg = data["segments"][0]
    assert set(seg) >= {"id", "kind", "language", "source", "translations"}
    assert seg["kind"] == "title" and seg["source"] == "Diplomatie" and set(seg["translations"]) == {"es", "en"}
    last = data["segments"][-1]
    assert last["language"] == "en" and last["translations"]["en"] == "Click to comment"
    assert last["status"]["en"] == "unchanged"
    assert not article.with_name("diplomatie.es.txt").exists()  # json goes to stdout


@needs_apertium
def test_side_by_side_has_one_column_per_language(article, capsys):
    assert main([str(article), "--to", "es,en", "--format", "side-by-side", "--width", "120", "-q"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split(" │ ")[0].strip() == "French (fr)"
    assert [c.strip() for c in out[0].split("│")] == ["French (fr)", "Spanish (es)", "English (en)"]
    assert all(len(line) <= 120 for line in out)
    assert out[2].count("│") == 2 and "Diplomatie" in out[2] and "Diplomacia" in out[2]


@needs_apertium
def test_stdin_to_stdout(monkeypatch, capsys):
    _stdin(monkeypatch, "Le ciel est bleu.\n".encode())
    assert main(["-", "--to", "es", "-q"]) == 0
    assert capsys.readouterr().out == "El cielo es azul.\n"


@needs_apertium
def test_from_overrides_detection(monkeypatch, capsys):
    _stdin(monkeypatch, "Monde".encode())
    assert main(["-", "--from", "fr", "--to", "es", "-q"]) == 0
    assert capsys.readouterr().out == "Mundo"


@pytest.mark.parametrize("args, code, message", [
    (["--to", "xx"], ExitCode.LANGUAGE, "unknown language code 'xx' in --to"),
    (["--to", "es", "--from", "klingon"], ExitCode.LANGUAGE, "unknown language code 'klingon' in --from"),
    (["--to", "es", "--format", "pdf"], ExitCode.USAGE, "pdf"),
    (["--to", "es", "--engine", "google"], ExitCode.USAGE, "google"),
])
def test_bad_options(article, args, code, message, capsys):
    assert main([str(article), *args]) == code
    assert message in capsys.readouterr().err
    assert list(article.parent.iterdir()) == [article]


@needs_apertium
def test_no_route_names_the_install_command(article, capsys):
    assert main([str(article), "--to", "ja", "--engine", "apertium"]) == ExitCode.NO_ROUTE
    err = capsys.readouterr().err
    assert err.startswith(f"{article}: no installed route from fr to ja")
    assert "apt-get install apertium-fr-ja" in err
    assert main([str(article), "--to", "ja"]) == ExitCode.NO_ROUTE
    assert "translate models install translate-fr_ja" in capsys.readouterr().err
    assert list(article.parent.iterdir()) == [article]


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "a PNG image: not a supported document type"),
    ("日本語のテキスト".encode("shift_jis"), "not UTF-8"),
    (b"12 345 67,8 %", "no letters"),
])
def test_bad_input_files(tmp_path, content, message, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert main([str(bad), "--to", "es"]) == ExitCode.INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{bad}:") and message in err and "\n" not in err
    assert list(tmp_path.iterdir()) == [bad]


def test_missing_file_and_directory(tmp_path, capsys):
    assert main([str(tmp_path / "none.txt"), "--to", "es"]) == ExitCode.INPUT
    assert "none.txt: no such file" in capsys.readouterr().err
    assert main([str(tmp_path), "--to", "es"]) == ExitCode.INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{tmp_path}: no supported file (") and err.endswith(") in the folders given")
    assert all(ending in err for ending in (".txt", ".md", ".po", ".html", ".docx", ".xlf", ".srt"))


@needs_apertium
def test_one_bad_file_does_not_stop_the_others(tmp_path, capsys):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("Le ciel est bleu.", encoding="utf-8")
    bad.write_bytes(b"")
    assert main([str(bad), str(good), "--to", "es", "-q"]) == ExitCode.INPUT
    assert (tmp_path / "good.es.txt").read_text(encoding="utf-8") == "El cielo es azul."
    assert not (tmp_path / "bad.es.txt").exists()


@needs_apertium
def test_windows_1252_input_is_decoded(tmp_path, capsys):
    src = tmp_path / "cp.txt"
    src.write_bytes("Le ministère de l'Économie a réagi.".encode("cp1252"))
    assert main([str(src), "--to", "es", "-q"]) == 0
    assert (tmp_path / "cp.es.txt").read_text(encoding="utf-8").startswith("El ministerio de la Economía")


@needs_apertium
def test_output_never_overwrites_input(tmp_path, capsys):
    src = tmp_path / "a.es.txt"
    src.write_text("Le ciel est bleu.", encoding="utf-8")
    other = tmp_path / "a.txt"
    other.write_text("La mer est calme.", encoding="utf-8")
    # a.txt -> a.es.txt, which is also an input: refused, input kept.
    assert main([str(other), str(src), "--to", "es", "-q"]) == ExitCode.OUTPUT
    assert src.read_text(encoding="utf-8") == "Le ciel est bleu."


def test_detect_command(article, capsys):
    assert main(["detect", str(article), "--paragraphs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{article}: fr 1.00"
    assert lines[1].startswith(f"{article}:1: fr") and "(document's)" in lines[1]
    assert lines[2].startswith(f"{article}:3: fr")  # FILE:LINE: the line the paragraph starts on
    assert lines[-1].startswith(f"{article}:19: en")


def test_detect_errors(tmp_path, capsys):
    empty = tmp_path / "e.txt"
    empty.write_text("")
    assert main(["detect", str(empty)]) == ExitCode.INPUT


@needs_model
@needs_apertium
def test_models_list_install_remove(capsys):
    from .conftest import MODEL

    assert main(["models", "install", str(MODEL)]) == 0
    assert "installed translate-zh_en 1.9" in capsys.readouterr().out
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "argos     zh->en" in out and "apertium  fr->es" in out
    assert main(["models", "remove", "translate-zh_en"]) == 0
    assert main(["models", "remove", "translate-zh_en"]) == ExitCode.INPUT  # no longer installed


@needs_model
def test_chinese_with_the_real_package(with_zh_en, tmp_path, capsys):
    src = tmp_path / "zh.txt"
    src.write_text(ZH + "\n", encoding="utf-8")
    assert main([str(src), "--to", "en", "--engine", "argos", "-q"]) == 0
    out = (tmp_path / "zh.en.txt").read_text(encoding="utf-8")
    assert "Stanford" in out and out.endswith("\n")
