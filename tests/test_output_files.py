"""Output files are written like every other tool writes them: atomically, with the
mode the umask gives (an existing file keeps its own), never over an input."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from translator import textio
from translator.errors import OutputError


@pytest.fixture
def umask():
    """Set the process umask for one test (and forget the cached value around it)."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_(value: int) -> None:
        os.umask(value)
        textio._umask.cache_clear()

    yield set_
    os.umask(saved)
    textio._umask.cache_clear()


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)])
def test_new_files_get_the_mode_the_umask_gives(tmp_path, umask, mask, expected):
    umask(mask)
    textio.write_atomic(tmp_path / "a.es.txt", "hola\n")
    assert _mode(tmp_path / "a.es.txt") == expected
    assert (tmp_path / "a.es.txt").read_text() == "hola\n"


def test_an_existing_file_keeps_its_mode(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "a.es.txt"
    target.write_text("old")
    os.chmod(target, 0o664)
    textio.write_atomic(target, "new")
    assert (_mode(target), target.read_text()) == (0o664, "new")


def test_temporary_files_go_to_the_folder_given_and_never_stay(tmp_path, monkeypatch):
    private = tmp_path / "private"
    private.mkdir()
    made = []
    real = textio.tempfile.mkstemp

    def spy(*args, **kwargs):
        made.append(kwargs["dir"])
        return real(*args, **kwargs)

    monkeypatch.setattr(textio.tempfile, "mkstemp", spy)
    textio.write_atomic(tmp_path / "content" / "a.md", "x", tmp_dir=private)
    assert made == [private] and not list(private.iterdir())
    with pytest.raises(OutputError, match="refusing to overwrite an input"):
        textio.write_atomic(tmp_path / "content" / "a.md", "y", protect=(tmp_path / "content" / "a.md",))
    assert (tmp_path / "content" / "a.md").read_text() == "x"


def test_the_command_writes_translations_readable_by_others(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Le ciel est bleu.\n", encoding="utf-8")
    script = f"umask 022 && {sys.executable} -m translator {source} --from fr --to fr -q"
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _mode(tmp_path / "a.fr.txt") == 0o644


def test_checking_outputs_against_the_inputs_is_linear_in_the_files(tmp_path, monkeypatch):
    """A folder of thousands of articles: each output is checked against a set of resolved
    inputs, not against every input again (2,000 files took minutes in that check alone)."""
    from pathlib import Path

    inputs = [tmp_path / f"a{i}.txt" for i in range(60)]
    for path in inputs:
        path.write_text("x\n", encoding="utf-8")
    calls = [0]
    real = Path.resolve

    def counting(self, strict=False):
        calls[0] += 1
        return real(self, strict)

    monkeypatch.setattr(Path, "resolve", counting)
    protect = textio.protected(inputs)
    for path in inputs:
        textio.write_atomic(path.with_suffix(".es.txt"), "y\n", protect=protect)
    assert calls[0] <= 3 * len(inputs)  # quadratic: 60 x 60 = 3,600
    with pytest.raises(OutputError, match="refusing to overwrite an input file"):
        textio.write_atomic(inputs[7], "z\n", protect=protect)
    assert inputs[7].read_text(encoding="utf-8") == "x\n"
