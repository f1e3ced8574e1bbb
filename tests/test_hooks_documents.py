"""Content repositories whose sources are Word, HTML, XLIFF and PO files, not only Markdown.

Before: translate-sync hashed each output as text, so a Word, HTML or XLIFF output (bytes,
in the source's own encoding) stopped the whole run with a traceback and nothing written,
the Markdown sources included; ``--accept`` read Word files as text (exit 3) and tracebacked
on HTML; and pre-commit never gave the hooks a staged Word file (``types: [text]``).
"""

import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from translator.hooks import check_main, sync_main

from .conftest import SAMPLES, needs_apertium
from .test_hooks import commit, git, hook_env, hook_repo, needs_tools, pre_commit_config, pre_commit_home  # noqa: F401

CONFIG = """[tool.translator]
source_language = "fr"
sources = ["fr/*"]
targets = ["es"]
output = "{lang}/{name}"
engine = "apertium"
"""
PO = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
      'msgid "Le Kremlin a confirmé la nouvelle."\nmsgstr ""\n\n'
      'msgid "La Maison-Blanche a parlé du sommet."\nmsgstr ""\n')


def make_repo(root: Path, monkeypatch) -> Path:
    (root / "fr").mkdir(parents=True)
    (root / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    shutil.copy(SAMPLES / "economie.docx", root / "fr" / "economie.docx")
    shutil.copy(SAMPLES / "web" / "article.html", root / "fr" / "article.html")
    shutil.copy(SAMPLES / "depeche.xlf", root / "fr" / "depeche.xlf")
    (root / "fr" / "messages.po").write_text(PO, encoding="utf-8")
    (root / "fr" / "note.md").write_text("# Note\n\nLe Kremlin a confirmé la nouvelle.\n", encoding="utf-8")
    git(root, "init", "-q")
    monkeypatch.chdir(root)
    return root


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def edit_docx(path: Path, old: str, new: str) -> None:
    """Replace text inside a Word file as a person editing it in Word would change it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            out.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def humans(repo: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(repo / ".translator" / "memory.sqlite")
    try:
        return sorted(db.execute("SELECT source, target FROM segments WHERE origin = 'human'").fetchall())
    finally:
        db.close()


@needs_apertium
def test_sync_translates_every_document_type_and_records_the_bytes_it_wrote(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path / "repo", monkeypatch)
    assert sync_main([]) == 1
    out = capsys.readouterr().out
    for name in ("economie.docx", "article.html", "depeche.xlf", "messages.po", "note.md"):
        assert f"es/{name}: translated from fr/{name}" in out
    assert "Traceback" not in out
    lock = json.loads((repo / ".translator" / "lock.json").read_text(encoding="utf-8"))["files"]
    for name, entry in lock.items():
        assert entry["output_sha256"] == hashlib.sha256((repo / name).read_bytes()).hexdigest(), name
    assert "Kremlin" in docx_text(repo / "es" / "economie.docx") or "economía" in docx_text(repo / "es" / "economie.docx")
    assert sync_main([]) == 0  # up to date: nothing written again
    assert check_main([]) == 0


@needs_apertium
def test_accept_harvests_edits_of_word_html_and_po_translations(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path / "repo", monkeypatch)
    assert sync_main([]) == 1
    machine_title = "La economía francesa marca el paso"
    assert machine_title in docx_text(repo / "es" / "economie.docx")
    edit_docx(repo / "es" / "economie.docx", machine_title, "La economía francesa se estanca")
    html = (repo / "es" / "article.html").read_bytes()
    assert b"alto el fuego" in html
    (repo / "es" / "article.html").write_bytes(html.replace(b"alto el fuego", b"cese al fuego", 1))
    po = (repo / "es" / "messages.po").read_text(encoding="utf-8")
    assert 'msgstr "El Kremlin ha confirmado la nueva."' in po
    (repo / "es" / "messages.po").write_text(
        po.replace('msgstr "El Kremlin ha confirmado la nueva."', 'msgstr "El Kremlin confirmó la noticia."'),
        encoding="utf-8")
    xlf = (repo / "es" / "depeche.xlf").read_text(encoding="utf-8")
    machine_unit = re.search(r'<trans-unit id="p1">.*?<target[^>]*>(.*?)</target>', xlf, flags=re.S).group(1)
    assert '<g id="1">' in machine_unit
    (repo / "es" / "depeche.xlf").write_text(xlf.replace(
        machine_unit, 'Vladímir Putin llegó a <g id="1">Ginebra</g> para las negociaciones.'), encoding="utf-8")
    capsys.readouterr()
    for name in ("economie.docx", "article.html", "messages.po", "depeche.xlf"):
        assert sync_main(["--accept", f"es/{name}"]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "es/economie.docx: accepted; 1 of " in out
    assert "es/article.html: accepted; 1 of " in out
    assert "es/messages.po: accepted; 1 of 2 aligned sentences were edited by hand" in out
    # XLIFF: the unit edited, and only it (its other units, the one the file came with included, are not)
    assert "es/depeche.xlf: accepted; 1 of 3 aligned sentences were edited by hand" in out
    found = humans(repo)
    assert ("L'économie française marque le pas", "La economía francesa se estanca") in found
    assert ("Le Kremlin a confirmé la nouvelle.", "El Kremlin confirmó la noticia.") in found
    assert any("cese al fuego" in target and "cessez-le-feu" in source for source, target in found)
    assert ("Vladimir Poutine est arrivé à Genève pour les pourparlers.",
            "Vladímir Putin llegó a Ginebra para las negociaciones.") in found  # texts, as for every type
    assert len(found) == 4
    assert check_main([]) == 0  # accepted: current
    # The harvested sentence is reused when the Word file is translated again.
    (repo / "es" / "economie.docx").unlink()
    assert sync_main([]) == 1
    assert "La economía francesa se estanca" in docx_text(repo / "es" / "economie.docx")


@needs_tools
@needs_apertium
def test_a_staged_word_document_goes_through_the_real_hooks(tmp_path, monkeypatch, hook_repo, pre_commit_home):  # noqa: F811
    repo = make_repo(tmp_path / "repo", monkeypatch)
    for name in ("article.html", "depeche.xlf", "messages.po", "note.md"):
        (repo / "fr" / name).unlink()
    git(repo, "config", "user.email", "editor@example.org")
    git(repo, "config", "user.name", "Editor")
    (repo / ".pre-commit-config.yaml").write_text(pre_commit_config(hook_repo, ("translate-sync",)),
                                                  encoding="utf-8")
    git(repo, "add", "pyproject.toml", ".pre-commit-config.yaml")
    git(repo, "commit", "-qm", "configuration")
    env = hook_env(pre_commit_home)
    hooks = Path(sys.executable).parent / "pre-commit"
    subprocess.run([str(hooks), "install"], cwd=repo, env=env, check=True, capture_output=True)
    git(repo, "add", "fr/economie.docx")
    done = commit((repo, env), "a Word article")
    assert done.returncode != 0, done.stdout  # the hook wrote the translation: the commit stops
    assert "es/economie.docx: translated from fr/economie.docx" in done.stdout
    assert (repo / "es" / "economie.docx").exists()
    git(repo, "add", "-A")
    again = commit((repo, env), "a Word article and its translation")
    assert again.returncode == 0, again.stdout


@needs_apertium
def test_accept_is_refused_while_the_fresh_translation_waits_beside_the_edit(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path / "repo", monkeypatch)
    assert sync_main([]) == 1
    target = repo / "es" / "note.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nUna nota de la redacción.\n", encoding="utf-8")
    (repo / "fr" / "note.md").write_text("# Note\n\nLe Kremlin a démenti la nouvelle.\n", encoding="utf-8")
    capsys.readouterr()
    assert sync_main([]) == 1
    assert (repo / "es" / "note.md.new").exists()
    assert "translate-sync: 1 file written;" in capsys.readouterr().out
    assert sync_main(["--accept", "es/note.md"]) == 1
    assert capsys.readouterr().out == ("es/note.md: es/note.md.new is still there: merge it into es/note.md "
                                       "(or discard it), delete it, then accept\n")
    assert check_main([]) == 1  # still waiting: nothing was recorded
    (repo / "es" / "note.md.new").unlink()
    capsys.readouterr()
    assert sync_main(["--accept", "es/note.md"]) == 0
    assert check_main([]) == 0
