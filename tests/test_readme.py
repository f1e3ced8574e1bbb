"""Every console example in the README runs as written and prints what the README shows.

A ``console`` block is checked when the line before its fence is ``<!-- check -->``, or
``<!-- check: FIXTURE -->`` to start in a prepared folder (see ``FIXTURES``).  A block
that cannot run here says why: ``<!-- no check: REASON -->``.  Every console block in the
README carries one of the two (a test enforces it).

In a block, each ``$ COMMAND`` runs with ``sh`` in a sandbox: a folder holding a copy of
``samples/`` (the current folder), with ``../shared`` beside it, isolated XDG and Argos
folders, and this environment's commands first on ``PATH``.  The lines after a command
are its output, standard output and error together.  They match exactly, except:
``...`` alone matches any number of lines, ``{…}`` inside a line matches any text, and
trailing spaces are ignored.  ``# comments`` after a command are not part of it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED, needs_apertium

README = ROOT / "README.md"
BIN = Path(sys.executable).parent
_MARK = re.compile(r"^<!-- (check(?::\s*(?P<fixture>[\w-]+))?|no check:\s*(?P<reason>.+?)) -->$")


@dataclass
class Block:
    line: int  # of the opening fence, 1-based
    fixture: str | None
    reason: str | None  # why it is not checked
    commands: list[tuple[str, list[str]]]  # (command, expected output lines)


def blocks(text: str) -> list[Block]:
    lines = text.splitlines()
    found = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        start = i
        mark = _MARK.match(lines[i - 1].strip()) if i else None
        body = []
        i += 1
        while lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        commands: list[tuple[str, list[str]]] = []
        for line in body:
            if line.startswith("$ "):
                commands.append((_strip_comment(line[2:]), []))
            elif commands:
                commands[-1][1].append(line)
        if mark is None:
            found.append(Block(start + 1, None, "", commands))  # "": not marked at all
        else:
            found.append(Block(start + 1, mark.group("fixture"), mark.group("reason"), commands))
        i += 1
    return found


def _strip_comment(command: str) -> str:
    """``cmd   # note`` -> ``cmd`` (a ``#`` preceded by two spaces starts a comment)."""
    return re.split(r"\s{2,}#\s", command, maxsplit=1)[0].rstrip()


def matches(expected: list[str], actual: list[str]) -> bool:
    """Expected lines against actual ones, with ``...`` lines and ``{…}`` wildcards."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in actual]

    def line_ok(e: str, a: str) -> bool:
        pattern = ".*".join(re.escape(part) for part in e.split("{…}"))
        return re.fullmatch(pattern, a) is not None

    memo: dict[tuple[int, int], bool] = {}

    def walk(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(expected):
                memo[(i, j)] = j == len(actual)
            elif expected[i] == "...":
                memo[(i, j)] = any(walk(i + 1, k) for k in range(j, len(actual) + 1))
            else:
                memo[(i, j)] = j < len(actual) and line_ok(expected[i], actual[j]) and walk(i + 1, j + 1)
        return memo[(i, j)]

    return walk(0, 0)


def _content_repo(work: Path) -> Path:
    """A newsroom's content repository as the README's pre-commit section configures it."""
    repo = work / "newsroom"
    (repo / "content" / "fr").mkdir(parents=True)
    (repo / "pyproject.toml").write_text(
        '[tool.translator]\nsource_language = "fr"\nsources = ["content/fr/**/*.md"]\ntargets = ["en", "es"]\n'
        'output = "content/{lang}/{path}"\nglossaries = ["news"]\nengine = "apertium"\n', encoding="utf-8")
    shutil.copy(work / "samples" / "sport.md", repo / "content" / "fr" / "sport.md")
    article = (work / "samples" / "diplomatie.txt").read_text(encoding="utf-8")
    (repo / "content" / "fr" / "diplo.md").write_text(article.replace("Click to comment\n", ""), encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


def _content_repo_server(work: Path) -> Path:
    """The same, with the per-user Apertium server (apertium_server = true)."""
    repo = _content_repo(work)
    with open(repo / "pyproject.toml", "a", encoding="utf-8") as config:
        config.write("apertium_server = true\n")
    return repo


FIXTURES = {"content-repo": _content_repo, "content-repo-server": _content_repo_server}


@pytest.fixture
def sandbox(tmp_path, isolated_home) -> tuple[Path, dict[str, str]]:
    work = tmp_path / "work"
    shutil.copytree(ROOT / "samples", work / "samples")
    if SHARED.exists():
        (tmp_path / "shared").symlink_to(SHARED)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", PYTHONUNBUFFERED="1", COLUMNS="100",
               HOME=str(isolated_home), TRANSLATOR_RUNTIME_DIR=str(isolated_home / "run"))
    return work, env


def test_every_console_block_is_checked_or_says_why():
    unmarked = [b.line for b in blocks(README.read_text(encoding="utf-8")) if b.reason == ""]
    assert not unmarked, f"README.md console blocks without <!-- check --> or <!-- no check: ... -->: {unmarked}"


def test_the_matcher():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"]) and matches(["a", "...", "b"], ["a", "b"])
    assert matches(["x {…} z"], ["x 12 z"]) and not matches(["x {…} z"], ["x 12 y"])
    assert not matches(["a"], ["a", "b"]) and not matches(["a", "b"], ["a"])


_CHECKED = [b for b in blocks(README.read_text(encoding="utf-8")) if b.reason is None]


@needs_apertium
@pytest.mark.parametrize("block", _CHECKED, ids=[f"README.md:{b.line}" for b in _CHECKED])
def test_readme_console_block(block: Block, sandbox):
    work, env = sandbox
    cwd = FIXTURES[block.fixture](work) if block.fixture else work
    for command, expected in block.commands:
        done = subprocess.run(["sh", "-c", f"{{ {command}\n}} 2>&1"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                              text=True, timeout=600)
        actual = done.stdout.replace(str(work) + "/", "").splitlines()
        assert matches(expected, actual), (
            f"README.md:{block.line}: $ {command}\n--- expected\n" + "\n".join(expected)
            + "\n--- actual\n" + "\n".join(actual))
