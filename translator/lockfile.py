"""A content repository's lock file (``.translator/lock.json``) and how generated files
are written so that a run stopped at any moment converges on the next one.

The lock records, for each generated file, the hash of the source it came from and its
own hash: a generated file whose hash is not the recorded one was edited by a person.

Writing is a small transaction under an exclusive file lock:

1. the entries about to be written go to a journal (``lock.json.journal``, synced);
2. each output is written atomically, its temporary file in a private folder beside
   the lock (``.translator/tmp``), never among tracked content;
3. the entries go into the lock (written atomically) and the journal is removed.

A run that stops anywhere (kill -9, Ctrl-C, a full disk, a read-only folder) leaves at
worst a journal and temporary files.  The next writer, under the same lock, adopts each
journal entry whose output holds exactly the content the journal announced (it is ours,
not a person's edit), drops the others, and empties the temporary folder.  Readers that
must not write (``translate-check``) apply the same rule to what they read.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

from .textio import write_atomic

LOCK_VERSION = 1
Entries = dict[str, dict[str, str]]


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def sha256_text(text: str | bytes) -> str:
    """The hash of what :func:`translator.textio.write_atomic` writes for *text*: bytes as
    they are (Word, HTML and XLIFF outputs keep their encoding), text as UTF-8."""
    return hashlib.sha256(text if isinstance(text, bytes) else text.encode("utf-8")).hexdigest()


def crash_point(name: str) -> None:
    """Fault injection for the convergence tests: ``TRANSLATOR_CRASH_AT=journal``,
    ``output:N`` (after the N-th output) or ``lock`` sends this process a signal right
    there: ``SIGKILL``, or the one ``TRANSLATOR_CRASH_SIGNAL`` names (``SIGINT``: Ctrl-C)."""
    if os.environ.get("TRANSLATOR_CRASH_AT") == name:
        os.kill(os.getpid(), getattr(signal, os.environ.get("TRANSLATOR_CRASH_SIGNAL", "SIGKILL")))


class LockFile:
    """The lock file of a repository, with its journal, guard and temporary folder."""

    def __init__(self, root: Path, relative: str) -> None:
        self.root = root
        self.path = root / relative
        self.journal = self.path.with_name(self.path.name + ".journal")
        self.guard = self.path.with_name(self.path.name + ".flock")
        self.tmp_dir = self.path.parent / "tmp"

    def ignored_names(self) -> list[str]:
        """What beside the lock must never be committed (for ``.gitignore``)."""
        return [self.guard.name, self.journal.name, f"{self.tmp_dir.name}/"]

    def interrupted(self) -> bool:
        """Whether a stopped run left a journal or temporary files to recover."""
        return self.journal.exists() or (self.tmp_dir.is_dir() and any(self.tmp_dir.iterdir()))

    def read(self) -> Entries:
        """The entries, with a pending journal applied (read-only: nothing is written)."""
        entries = _load(self.path)
        entries.update(self._adoptable())
        return entries

    def _adoptable(self) -> Entries:
        return {output: entry for output, entry in _load(self.journal, key=None).items()
                if isinstance(entry, dict) and sha256_of(self.root / output) == entry.get("output_sha256")}

    @contextlib.contextmanager
    def writing(self) -> Iterator[Transaction]:
        """Exclusive access: recover what a stopped run left, then yield a transaction
        whose entries are committed to the lock when the block ends without error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.guard, "a+") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            entries = _load(self.path)
            recovered = self._adoptable()
            if recovered or self.journal.exists():
                entries.update(recovered)
                self._write(entries)
                self.journal.unlink(missing_ok=True)
            shutil.rmtree(self.tmp_dir, ignore_errors=True)
            self.tmp_dir.mkdir(exist_ok=True)
            tx = Transaction(self, entries)
            yield tx
            if tx.changed:
                self._write(entries)
                crash_point("lock")
            self.journal.unlink(missing_ok=True)
            shutil.rmtree(self.tmp_dir, ignore_errors=True)

    def _write(self, entries: Entries) -> None:
        write_atomic(self.path, json.dumps({"version": LOCK_VERSION, "files": dict(sorted(entries.items()))},
                                           indent=2, ensure_ascii=False) + "\n")


class Transaction:
    """The entries of the lock while it is held; outputs written through it are journaled."""

    def __init__(self, lock: LockFile, entries: Entries) -> None:
        self.lock = lock
        self.entries = entries
        self.changed = False
        self._written = 0

    def plan(self, planned: Entries) -> None:
        """Announce the outputs about to be written (their entries, with their new hashes)."""
        write_atomic(self.lock.journal, json.dumps(planned, indent=2, ensure_ascii=False) + "\n")
        crash_point("journal")

    def write(self, relative: str, text: str, *, protect: tuple[Path, ...] = ()) -> None:
        write_atomic(self.lock.root / relative, text, protect=protect, tmp_dir=self.lock.tmp_dir)
        self._written += 1
        crash_point(f"output:{self._written}")

    def record(self, output: str, entry: dict[str, str]) -> None:
        self.entries[output] = entry
        self.changed = True


def _load(path: Path, key: str | None = "files") -> Entries:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if key is not None:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    return data if isinstance(data, dict) else {}


def ensure_ignored(root: Path, folder_names: list[tuple[Path, list[str]]]) -> list[str]:
    """Add the given names to ``.gitignore`` in each folder (inside *root* only) when
    missing; return the ``.gitignore`` files changed."""
    wanted: dict[Path, list[str]] = {}
    for folder, names in folder_names:
        wanted.setdefault(folder, []).extend(n for n in names if n not in wanted.get(folder, []))
    changed = []
    for folder, names in wanted.items():
        try:
            folder.resolve().relative_to(root.resolve())
        except ValueError:
            continue
        ignore = folder / ".gitignore"
        try:
            present = ignore.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            present = ["# Written by translate-sync: local files that are not to be committed."]
        missing = [n for n in names if n not in present]
        if missing:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(ignore, "\n".join(present + missing) + "\n")
            changed.append(str(ignore.relative_to(root)))
    return changed
