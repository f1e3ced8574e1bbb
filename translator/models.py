"""Installing, listing and removing Argos packages (argostranslate's package module).

Every archive is checked before argostranslate extracts it: one top folder, no
absolute paths, no ``..``, no links, and the files a package needs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .engines.argos import ArgosPackage, installed_packages, package_dirs, read_package
from .errors import EngineError, InputError
from .languages import ALIASES, NAMES

REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
_NAME = re.compile(r"^(?:translate-)?([a-zA-Z]{2,3})[_-]([a-zA-Z]{2,3})(?:-\d+(?:_\d+)*)?$")


def check_archive(path: Path) -> str:
    """Validate an ``.argosmodel`` file; return its top folder.  Raise :class:`EngineError`."""
    name = str(path)
    if not zipfile.is_zipfile(path):
        raise EngineError("not an Argos package: not a zip archive", path=name)
    with zipfile.ZipFile(path) as archive:
        tops = set()
        for info in archive.infolist():
            member = PurePosixPath(info.filename)
            if info.filename.startswith(("/", "\\")) or ".." in member.parts or ":" in member.parts[0] \
                    or "\\" in info.filename:
                raise EngineError(f"unsafe path in archive: {info.filename!r}", path=name)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise EngineError(f"link in archive, refused: {info.filename!r}", path=name)
            tops.add(member.parts[0])
        if len(tops) != 1:
            raise EngineError(f"archive must hold one package folder, found {len(tops)}", path=name)
        top = tops.pop()
        names = set(archive.namelist())
        missing = [f for f in REQUIRED if f"{top}/{f}" not in names]
        if missing:
            raise EngineError(f"incomplete package: missing {', '.join(missing)}", path=name)
        try:
            meta = json.loads(archive.read(f"{top}/metadata.json"))
        except ValueError as exc:
            raise EngineError(f"metadata.json: invalid JSON: {exc}", path=name) from None
    for key in ("from_code", "to_code"):
        code = str(meta.get(key, "")).lower() if isinstance(meta, dict) else ""
        if ALIASES.get(code, code) not in NAMES:
            raise EngineError(f"metadata.json: {key}: unknown language {code!r}", path=name)
    return top


def _argos_package_module():
    """argostranslate.package, pointed at the folder we read packages from.

    argostranslate resolves its folder once, at import; ours may change between
    calls (ARGOS_PACKAGES_DIR), so its settings are set again on every call.
    """
    target = package_dirs()[0]
    target.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ARGOS_PACKAGES_DIR", str(target))
    from argostranslate import package, settings

    settings.package_data_dir = target
    settings.package_dirs = [target]
    return package


def _find_installed(source: str, target: str) -> ArgosPackage | None:
    return next((p for p in installed_packages() if (p.source, p.target) == (source, target)), None)


def _install_file(path: Path) -> ArgosPackage:
    top = check_archive(path)
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read(f"{top}/metadata.json"))
    source = ALIASES.get(meta["from_code"].lower(), meta["from_code"].lower())
    target = ALIASES.get(meta["to_code"].lower(), meta["to_code"].lower())
    old = _find_installed(source, target)
    module = _argos_package_module()
    if old is not None:
        module.uninstall(module.Package(old.path))
    module.install_from_path(path)
    new = _find_installed(source, target)
    if new is None:
        raise EngineError("installed, but the package cannot be read back", path=str(path))
    return new


def install(spec: str) -> ArgosPackage:
    """Install from a ``.argosmodel`` file, an unpacked package folder, or by name
    (``translate-fr_en``) from the public index when online."""
    path = Path(spec)
    if path.is_file():
        return _install_file(path)
    if path.is_dir():
        read_package(path)  # checks metadata and required files
        for item in path.rglob("*"):
            if item.is_symlink():
                raise EngineError(f"link in package folder, refused: {item}", path=spec)
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / f"{path.name}.argosmodel"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
                for item in sorted(path.rglob("*")):
                    zf.write(item, f"{path.name}/{item.relative_to(path).as_posix()}")
            return _install_file(archive)
    m = _NAME.match(spec)
    if not m:
        raise InputError("no such file or folder, and not a package name such as translate-fr_en", path=spec)
    return _install_from_index(m.group(1).lower(), m.group(2).lower(), spec)


def _install_from_index(source: str, target: str, spec: str) -> ArgosPackage:
    module = _argos_package_module()
    try:
        module.update_package_index()
        available = module.get_available_packages()
    except Exception as exc:  # argostranslate raises bare exceptions for network failures
        raise EngineError(f"cannot read the Argos package index ({exc.__class__.__name__}): "
                          "offline? download the .argosmodel file elsewhere and run "
                          "'translate models install FILE.argosmodel'", path=spec) from None
    match = next((p for p in available if (p.from_code, p.to_code) == (source, target)), None)
    if match is None:
        raise EngineError(f"the Argos package index has no {source}->{target} package", path=spec)
    try:
        downloaded = Path(match.download())
    except Exception as exc:  # same: argostranslate's download raises bare exceptions
        raise EngineError(f"download failed ({exc.__class__.__name__}): {exc}", path=spec) from None
    return _install_file(downloaded)


def remove(spec: str) -> ArgosPackage:
    """Uninstall the package named ``translate-zh_en`` (or ``zh_en``, ``zh-en``)."""
    m = _NAME.match(spec)
    if not m:
        raise InputError("not a package name: use the name shown by 'translate models list'", path=spec)
    source = ALIASES.get(m.group(1).lower(), m.group(1).lower())
    target = ALIASES.get(m.group(2).lower(), m.group(2).lower())
    package = _find_installed(source, target)
    if package is None:
        raise EngineError("no such Argos package installed: see 'translate models list'", path=spec)
    module = _argos_package_module()
    try:
        module.uninstall(module.Package(package.path))
    except OSError as exc:
        raise EngineError(f"cannot remove: {exc}", path=str(package.path)) from None
    if package.path.exists():  # pragma: no cover - argostranslate removes the folder
        shutil.rmtree(package.path)
    return package
