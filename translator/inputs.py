"""The files a command line names: folders expanded to the supported files inside them."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from pathlib import Path

from .languages import NAMES


def supported() -> tuple[str, ...]:
    """File endings a folder is searched for: those of every document type."""
    from . import documents

    return documents.all_extensions()

#: What this tool writes beside its inputs: never taken as input when a folder is expanded.
_REVIEW_ENDINGS = (".review.html", ".review.md", ".tmx", ".new")


def expand(names: Sequence[str], *, recursive: bool = False, include: Iterable[str] = (),
           exclude: Iterable[str] = ()) -> list[str]:
    """*names* with each folder replaced by the supported files in it (sorted; below it
    too with *recursive*), filtered by *include* and *exclude* globs matched against the
    path below the folder and against the file name.  Files named directly are kept as
    given, whatever their type.  Translations this tool wrote (``NAME.<lang>.EXT`` for a
    language code, review and exchange files) are skipped inside folders."""
    include, exclude = list(include), list(exclude)
    found: list[str] = []
    for name in names:
        folder = Path(name)
        if name == "-" or not folder.is_dir():
            found.append(name)
            continue
        pattern = "**/*" if recursive else "*"
        for path in sorted(folder.glob(pattern)):
            below = path.relative_to(folder).as_posix()
            if path.is_file() and _wanted(below, include, exclude) and not _generated(path.name):
                found.append(str(path))
    return found


def _wanted(below: str, include: list[str], exclude: list[str]) -> bool:
    name = below.rsplit("/", 1)[-1]
    if not name.lower().endswith(supported()):
        return False
    if include and not any(_match(below, name, g) for g in include):
        return False
    return not any(_match(below, name, g) for g in exclude)


def _match(below: str, name: str, glob: str) -> bool:
    return fnmatch.fnmatchcase(below, glob) or fnmatch.fnmatchcase(name, glob)


def _generated(name: str) -> bool:
    if name.endswith(_REVIEW_ENDINGS):
        return True
    parts = name.split(".")
    return len(parts) >= 3 and parts[-2] in NAMES
