"""translate-sync stopped at any moment of its write phase (kill -9, Ctrl-C, a full disk,
a read-only folder) converges on the next run to exactly the state of an uninterrupted run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import needs_apertium

BIN = Path(sys.executable).parent
CONFIG = """[tool.translator]
source_language = "fr"
sources = ["content/fr/**/*.md"]
targets = ["en", "es"]
output = "content/{lang}/{path}"
glossaries = ["news"]
engine = "apertium"
"""
ARTICLES = {
    "content/fr/diplo.md": "# Diplomatie\n\nLe Kremlin et la Maison-Blanche parlent du sommet.\n",
    "content/fr/monde/eco.md": "# Économie\n\nLa Banque centrale européenne relève ses taux.\n",
}
POINTS = ["journal", "output:1", "output:2", "output:3", "output:4", "lock"]


def _make_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in ARTICLES.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    return path


def _tool(repo: Path, name: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / name)], cwd=repo, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def _state(repo: Path) -> dict[str, bytes]:
    """Every file a user would commit (what .gitignore keeps out is left out), by content."""
    ignored = {".translator/memory.sqlite", ".translator/memory.sqlite-wal", ".translator/memory.sqlite-shm",
               ".translator/lock.json.flock"}
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*"))
            if p.is_file() and p.relative_to(repo).as_posix() not in ignored}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    repo = _make_repo(tmp_path_factory.mktemp("reference") / "repo")
    assert _tool(repo, "translate-sync").returncode == 1
    return _state(repo)


def _converged(repo: Path, reference: dict[str, bytes]) -> None:
    again = _tool(repo, "translate-sync")
    assert again.returncode in (0, 1), again.stderr
    assert _state(repo) == reference
    assert _tool(repo, "translate-check").returncode == 0
    assert not [p for p in repo.rglob("*") if p.name.endswith((".tmp", ".journal"))]
    assert not (repo / ".translator" / "tmp").exists() or not any((repo / ".translator" / "tmp").iterdir())
    assert _tool(repo, "translate-sync").returncode == 0  # and stays converged


@needs_apertium
@pytest.mark.parametrize("signal", ["SIGKILL", "SIGINT"])
@pytest.mark.parametrize("point", POINTS)
def test_a_run_stopped_anywhere_converges(tmp_path, reference, point, signal):
    repo = _make_repo(tmp_path / "repo")
    stopped = _tool(repo, "translate-sync", TRANSLATOR_CRASH_AT=point, TRANSLATOR_CRASH_SIGNAL=signal)
    if signal == "SIGKILL":
        assert stopped.returncode == -9
    else:
        assert (stopped.returncode, stopped.stderr.strip().splitlines()[-1]) == (130, "interrupted")
        assert "Traceback" not in stopped.stderr
    assert not [p for p in (repo / "content").rglob("*") if p.name.endswith(".tmp")]
    _converged(repo, reference)


@pytest.fixture
def small_mount(tmp_path):
    """Mount a 64 KiB tmpfs (root only); unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounted = []

    def mount(path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path)], capture_output=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


@needs_apertium
def test_a_full_disk_stops_the_run_cleanly_and_the_next_run_converges(tmp_path, reference, small_mount):
    repo = _make_repo(tmp_path / "repo")
    spanish = small_mount(repo / "content" / "es")
    filler = spanish / "filler"
    with open(filler, "wb", buffering=0) as out:  # fill the file system to the last byte
        try:
            while True:
                out.write(bytes(4096))
        except OSError:
            pass
    stopped = _tool(repo, "translate-sync")
    lines = stopped.stderr.strip().splitlines()
    assert stopped.returncode == 7 and len(lines) == 1 and "No space left on device" in lines[0], stopped.stderr
    assert [p.name for p in spanish.iterdir()] == ["filler"]  # nothing partial
    filler.unlink()
    _converged(repo, reference)


@needs_apertium
def test_a_read_only_folder_stops_the_run_cleanly_and_the_next_run_converges(tmp_path, reference, small_mount):
    repo = _make_repo(tmp_path / "repo")
    spanish = small_mount(repo / "content" / "es")
    subprocess.run(["mount", "-o", "remount,ro", str(spanish)], check=True)
    stopped = _tool(repo, "translate-sync")
    lines = stopped.stderr.strip().splitlines()
    assert stopped.returncode == 7 and len(lines) == 1 and "Read-only file system" in lines[0], stopped.stderr
    subprocess.run(["mount", "-o", "remount,rw", str(spanish)], check=True)
    _converged(repo, reference)
