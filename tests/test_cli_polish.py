"""What users expect of a command line: plain help, completion, folders, line numbers
editors jump to, a missing file called missing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from translator.cli import main
from translator.errors import ExitCode
from translator.inputs import expand

from .conftest import needs_apertium

BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [["run"], ["detect"], ["models", "install"], ["models", "remove"],
                                     ["glossary", "lint"], ["glossary", "export"], ["memory", "import"],
                                     ["memory", "prune"]])
def test_help_shows_metavars_not_python_types(command, capsys):
    assert main([*command, "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"Usage: translate {' '.join(command)} [OPTIONS]")
    assert not re.findall(r"<(?:list\[\w+\]|str|path|float|int|int range)>", text), text


def test_shell_completion_is_offered_and_completes(tmp_path):
    done = subprocess.run([str(BIN / "translate"), "--help"], capture_output=True, text=True, timeout=60)
    assert "--install-completion" in done.stdout and "--show-completion" in done.stdout
    env = dict(os.environ, _TRANSLATE_COMPLETE="complete_bash", COMP_WORDS="translate models ", COMP_CWORD="2")
    done = subprocess.run([str(BIN / "translate")], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["routes", "list", "install", "remove"]
    script = subprocess.run([str(BIN / "translate"), "--show-completion", "bash"], capture_output=True,
                            text=True, timeout=60)
    assert script.returncode == 0 and "_translate_completion" in script.stdout


def _tree(root: Path) -> None:
    for name, text in {
        "a.txt": "Le ciel est bleu.\n",
        "a.es.txt": "El cielo es azul.\n",  # an earlier output: never an input again
        "b.md": "# Titre\n\nLa mer est calme.\n",
        "notes.pdf": "%PDF-1.4",  # not a supported type: not picked from a folder
        "sub/c.txt": "Le vent souffle.\n",
        "sub/draft.txt": "Brouillon.\n",
        "sub/c.review.html": "<html></html>",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_folders_expand_to_their_supported_files(tmp_path):
    _tree(tmp_path)
    top = [str(tmp_path / "a.txt"), str(tmp_path / "b.md")]
    assert expand([str(tmp_path)]) == top
    assert expand([str(tmp_path)], recursive=True) == [*top, str(tmp_path / "sub/c.txt"),
                                                      str(tmp_path / "sub/draft.txt")]
    assert expand([str(tmp_path)], recursive=True, include=["*.txt"], exclude=["sub/draft*"]) == [
        str(tmp_path / "a.txt"), str(tmp_path / "sub/c.txt")]
    named = str(tmp_path / "notes.pdf")
    assert expand([named, "-"]) == [named, "-"]  # files named directly are kept as given


@needs_apertium
def test_a_folder_is_translated_with_per_file_reports(tmp_path, capsys):
    _tree(tmp_path)
    (tmp_path / "sub" / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    assert main([str(tmp_path), "-r", "--to", "es", "--from", "fr", "-o", str(out), "-q"]) == ExitCode.INPUT
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'sub' / 'empty.txt'}: empty file: nothing to translate"
    assert sorted(p.name for p in out.iterdir()) == ["a.es.txt", "b.es.md", "c.es.txt", "draft.es.txt"]
    assert (out / "b.es.md").read_text(encoding="utf-8").startswith("# Título")


@pytest.mark.parametrize("name", ["missing.txt", "missing.md", "missing.po", "missing.pot", "missing.docx", "x"])
def test_a_missing_file_is_reported_as_missing_whatever_its_extension(tmp_path, name, capsys):
    path = tmp_path / name
    assert main([str(path), "--to", "es"]) == ExitCode.INPUT
    assert capsys.readouterr().err.strip() == f"{path}: no such file: check the path"


def test_max_size_caps_what_is_read(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Le ciel est bleu.\n" * 100)
    assert main([str(big), "--to", "es", "--max-size", "1kB"]) == ExitCode.INPUT
    assert capsys.readouterr().err.strip() == (f"{big}: too large: 1.8 kB, over the limit of 1 kB: split it, "
                                               "or raise the limit with --max-size SIZE")
    assert main(["detect", str(big), "--max-size", "1kB"]) == ExitCode.INPUT
    assert "too large" in capsys.readouterr().err
    assert main([str(big), "--to", "es", "--max-size", "ten"]) == ExitCode.USAGE
    assert "--max-size: 'ten' is not a size" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [big]
