"""``translate --help`` and ``--version`` answered without typer: the same text click prints,
and only for what the fast path can answer exactly (80 columns or more)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from translator import __version__, console

FULL_HELP = "import sys; from translator.cli import main; sys.exit(main(['--help']))"
FAST = "import sys; from translator.console import main; sys.exit(main())"


def _run(code: str, *args: str, columns: str | None = "80") -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"} | ({"COLUMNS": columns} if columns else {})
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          check=False, timeout=60)


def test_the_kept_help_is_what_click_prints():
    full = _run(FULL_HELP)
    assert full.returncode == 0, full.stderr
    kept = Path(console.HELP_FILE).read_text(encoding="utf-8")
    assert kept == full.stdout, "the commands changed: run 'make help-text' and commit translator/cli_help.txt"


@pytest.mark.parametrize("columns", ["80", "200", None])
@pytest.mark.parametrize("option", ["--help", "-h"])
def test_help_without_typer_on_wide_terminals(columns, option):
    probe = FAST.replace("sys.exit(main())", "code = main(); assert 'typer' not in sys.modules; sys.exit(code)")
    fast = _run(probe, option, columns=columns)  # no COLUMNS and no terminal: click's 80 too
    assert fast.returncode == 0, fast.stderr
    assert fast.stdout == Path(console.HELP_FILE).read_text(encoding="utf-8")
    assert fast.stderr == ""


def test_narrow_terminals_get_click_wrapping():
    narrow = _run(FAST, "--help", columns="60")
    assert narrow.returncode == 0
    assert narrow.stdout == _run(FULL_HELP, columns="60").stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 60
    assert narrow.stdout != Path(console.HELP_FILE).read_text(encoding="utf-8")


def test_version_without_typer_same_as_click():
    probe = FAST.replace("sys.exit(main())", "code = main(); assert 'typer' not in sys.modules; sys.exit(code)")
    fast = _run(probe, "--version")
    full = _run("import sys; from translator.cli import main; sys.exit(main(['--version']))")
    assert fast.returncode == full.returncode == 0
    assert fast.stdout == full.stdout == f"translate {__version__}\n"


@pytest.mark.parametrize("args", [["--help", "x"], ["run", "--help"], ["run", "-h"], ["--version", "--help"], []])
def test_anything_else_goes_to_the_full_command(args, monkeypatch):
    seen = []
    monkeypatch.setattr("translator.cli.main", lambda argv: seen.append(argv) or 7)
    assert console.main(args) == 7
    assert seen == [args]


def test_a_closed_pipe_is_not_an_error():
    reader = subprocess.Popen([sys.executable, "-c", FAST, "--help"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"})
    reader.stdout.close()  # like '| head -0'
    assert reader.wait(timeout=60) == 0
    assert reader.stderr.read() == b""
