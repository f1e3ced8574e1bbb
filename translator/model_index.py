"""The public Argos package index (a JSON list of packages with download links),
read and downloaded with the standard library: installing by name needs no
argostranslate.  Folders and settings are argostranslate's, so ``argospm`` and
``translate models`` share the index copy, the downloads and the packages.

Offline, a request fails within :data:`CONNECT_DEADLINE` seconds, DNS included.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .errors import EngineError
from .engines.argos import language_code

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
CONNECT_DEADLINE = 4.0  # seconds to get a response, name resolution included
READ_TIMEOUT = 60.0  # seconds without a byte while downloading
USER_AGENT = "translator (Argos package index client)"
_OFFLINE_FIX = "offline? install from a file with 'translate models install FILE.argosmodel'"


def _settings() -> dict[str, Any]:
    home = Path.home()
    path = Path(os.environ.get("XDG_CONFIG_HOME", home / ".config")) / "argos-translate" / "settings.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "argos-translate"


def index_url() -> str:
    """``ARGOS_PACKAGE_INDEX`` (environment, then argostranslate's settings) + ``index.json``."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or _settings().get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    return str(base) + ("" if str(base).endswith("/") else "/") + "index.json"


def downloads_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "argos-translate"
    return cache / "downloads"


def _open(url: str, what: str):
    """``urlopen`` with a deadline on the whole connection, DNS included (a thread,
    since name resolution ignores socket timeouts)."""
    outcome: dict[str, Any] = {}

    def connect() -> None:
        try:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            outcome["response"] = urllib.request.urlopen(request, timeout=READ_TIMEOUT)
        except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
            outcome["error"] = exc

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(CONNECT_DEADLINE)
    if "response" in outcome:
        return outcome["response"]
    exc = outcome.get("error")
    reason = "no answer" if exc is None else getattr(exc, "reason", None) or exc
    if isinstance(exc, urllib.error.HTTPError):
        raise EngineError(f"{what}: HTTP {exc.code} from {url}")
    raise EngineError(f"cannot reach {what} at {url} ({reason}): {_OFFLINE_FIX}")


def fetch_index() -> list[dict[str, Any]]:
    """Download the index, keep a copy where argospm keeps it, and return its packages."""
    url = index_url()
    with _open(url, "the Argos package index") as response:
        try:
            data = response.read()
        except OSError as exc:
            raise EngineError(f"cannot read the Argos package index at {url}: {exc}: {_OFFLINE_FIX}") from None
    try:
        packages = json.loads(data)
    except ValueError as exc:
        raise EngineError(f"the Argos package index at {url} is not JSON: {exc}") from None
    if not isinstance(packages, list):
        raise EngineError(f"the Argos package index at {url} is not a list of packages")
    from .errors import OutputError
    from .textio import write_atomic

    try:  # a courtesy to argospm ('argospm search' reads it); installing goes on without it
        write_atomic(_data_home() / "index.json", data.decode("utf-8", "replace"))
    except OutputError:
        pass
    return [p for p in packages if isinstance(p, dict)]


def find(packages: list[dict[str, Any]], source: str, target: str) -> dict[str, Any] | None:
    """The newest translation package for *source* -> *target*."""
    found = []
    for meta in packages:
        if meta.get("type", "translate") != "translate":
            continue
        try:
            pair = (language_code(meta, "from_code", "index"), language_code(meta, "to_code", "index"))
        except EngineError:
            continue
        if pair == (source, target) and meta.get("links"):
            found.append(meta)
    return max(found, key=lambda m: _version(m.get("package_version", "0")), default=None)


def _version(text: object) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in str(text).split("."))


def download(meta: dict[str, Any], *, limit: int) -> Path:
    """Download a package's archive into argostranslate's downloads folder; return its path."""
    name = f"translate-{meta['from_code']}_{meta['to_code']}-{str(meta.get('package_version', '0')).replace('.', '_')}"
    folder = downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{name}.argosmodel"
    errors = []
    for url in (str(u) for u in meta.get("links", [])):
        try:
            with _open(url, f"the {name} package") as response:
                _save(response, dest, limit)
            return dest
        except EngineError as exc:
            errors.append(str(exc))
    raise EngineError(f"download failed: {'; '.join(errors) or 'the index gives no link'}", path=name)


def _save(response, dest: Path, limit: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            copied = 0
            while chunk := response.read(1 << 20):
                copied += len(chunk)
                if copied > limit:
                    raise EngineError(f"download is over the {limit:,}-byte cap "
                                      "(set TRANSLATOR_MAX_PACKAGE_SIZE to allow it)", path=str(dest))
                out.write(chunk)
        os.replace(tmp, dest)
    except OSError as exc:
        raise EngineError(f"download interrupted: {exc}", path=str(dest)) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

