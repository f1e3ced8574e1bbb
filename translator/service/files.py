"""``/translate_file``: uploads and translated files in a private folder (mode 0700).

A translated file is ``<folder>/<token>.<name>``, served once at
``/download_file/<token>.<name>`` (a random 128-bit token) and then deleted; files nobody
downloads are deleted *ttl* seconds after they were written.  The folder is on disk, not in a
worker's memory, so that with ``--workers N`` any worker serves any download; a download is
claimed by an atomic rename, so only one client gets it.  A download name must match
``<32 hex digits>.<[A-Za-z0-9._-] name>`` (no slash, no leading dot) before it is used."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .errors import ApiError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOWNLOAD = re.compile(r"[0-9a-f]{32}\.[A-Za-z0-9][A-Za-z0-9._-]{0,119}")


def safe_name(filename: str) -> str:
    """*filename*'s last component with only ``[A-Za-z0-9._-]`` (at most 100 characters)."""
    base = re.split(r"[\\/]", filename)[-1]
    cleaned = _UNSAFE.sub("_", base).lstrip("._-")[-100:].lstrip("._-")
    return cleaned or "file.txt"


def suffix_of(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def supported() -> tuple[str, ...]:
    """The file endings ``/translate_file`` takes (LibreTranslate's ``supportedFilesFormat``):
    those of every document type."""
    from .. import documents

    return documents.all_extensions()


def output_name(filename: str, ending: str) -> str:
    """``article.md`` with the ending ``.en.md``: ``article.en.md`` (as ``translate run`` names it)."""
    stem, _ = os.path.splitext(safe_name(filename))
    return f"{stem}{ending.lower()}"


class FileStore:
    """The private folder (made here, or given by the parent of several workers) and expiry."""

    def __init__(self, ttl: float, *, folder: str | Path | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._owned = folder is None  # removed at close only when made here
        self.folder = Path(folder) if folder else make_folder()
        self.ttl = ttl
        self._clock = clock

    def upload(self, filename: str, content: bytes) -> Path:
        """Keep an upload in the private folder (the caller deletes it after translating)."""
        path = self.folder / f"{secrets.token_hex(16)}-upload{suffix_of(filename)}"  # never a download name
        _write(path, content)
        return path

    def add(self, name: str, data: str | bytes) -> str:
        """Keep a translated file; return its download name ``<token>.<name>``."""
        self.expire()
        download = f"{secrets.token_hex(16)}.{name}"
        _write(self.folder / download, data if isinstance(data, bytes) else data.encode("utf-8"))
        return download

    def take(self, download: str) -> tuple[bytes, str]:
        """The file behind a download name, then deleted: 400 for a malformed name, 404 for an
        unknown, expired or already downloaded one."""
        self.expire()
        if _DOWNLOAD.fullmatch(download) is None:
            raise ApiError(400, "Invalid filename")
        claimed = self.folder / f".taken-{secrets.token_hex(8)}"
        try:
            os.rename(self.folder / download, claimed)  # one client gets it, even across workers
        except OSError:
            raise ApiError(404, "File not found: it expired or was already downloaded") from None
        try:
            return claimed.read_bytes(), download.split(".", 1)[1]
        finally:
            claimed.unlink(missing_ok=True)

    def expire(self) -> int:
        """Delete the files (translated, or uploads left by a crash) older than *ttl*; return how many."""
        limit = self._clock() - self.ttl
        old = 0
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime <= limit:
                    path.unlink()
                    old += 1
            except OSError:  # taken by another worker meanwhile
                continue
        return old

    @property
    def waiting(self) -> int:
        return sum(1 for p in self.folder.iterdir() if _DOWNLOAD.fullmatch(p.name))

    def close(self) -> None:
        if self._owned:
            shutil.rmtree(self.folder, ignore_errors=True)


def make_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="translator-serve-"))  # mode 0700


def _write(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
