"""Argos package archives (``.argosmodel``: a zip of one package folder), checked whole
before a byte is extracted, then extracted with every declared size enforced.

Refused: absolute paths, ``..``, ``.``, drive letters and backslashes, links, duplicate
entries, more than one top folder, encrypted entries, compression methods the standard
library cannot read, a ``metadata.json`` over 1 MiB, a total size over the cap (4 GiB by
default, ``TRANSLATOR_MAX_PACKAGE_SIZE`` in bytes to change it), entries that expand more
than 200 times (zip bombs), and archives without the files a package needs.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .engines.argos import MAX_METADATA, language_code
from .errors import EngineError

REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
MAX_RATIO = 200  # expansion allowed for one entry; models compress about 1.1:1
DEFAULT_MAX_SIZE = 4 << 30
_CHUNK = 1 << 20


def max_size() -> int:
    """The cap on a package's unpacked size, in bytes (``TRANSLATOR_MAX_PACKAGE_SIZE``)."""
    value = os.environ.get("TRANSLATOR_MAX_PACKAGE_SIZE", "")
    try:
        return int(value) if value else DEFAULT_MAX_SIZE
    except ValueError:
        raise EngineError(f"TRANSLATOR_MAX_PACKAGE_SIZE={value!r}: not a number of bytes") from None


@dataclass(frozen=True)
class Archive:
    """What the check of an archive found: its one top folder, languages and total size."""

    path: Path
    top: str
    source: str
    target: str
    size: int
    metadata: dict[str, Any]


def check_archive(path: Path, *, limit: int | None = None) -> Archive:
    """Validate an ``.argosmodel`` file without extracting it; raise :class:`EngineError`."""
    name = str(path)
    limit = max_size() if limit is None else limit
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise EngineError("not an Argos package: not a zip archive", path=name) from None
    except OSError as exc:
        raise EngineError(f"cannot read: {exc.strerror or exc}", path=name) from None
    with archive:
        infos = archive.infolist()
        tops, seen, total = set(), set(), 0
        for info in infos:
            _check_entry(info, name)
            if info.filename in seen:
                raise EngineError(f"duplicate entry in archive: {info.filename!r}", path=name)
            seen.add(info.filename)
            tops.add(PurePosixPath(info.filename).parts[0])
            total += info.file_size
        if total > limit:
            raise EngineError(f"package unpacks to {total:,} bytes, over the {limit:,}-byte cap "
                              "(set TRANSLATOR_MAX_PACKAGE_SIZE to allow it)", path=name)
        if len(tops) != 1:
            raise EngineError(f"archive must hold one package folder, found {len(tops)}", path=name)
        top = tops.pop()
        missing = [f for f in REQUIRED if f"{top}/{f}" not in seen]
        if missing:
            raise EngineError(f"incomplete package: missing {', '.join(missing)}", path=name)
        meta_info = archive.getinfo(f"{top}/metadata.json")
        if meta_info.file_size > MAX_METADATA:
            raise EngineError(f"metadata.json is {meta_info.file_size:,} bytes: not a package's metadata",
                              path=name)
        try:
            meta = json.loads(_read_member(archive, meta_info, name))
        except ValueError as exc:
            raise EngineError(f"metadata.json: invalid JSON: {exc}", path=name) from None
    if not isinstance(meta, dict):
        raise EngineError("metadata.json: not a JSON object", path=name)
    if meta.get("type", "translate") != "translate":
        raise EngineError("metadata.json: not a translation package", path=name)
    return Archive(Path(path), top, language_code(meta, "from_code", name), language_code(meta, "to_code", name),
                   total, meta)


def _check_entry(info: zipfile.ZipInfo, name: str) -> None:
    parts = info.filename.rstrip("/").split("/")
    if "\\" in info.filename or ":" in parts[0] or any(p in ("", ".", "..") for p in parts):
        raise EngineError(f"unsafe path in archive: {info.filename!r}", path=name)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise EngineError(f"link in archive, refused: {info.filename!r}", path=name)
    if info.flag_bits & 0x1:
        raise EngineError(f"encrypted entry in archive: {info.filename!r}", path=name)
    if info.compress_type not in METHODS:
        raise EngineError(f"unsupported compression method {info.compress_type} for {info.filename!r}",
                          path=name)
    if info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise EngineError(f"{info.filename!r} expands {info.file_size // max(info.compress_size, 1):,} times: "
                          "refused as a zip bomb", path=name)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise EngineError(f"corrupt archive: {info.filename}: {exc}", path=name) from None


def extract(checked: Archive, into: Path) -> Path:
    """Extract a checked archive under *into*; return the package folder.

    Each entry must produce exactly its declared size (and its CRC, which zipfile checks).
    """
    name = str(checked.path)
    try:
        with zipfile.ZipFile(checked.path) as archive:
            for info in archive.infolist():
                dest = into.joinpath(*PurePosixPath(info.filename).parts)
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with archive.open(info) as src, open(dest, "xb") as out:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > info.file_size:
                            break
                        out.write(chunk)
                if written != info.file_size:
                    raise EngineError(f"corrupt archive: {info.filename} holds {written:,} bytes, "
                                      f"declares {info.file_size:,}", path=name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise EngineError(f"corrupt archive: {exc}", path=name) from None
    except OSError as exc:
        raise EngineError(f"cannot extract into {into}: {exc.strerror or exc}", path=name) from None
    return into / checked.top


def copy_folder(folder: Path, into: Path) -> Path:
    """Copy an unpacked package folder under *into* (links refused); return the copy."""
    for item in folder.rglob("*"):
        if item.is_symlink():
            raise EngineError(f"link in package folder, refused: {item}", path=str(folder))
    dest = into / folder.name
    try:
        shutil.copytree(folder, dest, symlinks=True)
    except (OSError, shutil.Error) as exc:
        raise EngineError(f"cannot copy into {into}: {exc}", path=str(folder)) from None
    return dest
