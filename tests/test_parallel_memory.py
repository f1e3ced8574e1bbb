"""Parallel runs sharing one translation memory give byte for byte what each file gives
alone: the memory never freezes a context-dependent variant (issue: 8 parallel runs once
produced files that differed from solo runs, because Apertium's output depended on the
sentence's neighbours and the memory kept whichever variant came first)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import flores, needs_apertium, needs_flores

RUNS = 6


@needs_apertium
@needs_flores
def test_parallel_runs_on_one_memory_equal_solo_runs(tmp_path):
    lines = flores("fra", 0, 60)
    files = []
    for i in range(RUNS):  # overlapping slices: the same sentences meet other neighbours in each file
        chunk = lines[i * 6:i * 6 + 24]
        path = tmp_path / "in" / f"article{i}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n\n".join(" ".join(chunk[j:j + 3]) for j in range(0, len(chunk), 3)) + "\n",
                        encoding="utf-8")
        files.append(path)
    command = [sys.executable, "-m", "translator", "--to", "es,en", "--from", "fr", "-q"]
    solo = tmp_path / "solo"
    for path in files:  # alone, no memory
        subprocess.run([*command, str(path), "-o", str(solo)], check=True, timeout=600)
    shared = tmp_path / "shared"
    memory = tmp_path / "memory.sqlite"
    procs = [subprocess.Popen([*command, str(path), "-o", str(shared), "-m", str(memory)]) for path in files]
    assert [p.wait(timeout=600) for p in procs] == [0] * RUNS
    again = tmp_path / "again"  # and once more, everything now coming from the memory
    subprocess.run([*command, *map(str, files), "-o", str(again), "-m", str(memory)], check=True, timeout=600)
    names = sorted(p.name for p in solo.iterdir())
    assert len(names) == 2 * RUNS
    for name in names:
        expected = (solo / name).read_bytes()
        assert (shared / name).read_bytes() == expected, name
        assert (again / name).read_bytes() == expected, name
