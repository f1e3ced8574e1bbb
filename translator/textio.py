"""Reading input text safely and writing output files atomically."""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Collection, Iterable
from pathlib import Path

from .errors import InputError, OutputError, UsageError

STDIN = "-"
_SNIFF = 8192
#: The largest input read by default (the CLI's ``--max-size``): far above any article,
#: far below what would exhaust memory.
DEFAULT_MAX_SIZE = 50 * 1000 * 1000
# Characters a cp1252 French/Western text plausibly contains beyond ASCII.
_CP1252_PLAUSIBLE = set("«»‘’“”–—…€œŒ•\u00a0°§²³µ·×÷")
# A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_CONVERT = "convert it with 'iconv -f ENCODING -t UTF-8' or pass --encoding ENCODING"
_BINARY = ("binary file, not text: pass a text document (plain text, Markdown, PO, HTML, XLIFF, SRT, "
           "WebVTT) or a Word file")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode *data* to text; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such.  Other bytes
    are accepted as Windows-1252 only when they hold no well-formed multi-byte UTF-8
    sequence (else they are UTF-8 with a damaged byte, and decoding them as cp1252
    would turn every accent into mojibake) and every non-ASCII character decodes to
    a Latin letter or common typographic sign; anything else is refused.
    Raises :class:`InputError` (naming the line and byte) for binary data (a NUL
    anywhere), undecodable bytes or empty text.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}: pass a Python codec name such as cp1252",
                             path=name) from None
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc.start, name, f"not {encoding}") from None
        return _check_text(text, name), encoding
    if data.startswith(_UTF16_BOMS):
        try:
            return _check_text(data.decode("utf-16"), name), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc.start, name, "not UTF-16") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"NUL byte (byte {nul}): {_BINARY}", path=_at_line(name, data, nul))
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return _check_text(data[bom:].decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError as exc:
        bad = bom + exc.start
    if _UTF8_MULTIBYTE.search(data):
        raise InputError(f"not UTF-8 (byte {bad}: 0x{data[bad]:02X}) in a file that also holds UTF-8: "
                         f"repair that byte, or {_CONVERT}", path=_at_line(name, data, bad))
    text = data.decode("cp1252", errors="replace")
    if all(ord(ch) < 128 or ch in _CP1252_PLAUSIBLE or unicodedata.category(ch).startswith("L") for ch in text):
        return _check_text(text, name), "cp1252"
    raise _undecodable(data, bad, name, "not UTF-8")


def _at_line(name: str, data: bytes, offset: int) -> str:
    """``name:LINE`` for the line holding byte *offset* (counting LF bytes)."""
    line = data.count(b"\n", 0, offset) + 1
    return f"{name}:{line}"


def _undecodable(data: bytes, offset: int, name: str, what: str) -> InputError:
    return InputError(f"{what} (byte {offset}): {_CONVERT}", path=_at_line(name, data, offset))


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError("empty file: nothing to translate", path=name)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(f"NUL character (character {nul}): {_BINARY}", path=f"{name}:{line}")
    controls = sum(1 for ch in text[:_SNIFF] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text[:_SNIFF]) // 100):
        raise InputError(_BINARY, path=name)
    return text


def read_text(path: str | os.PathLike[str], *, encoding: str | None = None,
              max_size: int = DEFAULT_MAX_SIZE) -> tuple[str, str]:
    """Read a text file (or standard input for ``"-"``); return ``(text, encoding)``.

    Only regular files are read (a FIFO would block, a device never ends), and never
    more than *max_size* bytes."""
    name = os.fspath(path)
    return decode(read_bytes(name, max_size=max_size), name="<stdin>" if name == STDIN else name,
                  encoding=encoding)


def read_bytes(path: str | os.PathLike[str], *, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """The bytes of the regular file *path*, refused (:class:`InputError`) if it is
    missing, not a regular file or larger than *max_size*.

    The type is checked with ``stat`` before opening, and again on the open file
    (opened non-blocking, so a FIFO swapped in between cannot hang us).  ``"-"`` is
    standard input, capped the same way."""
    name = os.fspath(path)
    if name == STDIN:
        return _read_capped(sys.stdin.buffer, "<stdin>", max_size)
    try:
        _check_regular(os.stat(name), name, max_size)
        fd = os.open(name, os.O_RDONLY | _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError("no such file: check the path", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    with os.fdopen(fd, "rb") as fh:
        try:
            _check_regular(os.fstat(fd), name, max_size)
            return _read_capped(fh, name, max_size)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None


# Non-blocking: a FIFO swapped in after the stat must not wait for a writer.
_OPEN_FLAGS = sum(getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"))
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _check_regular(st: os.stat_result, name: str, max_size: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory: pass the files inside it, for example DIR/*.txt", path=name)
    if not stat.S_ISREG(st.st_mode):
        kind = next((k for test, k in _KINDS if test(st.st_mode)), "not a regular file")
        raise InputError(f"{kind}, not a regular file: pass a file, or '-' and pipe it to standard input",
                         path=name)
    if st.st_size > max_size:
        raise _too_large(name, st.st_size, max_size)


def _read_capped(stream, name: str, max_size: int) -> bytes:
    """At most *max_size* bytes of *stream*; one byte more means the input is too large
    (a file that grew since ``stat``, or standard input)."""
    data = stream.read(max_size + 1)
    if len(data) > max_size:
        raise _too_large(name, None, max_size)
    return data


def _too_large(name: str, size: int | None, max_size: int) -> InputError:
    """*size*: the file's size, or None when reading stopped at the limit."""
    size_text, limit = (format_size(size) if size is not None else None), format_size(max_size)
    if size_text == limit:  # 50000001 bytes: "50 MB, over the limit of 50 MB" would puzzle
        size_text, limit = f"{size:,} bytes", f"{max_size:,} bytes"
    over = f"{size_text}, over" if size_text else "more than"
    return InputError(f"too large: {over} the limit of {limit}: "
                      "split it, or raise the limit with --max-size SIZE", path=name)


_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def parse_size(text: str, *, option: str = "--max-size") -> int:
    """``"50MB"`` -> 50000000; also bytes (``"1024"``), kB, GB and KiB, MiB, GiB."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    unit = m.group(2).lower() if m else ""
    if not m or unit not in _UNITS or float(m.group(1)) * _UNITS[unit] < 1:
        raise UsageError(f"{option}: {text!r} is not a size: write for example 50MB, 500kB, 2GiB or 1048576")
    return int(float(m.group(1)) * _UNITS[unit])


def format_size(size: int) -> str:
    """``52428800`` -> ``"52.4 MB"``; small sizes in bytes."""
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def output_path(source: str | os.PathLike[str], lang: str, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """``article.txt`` -> ``article.es.txt`` beside the input, or under *out_dir*."""
    return derived_path(source, f".{lang}{Path(source).suffix}", out_dir)


def derived_path(source: str | os.PathLike[str], ending: str, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """``article.txt`` + ``.review.html`` -> ``article.review.html`` beside it or under *out_dir*."""
    src = Path(source)
    stem = src.name[: -len(src.suffix)] if src.suffix else src.name
    return (Path(out_dir) if out_dir else src.parent) / f"{stem}{ending}"


def protected(paths: Iterable[str | os.PathLike[str]]) -> frozenset[Path]:
    """*paths* resolved once, for the *protect* of many writes (a run over thousands of
    files checks each output against a set, not against every input again)."""
    return frozenset(Path(p).resolve() for p in paths)


def is_protected(path: Path, protect: Collection[str | os.PathLike[str]]) -> bool:
    """Whether *path* is one of *protect* once symlinks are resolved (an input of the run)."""
    resolved = path.resolve()
    if isinstance(protect, frozenset):
        return resolved in protect
    return any(resolved == Path(p).resolve() for p in protect)


def write_atomic(path: str | os.PathLike[str], text: str | bytes, *,
                 protect: Collection[str | os.PathLike[str]] = (),
                 tmp_dir: str | os.PathLike[str] | None = None) -> None:
    """Write *text* as UTF-8 (or bytes as they are) to *path* through a temporary file and a rename.

    The file gets the mode an ordinary write would give it: an existing file's mode is
    kept, a new file gets ``0o666`` less the umask.  The temporary file is made in
    *tmp_dir* when given (a private folder on the same file system, so that a crash
    cannot leave it among tracked files), else beside *path*.
    Refuses to write over any path in *protect* (the inputs of the run; a frozenset is
    taken as already resolved: :func:`protected`).
    """
    dest = Path(path)
    if is_protected(dest, protect):
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
        with os.fdopen(fd, "wb") as fh:
            fh.write(text if isinstance(text, bytes) else text.encode("utf-8"))
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


class AtomicWriter:
    """A file written in pieces that appears whole or not at all: the pieces go to a
    temporary file beside *path* (with the mode an ordinary write would give it), renamed
    over *path* by :meth:`commit`; :meth:`discard` (or an error) leaves *path* as it was."""

    def __init__(self, path: str | os.PathLike[str], *, protect: Collection[str | os.PathLike[str]] = ()) -> None:
        self.path = Path(path)
        if is_protected(self.path, protect):
            raise OutputError("refusing to overwrite an input file: choose another -o DIR", path=str(self.path))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                mode = stat.S_IMODE(self.path.stat().st_mode)
            except FileNotFoundError:
                mode = 0o666 & ~_umask()
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            os.fchmod(fd, mode)
            self._file = os.fdopen(fd, "wb")
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(self.path)) from None

    def write(self, text: str) -> None:
        try:
            self._file.write(text.encode("utf-8"))
        except OSError as exc:
            self.discard()
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(self.path)) from None

    def commit(self) -> None:
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.discard()
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(self.path)) from None

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        try:
            os.unlink(self._tmp)
        except OSError:
            pass


@functools.cache
def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    current = os.umask(0o022)
    os.umask(current)
    return current
