"""Helpers for the ``translate batch`` tests: inputs, Ray environments, and Ray processes.

Every Ray process a test starts inherits ``TRANSLATOR_TEST_RAY=<a fresh id>`` (through its
environment), so the test can find exactly those processes, kill one on purpose, and stop
the ones left at the end, by pid, without touching anyone else's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "TRANSLATOR_TEST_RAY"
PARAGRAPHS = [p for name in ("diplomatie.txt", "economie.txt")
              for p in (ROOT / "samples" / name).read_text(encoding="utf-8").split("\n\n")
              if len(p.split()) > 12]


def article(n: int) -> str:
    """A French article of a title and two paragraphs, different for every *n*."""
    first, second = PARAGRAPHS[n % len(PARAGRAPHS)], PARAGRAPHS[(3 * n + 1) % len(PARAGRAPHS)]
    return f"Dépêche numéro {n}\n\n{first}\n\n{second}\n"


def article_folder(folder: Path, count: int, per_folder: int = 25) -> Path:
    for n in range(count):
        path = folder / f"{n // per_folder:03d}" / f"article-{n:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(n), encoding="utf-8")
    return folder


def article_jsonl(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(count):
            fh.write(json.dumps({"id": f"a{n}", "text": article(n), "desk": "monde", "n": n},
                                ensure_ascii=False) + "\n")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    """Every output file below *folder* and its bytes (the manifest's folder left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".batch" not in p.relative_to(folder).parts}


def ray_env(home: Path) -> dict[str, str]:
    """An environment for Ray processes of one test: a short private temp folder (Ray's socket
    paths must stay short), the marker, and *home* as HOME: Ray keeps its token in ~/.ray, and
    a process that started Ray once expects that token where it left it (one home per session)."""
    tmp = Path(tempfile.mkdtemp(prefix="rt", dir="/tmp"))
    home.mkdir(parents=True, exist_ok=True)
    return {"RAY_TMPDIR": str(tmp), "HOME": str(home), MARKER: uuid.uuid4().hex,
            "RAY_USAGE_STATS_ENABLED": "0"}


def marked(value: str) -> list[int]:
    """Pids of the live processes whose environment holds ``MARKER=value``."""
    needle = f"{MARKER}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0") and _alive(entry):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _alive(entry: Path) -> bool:
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def named(pids: list[int], *names: str) -> list[int]:
    """Those of *pids* whose command name starts with one of *names* (raylet, ray::MapWorker)."""
    out = []
    for pid in pids:
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        if any(comm.startswith(n) or args.startswith(n) for n in names):
            out.append(pid)
    return out


def stop_marked(value: str, timeout: float = 30) -> list[int]:
    """SIGKILL every process marked *value*, one pid at a time; return those that were left."""
    left = marked(value)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + timeout
    while marked(value) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def batch_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "translator", "batch", *args]


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, env={**os.environ, **env}, stdout=open(log, "ab"), stderr=subprocess.STDOUT,
                            cwd=ROOT)


def wait_for(predicate, timeout: float, step: float = 0.2):
    """Poll *predicate* until it returns something true (returned), or None after *timeout*."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None
