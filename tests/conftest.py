"""Shared fixtures.  Tests never touch the user's folders nor the network.

Real engines are used when present: the Argos zh->en package from ../shared and
Debian's Apertium.  A test that needs one is skipped, with the reason, only when
it is truly absent (CI installs both).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRANSLATOR_SHARED", ROOT.parent / "shared"))
MODEL = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
FLORES = SHARED / "data" / "flores200-dev"
LANGID = SHARED / "data" / "langid"
SAMPLES = ROOT / "samples"


def _apertium_ready() -> bool:
    return shutil.which("apertium") is not None and Path("/usr/share/apertium/modes/fr-es.mode").exists()


needs_apertium = pytest.mark.skipif(not _apertium_ready(), reason="Apertium with apertium-fr-es not installed (make setup)")
needs_model = pytest.mark.skipif(not MODEL.exists(), reason=f"shared Argos package absent: {MODEL}")
needs_flores = pytest.mark.skipif(not FLORES.exists(), reason=f"FLORES-200 dev absent: {FLORES}")
needs_langid = pytest.mark.skipif(not LANGID.exists(), reason=f"langid data absent: {LANGID}")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Argos and XDG folders in a temporary place, empty unless a test installs a package."""
    base = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(base / sub))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(base / "packages"))
    monkeypatch.setenv("TRANSLATOR_RUNTIME_DIR", str(base / "run"))
    yield base
    if (base / "run").is_dir():  # stop an Apertium server a test started
        from translator.engines import apertium_server

        for sock in (base / "run").glob("*.sock"):
            try:
                apertium_server.request({"command": "stop"}, path=sock, timeout=5)
            except OSError:
                pass


@pytest.fixture(scope="session")
def zh_en_dir(tmp_path_factory) -> Path:
    """A packages folder holding the real zh->en package, unpacked once per session."""
    if not MODEL.exists():
        pytest.skip(f"shared Argos package absent: {MODEL}")
    folder = tmp_path_factory.mktemp("argos-packages")
    with zipfile.ZipFile(MODEL) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture
def with_zh_en(zh_en_dir, monkeypatch) -> Path:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(zh_en_dir))
    return zh_en_dir


def flores(lang: str, start: int = 0, count: int = 10) -> list[str]:
    return (FLORES / f"{lang}.txt").read_text(encoding="utf-8").splitlines()[start:start + count]


def spy_steps(translator, monkeypatch) -> list[tuple[str, str, int]]:
    """Record (source, target, number of texts) for every engine step of *translator*."""
    calls: list[tuple[str, str, int]] = []
    for engine in translator.engines:
        real = engine.translate

        def spy(texts, source, target, _real=real, **kw):
            calls.append((source, target, len(texts)))
            return _real(texts, source, target, **kw)

        monkeypatch.setattr(engine, "translate", spy)
    return calls
