"""``/translate_file``: uploads and translated files in a private folder (mode 0700) that only
this worker knows.  A translated file is served once, at ``/download_file/<token>.<name>``
(a random 128-bit token), then deleted; files nobody downloads are deleted after *ttl*
seconds.  Download names are looked up in a table, never joined to a path."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ApiError

#: The document types ``/translate_file`` takes (LibreTranslate's ``supportedFilesFormat``).
SUPPORTED = (".txt", ".md", ".markdown", ".po", ".pot")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOWNLOAD = re.compile(r"([0-9a-f]{32})\.([A-Za-z0-9][A-Za-z0-9._-]{0,119})")


@dataclass
class Stored:
    path: Path
    name: str
    expires: float


def safe_name(filename: str) -> str:
    """*filename*'s last component with only ``[A-Za-z0-9._-]`` (at most 100 characters)."""
    base = re.split(r"[\\/]", filename)[-1]
    cleaned = _UNSAFE.sub("_", base).lstrip("._-")[-100:].lstrip("._-")
    return cleaned or "file.txt"


def suffix_of(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def output_name(filename: str, target: str) -> str:
    """``article.md`` translated to en: ``article.en.md`` (as ``translate run`` names it)."""
    stem, ext = os.path.splitext(safe_name(filename))
    return f"{stem}.{target}{ext.lower()}"


class FileStore:
    """The private folder, the table of files waiting for their download, and their expiry."""

    def __init__(self, ttl: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="translator-serve-"))  # mode 0700
        self.ttl = ttl
        self._clock = clock
        self._files: dict[str, Stored] = {}

    def upload(self, filename: str, content: bytes) -> Path:
        """Keep an upload in the private folder (the caller deletes it after translating)."""
        path = self.folder / f"{secrets.token_hex(16)}.upload{suffix_of(filename)}"
        _write(path, content)
        return path

    def add(self, name: str, text: str) -> str:
        """Keep a translated file; return its download name ``<token>.<name>``."""
        self.expire()
        token = secrets.token_hex(16)
        path = self.folder / token
        _write(path, text.encode("utf-8"))
        self._files[token] = Stored(path, name, self._clock() + self.ttl)
        return f"{token}.{name}"

    def take(self, download: str) -> tuple[bytes, str]:
        """The file behind a download name, then deleted: 400 for a malformed name, 404 for an
        unknown, expired or already downloaded one."""
        self.expire()
        match = _DOWNLOAD.fullmatch(download)
        if match is None:
            raise ApiError(400, "Invalid filename")
        stored = self._files.get(match.group(1))
        if stored is None or stored.name != match.group(2):
            raise ApiError(404, "File not found: it expired or was already downloaded")
        del self._files[match.group(1)]
        try:
            return stored.path.read_bytes(), stored.name
        finally:
            stored.path.unlink(missing_ok=True)

    def expire(self) -> int:
        """Delete the files past their time; return how many."""
        now = self._clock()
        old = [token for token, stored in self._files.items() if stored.expires <= now]
        for token in old:
            self._files.pop(token).path.unlink(missing_ok=True)
        return len(old)

    @property
    def waiting(self) -> int:
        return len(self._files)

    def close(self) -> None:
        self._files.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


def _write(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
