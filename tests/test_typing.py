"""The public API is typed for its users: a client script passes ``mypy --strict``, and
the names ``translator`` exports carry real types (not ``Any``), so misuse is caught."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CLIENT = Path(__file__).with_name("typing_client.py")
pytest.importorskip("mypy", reason="mypy is in the dev extra (make setup)")


def _mypy(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                           "--cache-dir", str(ROOT / "build" / "mypy-cache"), *paths],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_a_client_and_the_package_face_pass_mypy_strict():
    done = _mypy(str(CLIENT), str(ROOT / "translator" / "__init__.py"))
    assert done.returncode == 0, done.stdout
    assert "Success: no issues found in 2 source files" in done.stdout


def test_the_exports_have_real_types(tmp_path):
    bad = tmp_path / "bad_client.py"
    bad.write_text(
        "from translator import Translator, translate_text\n"
        "t = Translator(engine=3)\n"
        "n: int = translate_text('x', to='en').text('en')\n"
        "translate_text('x', to='en').no_such_method()\n", encoding="utf-8")
    done = _mypy(str(bad))
    assert done.returncode == 1
    assert 'Argument "engine" to "Translator" has incompatible type "int"; expected "str"' in done.stdout
    assert 'expression has type "str", variable has type "int"' in done.stdout
    assert '"Document" has no attribute "no_such_method"' in done.stdout
