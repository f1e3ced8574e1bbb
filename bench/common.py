"""Shared helpers for the benchmarks: data paths, machine description, timing."""

from __future__ import annotations

import functools
import os
import platform
import statistics
import time
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRANSLATOR_SHARED", ROOT.parent / "shared"))
MODEL = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
FLORES = SHARED / "data" / "flores200-dev"
WORK = Path(os.environ.get("TRANSLATOR_BENCH_WORK", ROOT / "bench" / ".work"))


def machine() -> dict:
    versions = {}
    for dist in ("translator", "ctranslate2", "sentencepiece", "langdetect", "sentencex"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {"cpu_count": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
            "system": platform.system(), "versions": versions}


def unpacked_model() -> Path:
    """The shared zh->en package unpacked under bench/.work/packages (once)."""
    target = WORK / "packages"
    if not (target / "translate-zh_en-1_9" / "model" / "model.bin").exists():
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(MODEL) as archive:
            archive.extractall(target)
    return target


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median(values: list[float]) -> float:
    return statistics.median(values)


def command_env() -> dict:
    """The environment for timing our commands as an installed user runs them.

    ``pip install`` writes bytecode, and Python caches it for an editable install on the
    first import; a machine with ``PYTHONDONTWRITEBYTECODE`` set (this workplace) would
    instead compile every module of ours from source on every run.  So commands are timed
    with bytecode, kept under bench/.work/pycache and compiled once here."""
    _compile_once()
    return _bytecode_env()


def _bytecode_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(WORK / "pycache")}


@functools.cache
def _compile_once() -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "translator")],
                   env=_bytecode_env(), check=True, capture_output=True)
