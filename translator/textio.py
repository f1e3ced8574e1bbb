"""Reading input text safely and writing output files atomically."""

from __future__ import annotations

import errno
import functools
import os
import stat
import sys
import tempfile
import unicodedata
from pathlib import Path

from .errors import InputError, OutputError

STDIN = "-"
_SNIFF = 8192
# Characters a cp1252 French/Western text plausibly contains beyond ASCII.
_CP1252_PLAUSIBLE = set("«»‘’“”–—…€œŒ•\u00a0°§²³µ·×÷")


def decode(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode *data* to text; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such.  Other bytes
    are accepted as Windows-1252 only when every non-ASCII character decodes to a
    Latin letter or common typographic sign; anything else is refused.
    Raises :class:`InputError` for binary data, undecodable bytes or empty text.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot decode as {encoding}: {exc}", path=name) from None
        return _check_text(text, name), encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _check_text(data.decode("utf-16"), name), "utf-16"
    if b"\x00" in data[:_SNIFF]:
        raise InputError("binary file, not text: pass a UTF-8 text, Markdown or PO file", path=name)
    try:
        return _check_text(data.decode("utf-8-sig"), name), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(
        ord(ch) < 128 or ch in _CP1252_PLAUSIBLE or unicodedata.category(ch).startswith("L")
        for ch in text
    ):
        return _check_text(text, name), "cp1252"
    raise InputError(
        f"not UTF-8 (byte {utf8_error.start}): convert it with "
        "'iconv -f ENCODING -t UTF-8' or pass --encoding ENCODING",
        path=name,
    )


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError("empty file: nothing to translate", path=name)
    controls = sum(1 for ch in text[:_SNIFF] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text[:_SNIFF]) // 100):
        raise InputError("binary file, not text: pass a UTF-8 text, Markdown or PO file", path=name)
    return text


def read_text(path: str | os.PathLike[str], *, encoding: str | None = None) -> tuple[str, str]:
    """Read a text file (or standard input for ``"-"``); return ``(text, encoding)``."""
    name = os.fspath(path)
    if name == STDIN:
        return decode(sys.stdin.buffer.read(), name="<stdin>", encoding=encoding)
    p = Path(name)
    if p.is_dir():
        raise InputError("is a directory: pass the files inside it, for example DIR/*.txt", path=name)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file: check the path", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    return decode(data, name=name, encoding=encoding)


def output_path(source: str | os.PathLike[str], lang: str, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """``article.txt`` -> ``article.es.txt`` beside the input, or under *out_dir*."""
    return derived_path(source, f".{lang}{Path(source).suffix}", out_dir)


def derived_path(source: str | os.PathLike[str], ending: str, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """``article.txt`` + ``.review.html`` -> ``article.review.html`` beside it or under *out_dir*."""
    src = Path(source)
    stem = src.name[: -len(src.suffix)] if src.suffix else src.name
    return (Path(out_dir) if out_dir else src.parent) / f"{stem}{ending}"


def write_atomic(path: str | os.PathLike[str], text: str, *, protect: tuple[Path, ...] = (),
                 tmp_dir: str | os.PathLike[str] | None = None) -> None:
    """Write *text* as UTF-8 to *path* through a temporary file and a rename.

    The file gets the mode an ordinary write would give it: an existing file's mode is
    kept, a new file gets ``0o666`` less the umask.  The temporary file is made in
    *tmp_dir* when given (a private folder on the same file system, so that a crash
    cannot leave it among tracked files), else beside *path*.
    Refuses to write over any path in *protect* (the inputs of the run).
    """
    dest = Path(path)
    resolved = dest.resolve()
    if any(resolved == Path(p).resolve() for p in protect):
        raise OutputError("refusing to overwrite an input file: choose another -o DIR", path=str(dest))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(dest.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=tmp_dir or dest.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(dest)) from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and exc.errno == errno.EXDEV and tmp_dir is not None:
            return write_atomic(dest, text, protect=protect)  # another file system: beside it
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(dest)) from None
        raise


@functools.cache
def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    current = os.umask(0o022)
    os.umask(current)
    return current
