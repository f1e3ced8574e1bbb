"""The bytes of an input file (PO, TMX), with the one-line errors of :mod:`translator.textio`.

PO and TMX files declare their own encoding, so they are read as bytes and decoded
by their readers.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of *path*; :class:`InputError` if it is missing, a directory or unreadable."""
    name = os.fspath(path)
    if Path(name).is_dir():
        raise InputError("is a directory: pass the files inside it, for example DIR/*.po", path=name)
    try:
        return Path(name).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise InputError("no such file: check the path", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
