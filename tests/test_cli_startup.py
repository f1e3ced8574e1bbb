"""A light start: option values checked without pydantic give what typer gives, errors
included, and a plain run imports neither pydantic nor the heavy engines' libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from translator import cli
from translator.cli_params import lighten

VALID = [
    ["run", "a.txt", "--to", "es"],
    ["run", "a.txt", "b.md", "-t", "en,es", "-f", "fr", "-e", "apertium", "--format", "side-by-side",
     "-o", "out", "-r", "--include", "*.md", "--include", "*.txt", "--exclude", "x*", "--encoding", "latin-1",
     "--max-size", "2MB", "--input-format", "markdown", "--beam-size", "2", "--threads", "0", "--width", "80",
     "-g", "news", "-g", "g.csv", "--strict", "--overwrite", "--content", "all", "--no-fuzzy",
     "--front-matter-fields", "title", "-m", "tm.sqlite", "-q"],
    ["run", "-", "--to", "es", "--engine", "argos", "--threads", "3", "--beam-size", "10"],
    ["detect", "a.txt", "-p", "--max-size", "1kB"],
    ["serve", "--port", "0", "--char-limit", "-1", "--timeout", "2.5", "--batch-window", "0",
     "--file-ttl", "30", "--cors-origin", "*", "--engine", "apertium"],
    ["memory", "prune", "--older-than", "30", "-m", "x.sqlite"],
    ["memory", "prune", "--older-than", "0.5"],
    ["glossary", "lint", "a.txt", "b.txt", "--to", "es", "-g", "news"],
    # Unusual numbers the light check leaves to typer, which accepts them.
    ["run", "a.txt", "--to", "es", "--threads", "+2"],
    ["serve", "--timeout", "1e3", "--port", " 8080"],
]
INVALID = [
    ["run", "a.txt", "--to", "es", "--beam-size", "0"],
    ["run", "a.txt", "--to", "es", "--beam-size", "x"],
    ["run", "a.txt", "--to", "es", "--threads", "-1"],
    ["run", "a.txt", "--to", "es", "--threads", "1.5"],
    ["run", "a.txt", "--to", "es", "--engine", "marian"],
    ["run", "a.txt", "--to", "es", "--format", "TEXT"],
    ["serve", "--timeout", "0.01"],
    ["memory", "prune", "--older-than", "soon"],
]


def _tree(light: bool):
    command = typer.main.get_command(cli.app)
    cli._plain_arguments(command)
    if light:
        assert lighten(command)
    return command


def _parse(command, args: list[str]):
    """The values the command function would get, or the error typer reports."""
    path, rest = [], args
    while rest and rest[0] in getattr(command, "commands", {}):
        command = command.commands[rest[0]]
        path.append(rest[0])
        rest = rest[1:]
    try:
        return command.make_context(" ".join(path), list(rest)).params
    except Exception as exc:  # noqa: BLE001 - click's exceptions; the message is what is compared
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("args", VALID, ids=lambda a: " ".join(a[:2]))
def test_values_are_what_typer_gives(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    typer_values = _parse(_tree(False), args)
    assert isinstance(typer_values, dict), typer_values
    ours = _parse(_tree(True), args)
    assert ours == typer_values
    assert [type(v) for v in ours.values()] == [type(v) for v in typer_values.values()]


@pytest.mark.parametrize("args", INVALID, ids=lambda a: " ".join(a[-2:]))
def test_errors_read_as_typer_writes_them(args):
    expected = _parse(_tree(False), args)
    assert isinstance(expected, str) and ("Invalid value" in expected or "BadParameter" in expected), expected
    # typer's choice errors start with its validator's "Value error, ": ours say the rest alone
    ours = _parse(_tree(True), args)
    assert ours == expected.replace("Value error, ", "") and "Value error" not in ours


def test_a_plain_run_does_not_import_pydantic_nor_engine_libraries(tmp_path):
    code = ("import sys, typer\nfrom translator import cli\n"
            "command = typer.main.get_command(cli.app); cli.lighten(command)\n"
            "run = command.commands['run']\n"
            "run.make_context('run', ['a.txt', '--to', 'es', '--engine', 'apertium', '-o', 'out', '--beam-size', '2'])\n"
            "print(sorted(m for m in ('pydantic', 'ctranslate2', 'sentencepiece', 'langdetect', 'rich') "
            "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "[]", out.stderr


def test_help_imports_none_of_our_engines():
    code = ("import sys\nfrom translator.cli import main\n"
            "try:\n    main(['--help'])\nfinally:\n"
            "    print(sorted(m for m in sys.modules if m.startswith(('translator.engines', 'translator.pipeline', "
            "'pydantic', 'langdetect'))), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "Usage: translate" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[]"


HELPS = [[name, "--help"] for name in cli.COMMANDS] + [
    ["models", "list", "--help"], ["glossary", "check", "--help"], ["memory", "prune", "--help"],
    ["apertium-server", "status", "--help"], ["run", "--to"], ["nonsense", "--help"], ["glossary", "nope"]]


@pytest.mark.parametrize("args", HELPS, ids=" ".join)
def test_one_command_built_reads_as_the_whole_tree(args, capsys, monkeypatch):
    """Only the command asked for is built from its signature; help and errors are the same."""
    monkeypatch.setenv("COLUMNS", "80")
    code = cli.main(list(args))
    alone = capsys.readouterr()
    monkeypatch.setattr(cli, "_tree", lambda name: cli.app)
    assert cli.main(list(args)) == code
    assert capsys.readouterr() == alone
    assert alone.out or alone.err


def test_the_tree_holds_only_the_command_asked_for():
    assert list(typer.main.get_command(cli._tree("detect")).commands) == ["detect"]
    assert list(typer.main.get_command(cli._tree("memory")).commands) == ["memory"]
    assert typer.main.get_command(cli._tree("nonsense")).commands.keys() >= {"run", "detect", "models"}


@pytest.mark.parametrize("args", [["-h"], ["run", "-h"], ["models", "list", "-h"], ["serve", "-h"]], ids=" ".join)
def test_dash_h_is_help_everywhere(args, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert cli.main(list(args)) == 0
    short = capsys.readouterr().out
    assert cli.main([*args[:-1], "--help"]) == 0
    assert short == capsys.readouterr().out and short.startswith("Usage: translate")
