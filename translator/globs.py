"""Git-style source globs: matching a path, and listing the files a glob names.

``**`` is any number of folders, ``*``, ``?`` and ``[...]`` stay within one name, and,
as with :func:`glob.glob`, a name starting with ``.`` is only matched by a part that
starts with ``.``.  Listing reads each folder once, never lists ``.git``, and treats
symlinks as git does: a wildcard never enters a symlinked folder (so no loop can make
it hang; a folder named literally in the glob is followed), and a symlink, file or
folder, whose real path is outside the root is reported instead of followed, for the
configuration check to refuse.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

MAGIC = re.compile(r"[*?\[]")


@functools.lru_cache(maxsize=256)
def parts(pattern: str) -> tuple[str, ...]:
    """The folder and name parts of *pattern*; a trailing ``**`` means every file below."""
    split = tuple(p for p in pattern.split("/") if p not in ("", "."))
    return split + ("*",) if split and split[-1] == "**" else split


@functools.lru_cache(maxsize=256)
def fixed_prefix(pattern: str) -> str:
    """The folders of *pattern* before its first wildcard: ``content/fr`` for ``content/fr/**/*.md``."""
    split = parts(pattern)[:-1]
    magic = next((i for i, part in enumerate(split) if MAGIC.search(part)), len(split))
    return "/".join(split[:magic])


@functools.lru_cache(maxsize=256)
def _part_regex(part: str) -> str:
    """A regex for one name, as :mod:`fnmatch` translates it, except that ``*`` skips hidden names."""
    regex = "" if part.startswith(".") or not MAGIC.search(part) else r"(?!\.)"
    i = 0
    while i < len(part):
        char, end = part[i], _class_end(part, i)
        if char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif end > 0:
            body = re.sub(r"([\\&~|])", r"\\\1", part[i + 1:end])
            body = "^" + body[1:] if body.startswith("!") else "\\" + body if body.startswith(("^", "[")) else body
            regex += f"(?!/)[{body}]"
            i = end
        else:
            regex += re.escape(char)
        i += 1
    return regex


def _class_end(part: str, i: int) -> int:
    """The index of the ``]`` closing a ``[`` at *i* (``[!]...]`` and ``[]...]`` as fnmatch reads them), or -1."""
    if part[i] != "[":
        return -1
    j = i + 1
    j += j < len(part) and part[j] == "!"
    j += j < len(part) and part[j] == "]"
    return part.find("]", j)


@functools.lru_cache(maxsize=256)
def _path_regex(pattern: str) -> re.Pattern[str]:
    pieces = parts(pattern)
    regex = ""
    for i, part in enumerate(pieces):
        if part == "**":
            regex += r"(?:(?!\.)[^/]+/)*"
        else:
            regex += _part_regex(part) + ("/" if i < len(pieces) - 1 else "")
    return re.compile(regex)


def problem(pattern: str) -> str | None:
    """Why *pattern* is not a usable glob, or None."""
    try:
        _path_regex(pattern)
    except re.error as exc:
        return f"{pattern!r} is not a valid glob ({exc})"
    return None if parts(pattern) else f"{pattern!r} names no file"


def match(path: str, pattern: str) -> bool:
    """Whether *path* (relative, forward slashes) is named by *pattern*."""
    return _path_regex(pattern).fullmatch(path) is not None


@dataclass
class Listing:
    """The files some globs name below one root, each with its real path, and the symlinks
    refused because they lead outside the root."""

    root: str  # real path of the root
    files: dict[str, str] = field(default_factory=dict)  # relative path -> real path
    escapes: dict[str, str] = field(default_factory=dict)  # relative path -> real path outside
    _entries: dict[str, list[os.DirEntry]] = field(default_factory=dict)
    _seen: set[tuple[str, str, int]] = field(default_factory=set)

    def add(self, pattern: str) -> None:
        """List the files *pattern* names; each real folder is read once for all patterns."""
        self._walk("", self.root, pattern, 0)

    def inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)

    def _walk(self, rel: str, real: str, pattern: str, i: int) -> None:
        if (pattern, real, i) in self._seen:
            return  # reached again through another split of the "**" parts
        self._seen.add((pattern, real, i))
        pieces = parts(pattern)
        part, last = pieces[i], i == len(pieces) - 1
        if part == "**":
            self._walk(rel, real, pattern, i + 1)
        regex = _part_regex("*" if part == "**" else part)
        want_dir = part == "**" or not last
        for entry in self._list(real):
            if (entry.name == ".git" or not re.fullmatch(regex, entry.name)
                    or not (_is_dir(entry) if want_dir else _is_file(entry))):
                continue
            path = f"{rel}/{entry.name}" if rel else entry.name
            target = self._follow(path, entry)
            if target is None:
                continue
            if not want_dir:
                self.files.setdefault(path, target)
            elif not (entry.is_symlink() and MAGIC.search(part)):  # wildcards never enter symlinked folders
                self._walk(path, target, pattern, i if part == "**" else i + 1)

    def _follow(self, path: str, entry: os.DirEntry) -> str | None:
        """The real path of *entry*, or None (recorded as an escape) when it leads outside the root."""
        if not entry.is_symlink():
            return entry.path
        target = os.path.realpath(entry.path)
        if self.inside(target):
            return target
        self.escapes.setdefault(path, target)
        return None

    def _list(self, real: str) -> list[os.DirEntry]:
        if real not in self._entries:
            try:
                with os.scandir(real) as it:
                    self._entries[real] = sorted(it, key=lambda e: e.name)
            except OSError:
                self._entries[real] = []
        return self._entries[real]


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
