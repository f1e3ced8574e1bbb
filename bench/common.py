"""Shared helpers for the benchmarks: data paths, machine description, timing."""

from __future__ import annotations

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
