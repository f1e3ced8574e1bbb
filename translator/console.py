"""The ``translate`` entry point.

``translate --help`` (``-h``) and ``translate --version`` are answered here, without importing the
command-line framework: typer and click take longer to import than Python takes to start.
The top-level help is kept in ``cli_help.txt``, which is exactly what click prints on a
terminal of 80 columns or more (pinned by tests/test_console.py; ``make help-text`` writes it
again after a change to the commands).  Anything else, and narrower terminals, go to
:func:`translator.cli.main`.
"""

from __future__ import annotations

import os
import sys

#: click wraps help to the terminal's width, at most 80 columns.
HELP_COLUMNS = 80
HELP_FILE = os.path.join(os.path.dirname(__file__), "cli_help.txt")


def _columns() -> int:
    """The terminal width as click measures it (``shutil.get_terminal_size``)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return HELP_COLUMNS
    return columns or HELP_COLUMNS


def version_line() -> str:
    """What ``translate --version`` prints, here and through typer."""
    from . import __version__

    return f"translate {__version__}\n"


def _fast(args: list[str]) -> str | None:
    """The text for ``--version`` or ``--help`` alone, or None to go the full way."""
    if args == ["--version"]:
        return version_line()
    if args in (["--help"], ["-h"]) and _columns() >= HELP_COLUMNS:
        try:
            with open(HELP_FILE, encoding="utf-8") as handle:
                return handle.read()
        except OSError:
            return None
    return None


def main(argv: list[str] | None = None) -> int:
    """Run ``translate``; return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    text = _fast(args)
    if text is None:
        from .cli import main as run

        code = run(args)
        return exit_now_if_interrupted(code) if argv is None else code
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # | head: not an error of ours; nothing more to flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def exit_now_if_interrupted(code: int) -> int:
    """*code*, unless Ctrl-C left native work running (a CTranslate2 call, which the
    interpreter's shutdown would wait for, minutes on a large input): then the process ends
    at once with *code*.  Nothing is lost: outputs are written after the translation, and a
    file being written is never the one interrupted.  Only for a whole command (argv from
    the process), never for a caller in the same process."""
    argos = sys.modules.get("translator.engines.argos")
    if code == 130 and argos is not None and argos.native_work_left():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    return code
