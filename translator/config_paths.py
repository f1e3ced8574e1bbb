"""Where a repository's configuration reads and writes: inside the repository, one file each.

A cloned repository's configuration must not make a hook read or write anywhere else
the user can.  :func:`path_problem` and :func:`template_problems` refuse what the text
alone shows (absolute paths, ``..``, ``.git``, an output template without ``{lang}`` or a
per-source placeholder); :func:`check` then lists the sources (one read per
folder) and maps every (source, language) to its output before anything is written,
refusing the configuration when a source or an output resolves outside the root
(symlinks followed), when two pairs share an output, when an output is a source or would
be listed as one on the next run, or when it is the memory or the lock file.
"""

from __future__ import annotations

import os
import posixpath
import stat
import string
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING

from . import globs
from .errors import ConfigError

if TYPE_CHECKING:
    from .config import Config

GIT = ".git"
FIELDS = ("lang", "path", "dir", "stem", "name", "suffix")  # the placeholders of the output template
PER_SOURCE = ("path", "name", "stem")  # at least one, so that sources do not all share one output
COMPANIONS = {"memory": ("-wal", "-shm", "-journal"), "lock": (".flock",)}  # opened beside them, symlinks followed
MAX_LINES = 20  # a template wrong for every source gives this many examples, then a count


def path_problem(value: str, *, template: bool = False) -> str | None:
    """Why the configured path, glob or output *template* cannot be used, or None.

    A template may go up with ``..`` after a placeholder (``{dir}/../{lang}/{name}``):
    :func:`check` then checks each output it gives.
    """
    pieces = value.split("/")
    if "\0" in value:
        return f"{value!r} contains a NUL character"
    if value.startswith(("/", "\\")) or PureWindowsPath(value).drive:
        return f"{value!r} is absolute: write it relative to the repository root"
    if ".." in (pieces[:1] if template else pieces):
        return f"{value!r} goes up with '..', out of the repository: write it from the repository root"
    if GIT in pieces:
        return f"{value!r} is inside .git, which belongs to git: choose a folder of the repository"
    return None


def template_problems(output: str) -> list[str]:
    """What is wrong with the output template: its placeholders (parsed, so ``{{lang}}`` is
    literal text), then the path it starts with."""
    try:
        names = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(output) if f is not None]
    except ValueError as exc:
        return [f"{output!r}: {exc}: write {{{{ and }}}} for literal braces"]
    problems = []
    for name, spec, conversion in names:
        if name not in FIELDS:
            problems.append(f"unknown placeholder {name!r} (use {', '.join('{' + f + '}' for f in FIELDS)})")
        elif spec or conversion:
            problems.append(f"{{{name}}} takes no format or conversion: write it bare")
    used = {name for name, _, _ in names}
    if "lang" not in used:
        problems.append("must contain {lang}, or every language would write the same file")
    if not used & set(PER_SOURCE):
        problems.append("must contain {path}, {name} or {stem}, or every source would write the same file")
    problem = path_problem(output, template=True)
    return problems + ([problem] if problem else [])


def check(cfg: Config) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """The sources of *cfg* and its whole mapping ``{output: (source, language)}``;
    raise :class:`ConfigError` with one line per problem found."""
    return _Check(cfg).run()


class _Check:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.listing = globs.Listing(os.path.realpath(cfg.root))
        self.problems: list[str] = []
        self.dirs: dict[str, str] = {}  # relative folder -> its real path
        self.owners: dict[str, str] = {}  # real path -> what it is ("the source file x", "the lock file")

    def run(self) -> tuple[list[str], dict[str, tuple[str, str]]]:
        for pattern in self.cfg.sources:
            self.listing.add(pattern)
        for path, target in self.listing.escapes.items():
            self.bad("sources", f"{path} is a symlink to {target}, outside the repository: sources must be inside it")
        files = sorted(self.listing.files)
        for rel in files:
            self.owners.setdefault(self.listing.files[rel], f"the source file {rel}")
        for key in ("memory", "lock"):
            self.check_special(key)
        mapping, by_real = {}, {}
        for source in files:
            for lang in self.cfg.targets:
                out = self.cfg.output_for(source, lang)
                real = self.check_output(out, f"{out} (for {source} in {lang})")
                if real in by_real:
                    other, other_lang = mapping[by_real[real]]
                    self.bad("output", f"{source} in {lang} and {other} in {other_lang} would both be written to "
                                       f"{out}: use placeholders that tell them apart ({{lang}} and {{path}})")
                elif real is not None:
                    by_real[real] = out
                    mapping[out] = (source, lang)
        if self.problems:
            more = len(self.problems) - MAX_LINES
            raise ConfigError(self.problems[:MAX_LINES] + ([f"{self.cfg.file}: and {more} more problems like these"]
                                                          if more > 0 else []))
        return files, mapping

    def bad(self, key: str, problem: str) -> None:
        self.problems.append(self.cfg.problem(key, problem))

    def check_special(self, key: str) -> None:
        """The memory or the lock file, and the files written beside it (SQLite's journals, the
        lock's lock): inside the root, and neither a source nor the other one."""
        rel = posixpath.normpath(getattr(self.cfg, key))
        for path in (rel, *(rel + suffix for suffix in COMPANIONS[key])):
            real = self.check_output(path, path, key=key)
            if real is not None:
                self.owners[real] = f"the {key} file"

    def check_output(self, out: str, what: str, *, key: str = "output") -> str | None:
        """The real path *out* is written to, or None after recording why it must not be."""
        if out == ".." or out.startswith(("../", "/")):
            self.bad(key, f"{what} is outside the repository: keep it inside")
            return None
        if GIT in out.split("/"):
            self.bad(key, f"{what} is inside .git, which belongs to git")
            return None
        real, folder = self.real(out)
        pattern = next((p for p in self.cfg.sources if globs.match(out, p)), None)
        if not self.listing.inside(real):
            self.bad(key, f"{what} leads outside the repository through a symlink (to {real})")
        elif real in self.owners:
            self.bad(key, f"{what} is {self.owners[real]}: choose another path")
        elif pattern is not None:
            self.bad(key, f"{what} is named by the source glob {pattern!r}, so it would be read as a source on "
                          "the next run: narrow sources or write it elsewhere")
        elif folder:
            self.bad(key, f"{what} is a folder")
        else:
            return real
        return None

    def real(self, rel: str) -> tuple[str, bool]:
        """The real path of *rel* (symlinks in its folders and itself followed, one lookup per
        folder), and whether it is an existing folder."""
        parent, name = posixpath.split(rel)
        if parent not in self.dirs:
            self.dirs[parent] = os.path.realpath(os.path.join(self.listing.root, parent))
        path = os.path.join(self.dirs[parent], name)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return path, False
        if stat.S_ISLNK(mode):
            path = os.path.realpath(path)
            return path, os.path.isdir(path)
        return path, stat.S_ISDIR(mode)
