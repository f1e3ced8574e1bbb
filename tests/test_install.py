"""The package as users get it: what a plain ``pip install`` pulls, and our wheel installed
in a fresh virtualenv outside the checkout, used from there.

The fresh virtualenv is built offline from ``build/wheelhouse``, which ``make setup`` fills
with exactly the wheels a plain ``pip install`` of this project fetches.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import translator

from .conftest import ROOT, SAMPLES, needs_apertium

WHEELHOUSE = ROOT / "build" / "wheelhouse"
FORBIDDEN = re.compile(r"^(torch|triton|stanza|spacy|nvidia-.*|argostranslate)$")
needs_wheelhouse = pytest.mark.skipif(not any(WHEELHOUSE.glob("ctranslate2-*.whl")),
                                      reason=f"no wheels in {WHEELHOUSE}: run 'make setup'")


def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _core_closure(dist: str) -> set[str]:
    """Every distribution a plain install of *dist* needs (no extras), as installed here."""
    seen: set[str] = set()
    todo = [dist]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for req in metadata.requires(name) or []:
            if "extra ==" in req.replace('"', "").replace("'", ""):
                continue
            marker = req.split(";", 1)[1] if ";" in req else ""
            if marker and ("win32" in marker or "darwin" in marker or "python_version < \"3" in marker):
                continue
            todo.append(_name(req))
    return seen


def test_a_plain_install_requires_no_torch_nor_cuda():
    closure = _core_closure("translator")
    assert {"ctranslate2", "sentencepiece", "langdetect", "typer", "polib"} <= closure
    assert not sorted(n for n in closure if FORBIDDEN.match(n))
    extras = metadata.metadata("translator").get_all("Provides-Extra")
    assert "argos" in extras  # argostranslate stays available, opt-in


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> dict[str, Path]:
    """Our wheel, built from the checkout and installed offline in a new virtualenv."""
    if not any(WHEELHOUSE.glob("ctranslate2-*.whl")):
        pytest.skip(f"no wheels in {WHEELHOUSE}: run 'make setup'")
    base = tmp_path_factory.mktemp("user")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    wheels = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   env=env, check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("translator-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   env=env, check=True, capture_output=True, timeout=600)
    return {"venv": venv, "wheel": wheel, "home": base}


def _run(fresh_venv, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{fresh_venv['venv'] / 'bin'}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@needs_wheelhouse
def test_the_wheel_holds_the_glossaries_licence_and_type_marker(fresh_venv):
    names = zipfile.ZipFile(fresh_venv["wheel"]).namelist()
    assert "translator/glossaries/news.csv" in names and "translator/py.typed" in names
    data = {p.relative_to(ROOT).as_posix() for p in (ROOT / "translator").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc")}
    assert data - set(names) == set(), "package data missing from the wheel"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert f"translator-{translator.__version__}-py3-none-any.whl" == fresh_venv["wheel"].name


@needs_wheelhouse
def test_the_fresh_virtualenv_is_lean_and_consistent(fresh_venv, tmp_path):
    venv = fresh_venv["venv"]
    size = sum(p.stat().st_size for p in venv.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 400 * 2**20, f"{size / 2**20:.0f} MB"
    listed = _run(fresh_venv, "python", "-m", "pip", "list", "--format=freeze", cwd=tmp_path).stdout
    assert not [line for line in listed.splitlines() if FORBIDDEN.match(_name(line))]
    assert _run(fresh_venv, "python", "-m", "pip", "check", cwd=tmp_path).returncode == 0
    where = _run(fresh_venv, "python", "-c", "import translator; print(translator.__file__)", cwd=tmp_path)
    assert where.stdout.startswith(str(venv))  # the installed copy, not the checkout


@needs_wheelhouse
@needs_apertium
def test_readme_examples_work_from_the_fresh_virtualenv(fresh_venv, tmp_path):
    shutil.copy(SAMPLES / "diplomatie.txt", tmp_path / "diplomatie.txt")
    done = _run(fresh_venv, "translate", "diplomatie.txt", "--to", "es", "-g", "news", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "diplomatie.txt: glossary: 42/42 terms in their required form" in done.stderr.splitlines()
    spanish = (tmp_path / "diplomatie.es.txt").read_text(encoding="utf-8")
    assert "La Casa Blanca" in spanish and "alto el fuego" in spanish.lower()
    checked = _run(fresh_venv, "translate", "glossary", "check", "news", cwd=tmp_path)
    assert checked.returncode == 0 and checked.stdout.startswith("news: ok, ")
    library = (
        "from translator import Translator\n"
        "with Translator(engine='apertium', glossary='news') as t:\n"
        "    doc = t.translate_text(open('diplomatie.txt', encoding='utf-8').read(), to=['es'])\n"
        "print(doc.source_language, doc.term_counts()[0] == doc.term_counts()[1], 'Casa Blanca' in doc.text('es'))\n"
    )
    done = _run(fresh_venv, "python", "-c", library, cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "fr True True"), done.stderr


@needs_wheelhouse
@needs_apertium
def test_documents_work_from_the_fresh_virtualenv(fresh_venv, tmp_path):
    """A web page's article found (trafilatura and its jusText load) and a Word file rebuilt,
    with nothing but a plain install's packages."""
    shutil.copy(SAMPLES / "web" / "article.html", tmp_path / "article.html")
    shutil.copy(SAMPLES / "economie.docx", tmp_path / "economie.docx")
    done = _run(fresh_venv, "translate", "article.html", "economie.docx", "--to", "es", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "kept as site chrome; wrote article.es.html" in done.stderr
    assert zipfile.ZipFile(tmp_path / "economie.es.docx").testzip() is None
