"""Installing and removing Argos packages, without argostranslate.

A package is staged beside the packages folder, checked there (metadata, declared
sizes, the model and its SentencePiece model load), then moved into place with one
rename (an atomic exchange when it replaces a folder).  A package it replaces is
removed only once the new one is in place, and a failure at any point leaves the
packages folder as it was.  Folders and metadata follow argostranslate's layout, so
packages installed by ``argospm`` and by ``translate models`` are seen by both.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .engines.argos import ArgosPackage, installed_packages, package_dirs, read_package
from .errors import EngineError, InputError
from .languages import ALIASES
from .model_archive import check_archive, copy_folder, extract, max_size

_NAME = re.compile(r"^(?:translate-)?([a-zA-Z]{2,3})[_-]([a-zA-Z]{2,3})(?:-\d+(?:_\d+)*)?$")
STAGING_PREFIX = ".translator-staging-"


def install(spec: str) -> ArgosPackage:
    """Install from a ``.argosmodel`` file, an unpacked package folder, or by name
    (``translate-fr_en``) from the public index when online."""
    path = Path(spec)
    if path.is_file():
        checked = check_archive(path)
        return _install(lambda into: extract(checked, into), str(path))
    if path.is_dir():
        read_package(path)  # metadata and required files, before anything is copied
        return _install(lambda into: copy_folder(path, into), str(path))
    m = _NAME.match(spec)
    if not m or os.sep in spec or spec.endswith((".argosmodel", ".zip")):
        raise InputError("no such file or folder, and not a package name such as translate-fr_en", path=spec)
    return _install_by_name(_code(m.group(1)), _code(m.group(2)), spec)


def remove(spec: str) -> ArgosPackage:
    """Uninstall the package named ``translate-zh_en`` (or ``zh_en``, ``zh-en``)."""
    m = _NAME.match(spec)
    if not m:
        raise InputError("not a package name: use the name shown by 'translate models list'", path=spec)
    package = _installed(_code(m.group(1)), _code(m.group(2)))
    if package is None:
        raise InputError("no such Argos package installed: see 'translate models list'", path=spec)
    root = package.path.parent
    with _locked(root), _staging(root) as staging:
        try:
            os.rename(package.path, staging / package.path.name)
        except OSError as exc:
            raise EngineError(f"cannot remove: {exc.strerror or exc}", path=str(package.path)) from None
    return package


def _code(code: str) -> str:
    return ALIASES.get(code.lower(), code.lower())


def _installed(source: str, target: str) -> ArgosPackage | None:
    return next((p for p in installed_packages() if (p.source, p.target) == (source, target)), None)


def _install_by_name(source: str, target: str, spec: str) -> ArgosPackage:
    from . import model_index

    meta = model_index.find(model_index.fetch_index(), source, target)
    if meta is None:
        raise EngineError(f"the Argos package index has no {source}->{target} package", path=spec)
    archive = model_index.download(meta, limit=max_size())
    package = install(str(archive))
    archive.unlink(missing_ok=True)
    return package


def _install(stage, origin: str) -> ArgosPackage:
    """Stage a package with *stage(folder) -> package folder*, verify it, move it into place."""
    root = package_dirs()[0]
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EngineError(f"cannot create the packages folder: {exc.strerror or exc}", path=str(root)) from None
    with _locked(root), _staging(root) as staging:
        staged = stage(staging)
        new = _verify(staged, origin)
        dest = root / staged.name
        old = _installed(new.source, new.target)
        if dest.exists():
            _check_replaceable(dest, new, origin)
            _exchange(staged, dest)  # the old folder is now in staging, removed with it
        else:
            os.rename(staged, dest)
        if old is not None and old.path != dest:
            os.rename(old.path, staging / f"previous-{old.path.name}")
    installed = _installed(new.source, new.target)
    if installed is None or installed.path != dest:
        raise EngineError(f"installed in {dest}, but another folder serves {new.source}->{new.target}: "
                          "see 'translate models list'", path=origin)
    return installed


def _verify(staged: Path, origin: str) -> ArgosPackage:
    """The staged package reads back and its models load."""
    package = read_package(staged)
    from .engines.argos import load_model

    try:
        load_model(package, threads=1)
    except EngineError as exc:
        raise EngineError(f"the package does not load: {exc.message}", path=origin) from None
    return package


def _check_replaceable(dest: Path, new: ArgosPackage, origin: str) -> None:
    try:
        occupant = read_package(dest)
    except EngineError:
        raise EngineError(f"{dest} exists and is not a readable package: move it away first", path=origin) from None
    if (occupant.source, occupant.target) != (new.source, new.target):
        raise EngineError(f"its folder name {dest.name} is taken by the {occupant.source}->{occupant.target} "
                          "package: refusing to replace it", path=origin)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders atomically (Linux renameat2); elsewhere, two renames."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
    aside = a.with_name(a.name + ".previous")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


@contextlib.contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A private folder beside the packages folder (same file system, never listed as a
    package), removed on the way out whatever happens."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=root.parent))
    except OSError as exc:
        raise EngineError(f"cannot create a staging folder beside it: {exc.strerror or exc}",
                          path=str(root)) from None
    try:
        yield staging
    except OSError as exc:
        raise EngineError(f"cannot install: {exc.strerror or exc}", path=str(root)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One package operation at a time per packages folder; stale staging folders of
    processes that died are removed first."""
    with open(root.parent / f".{root.name}.translator-lock", "a+") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        for stale in root.parent.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield
