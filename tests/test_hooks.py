"""Content repositories: hooks run by real pre-commit in a real git repository."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translator import config as config_module
from translator.errors import ConfigError
from translator.hooks import check_main, sync_main

from .conftest import ROOT, needs_apertium

BIN = Path(sys.executable).parent
WHEELHOUSE = ROOT / "build" / "wheelhouse"
needs_tools = pytest.mark.skipif(shutil.which("git") is None or not (BIN / "pre-commit").exists()
                                 or not any(WHEELHOUSE.glob("ctranslate2-*.whl")),
                                 reason="git, pre-commit and build/wheelhouse (make setup) are needed")
CONFIG = """[tool.translator]
source_language = "fr"
sources = ["content/fr/**/*.md"]
targets = ["en", "es"]
output = "content/{lang}/{path}"
glossaries = ["news"]
engine = "apertium"
"""
ARTICLE = "# Diplomatie\n\n" + "\n\n".join(
    f"Paragraphe {i} : le Kremlin et la Maison-Blanche parlent du sommet numéro {i}." for i in range(1, 11)) + "\n"


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This checkout as pre-commit sees a hook repository: its files (committed or not) in a
    git repository of their own, so that real pre-commit installs the real hooks."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, snapshot / name)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.email=ci@example.org", "-c", "user.name=CI",
                                                 "commit", "-qm", "snapshot"]):
        git(snapshot, *args)
    return snapshot, git(snapshot, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    """One pre-commit cache for the session: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def hook_env(pre_commit_home: Path) -> dict[str, str]:
    """pre-commit builds the hook environment offline, from the wheels 'make setup' kept."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", PRE_COMMIT_HOME=str(pre_commit_home),
               PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE))
    return env


def pre_commit_config(hook_repo, hooks=("translate-sync", "translate-check", "glossary-check")) -> str:
    path, rev = hook_repo
    lines = ["repos:", f"  - repo: {path}", f"    rev: {rev}", "    hooks:"]
    return "\n".join(lines + [f"      - id: {h}" for h in hooks]) + "\n"


@pytest.fixture
def repo(tmp_path, monkeypatch, request):
    repo = tmp_path / "content-repo"
    (repo / "content" / "fr").mkdir(parents=True)
    (repo / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    (repo / "content" / "fr" / "article.md").write_text(ARTICLE, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "editor@example.org")
    git(repo, "config", "user.name", "Editor")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "source")
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def hooked(repo, hook_repo, pre_commit_home):
    """The content repository with the hooks in .pre-commit-config.yaml (committed)."""
    (repo / ".pre-commit-config.yaml").write_text(pre_commit_config(hook_repo), encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-qm", "hooks")
    return repo, hook_env(pre_commit_home)


def pre_commit(hooked, hook, *files):
    """``pre-commit run HOOK`` on the given files (all files if none)."""
    repo, env = hooked
    args = [str(BIN / "pre-commit"), "run", hook]
    args += ["--files", *files] if files else ["--all-files"]
    return subprocess.run(args, cwd=repo, capture_output=True, text=True, env=env, timeout=900)


def commit(hooked, message="edit"):
    """A real ``git commit`` of what is staged, through the installed pre-commit hook
    (the hooks' output, which git sends to stderr, is in ``stdout``)."""
    repo, env = hooked
    return subprocess.run(["git", "commit", "-m", message], cwd=repo, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env=env, timeout=900)


def counters(output: str) -> tuple[int, int]:
    m = re.search(r"sentences: (\d+) translated, (\d+) from memory", output)
    return int(m.group(1)), int(m.group(2))


@needs_apertium
@needs_tools
def test_sync_and_check_through_pre_commit(hooked):
    repo, _ = hooked
    first = pre_commit(hooked, "translate-sync")
    assert first.returncode == 1, first.stdout  # it wrote files
    assert counters(first.stdout) == (22, 0)
    es = (repo / "content" / "es" / "article.md").read_text(encoding="utf-8")
    assert es.startswith("# Diplomacia\n\n") and "Casa Blanca" in es
    git(repo, "add", "-A")
    second = pre_commit(hooked, "translate-sync")
    assert second.returncode == 0 and "Passed" in second.stdout  # nothing to do
    assert pre_commit(hooked, "translate-check").returncode == 0
    # A one-paragraph edit re-translates that paragraph only (one sentence, two languages).
    src = repo / "content" / "fr" / "article.md"
    src.write_text(ARTICLE.replace("sommet numéro 3.", "sommet numéro trois."), encoding="utf-8")
    git(repo, "add", "-A")
    stale = pre_commit(hooked, "translate-check")
    assert stale.returncode == 1 and "content/en/article.md: out of date with content/fr/article.md" in stale.stdout
    third = pre_commit(hooked, "translate-sync", "content/fr/article.md")
    assert third.returncode == 1 and counters(third.stdout) == (2, 20)
    git(repo, "add", "-A")
    # A human edit survives the next sync, even when the source changes again.
    target = repo / "content" / "en" / "article.md"
    edited = target.read_text(encoding="utf-8").replace("Kremlin", "Kremlin (edited)", 1)
    target.write_text(edited, encoding="utf-8")
    src.write_text(ARTICLE, encoding="utf-8")
    git(repo, "add", "-A")
    fourth = pre_commit(hooked, "translate-sync", "content/fr/article.md")
    assert fourth.returncode == 1 and "edited by hand and content/fr/article.md changed: kept the edit" in fourth.stdout
    assert target.read_text(encoding="utf-8") == edited
    # translate-check fails on a glossary violation.
    (repo / "content" / "en" / "article.md.new").unlink()
    git(repo, "add", "-A")
    pre_commit(hooked, "translate-sync", "content/fr/article.md")
    es = repo / "content" / "es" / "article.md"
    es.write_text(es.read_text(encoding="utf-8").replace("Casa Blanca", "Casa-Blanca", 1), encoding="utf-8")
    git(repo, "add", "-A")
    violated = pre_commit(hooked, "translate-check")
    assert violated.returncode == 1
    assert "content/es/article.md:3: term 'Maison-Blanche' should be 'Casa Blanca'" in violated.stdout


def head(repo) -> str:
    return git(repo, "rev-parse", "HEAD").stdout.strip()


@needs_apertium
@needs_tools
def test_real_commits_catch_what_the_hooks_promise(hooked):
    repo, env = hooked
    subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, env=env, check=True, capture_output=True)
    # 1. Only the source is staged: translate-sync writes the translations and stops the commit.
    src = repo / "content" / "fr" / "article.md"
    src.write_text(ARTICLE.replace("numéro 1.", "numéro un."), encoding="utf-8")
    git(repo, "add", "content/fr/article.md")
    before = head(repo)
    first = commit(hooked, "source edit")
    assert first.returncode != 0 and head(repo) == before
    assert "content/es/article.md: translated from content/fr/article.md" in first.stdout
    git(repo, "add", "-A")
    second = commit(hooked, "source edit with translations")
    assert second.returncode == 0, second.stdout
    assert head(repo) != before
    committed = git(repo, "ls-files").stdout.split()
    assert ".translator/lock.json" in committed and ".translator/.gitignore" in committed
    assert not [f for f in committed if f.endswith((".sqlite", ".flock", ".journal", ".tmp"))]
    # 2. Only a hand-edited translation is staged, with a glossary violation: the commit fails
    #    with the path:line line, though pre-commit passed the translation alone.
    es = repo / "content" / "es" / "article.md"
    es.write_text(es.read_text(encoding="utf-8").replace("Casa Blanca", "Casa-Blanca", 1), encoding="utf-8")
    git(repo, "add", "content/es/article.md")
    before = head(repo)
    refused = commit(hooked, "hand edit")
    assert refused.returncode != 0 and head(repo) == before
    assert "content/es/article.md:3: term 'Maison-Blanche' should be 'Casa Blanca'" in refused.stdout
    # 3. A correct hand edit of a translation alone passes, and is kept by later syncs.
    es.write_text(es.read_text(encoding="utf-8").replace("Casa-Blanca", "Casa Blanca", 1)
                  .replace("Diplomacia", "Diplomacia internacional", 1), encoding="utf-8")
    git(repo, "add", "content/es/article.md")
    kept = commit(hooked, "hand edit, fixed")
    assert kept.returncode == 0, kept.stdout
    assert es.read_text(encoding="utf-8").startswith("# Diplomacia internacional")


@needs_apertium
@needs_tools
def test_check_alone_judges_the_translations_of_a_staged_source(hooked, hook_repo):
    """With translate-check only (as in CI), a staged source finds its stale translations."""
    repo, env = hooked
    assert pre_commit(hooked, "translate-sync").returncode == 1
    (repo / ".pre-commit-config.yaml").write_text(pre_commit_config(hook_repo, ("translate-check",)),
                                                  encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "translations; check only", "--no-verify")
    subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, env=env, check=True, capture_output=True)
    src = repo / "content" / "fr" / "article.md"
    src.write_text(ARTICLE.replace("numéro 2.", "numéro deux."), encoding="utf-8")
    git(repo, "add", "content/fr/article.md")
    refused = commit(hooked, "source only")
    assert refused.returncode != 0
    assert "content/en/article.md: out of date with content/fr/article.md: run translate-sync" in refused.stdout
    assert "content/es/article.md: out of date with content/fr/article.md: run translate-sync" in refused.stdout


@needs_apertium
@needs_tools
def test_hooks_share_the_apertium_server(hooked):
    from translator.engines import apertium_server

    repo, _ = hooked
    (repo / "pyproject.toml").write_text(CONFIG + "apertium_server = true\n", encoding="utf-8")
    first = pre_commit(hooked, "translate-sync")  # starts the server; pre-commit must not wait for it
    assert first.returncode == 1, first.stdout
    status = apertium_server.request({"command": "status"})
    assert [Path(m).stem for m in status["modes"]] == ["fr-es", "spa-eng"]
    es = (repo / "content" / "es" / "article.md").read_text(encoding="utf-8")
    assert es.startswith("# Diplomacia") and "Kremlin" in es
    path = repo / "content" / "fr" / "article.md"
    path.write_text(path.read_text(encoding="utf-8").replace("numéro 3.", "numéro 33."), encoding="utf-8")
    second = pre_commit(hooked, "translate-sync")
    assert second.returncode == 1, second.stdout
    assert counters(second.stdout)[0] == 2  # one sentence, two targets
    again = apertium_server.request({"command": "status"})
    assert again["pid"] == status["pid"] and again["requests"] > status["requests"]
    assert "33" in (repo / "content" / "es" / "article.md").read_text(encoding="utf-8")


def test_human_edit_survives_and_fresh_translation_goes_beside(repo, capsys):
    assert sync_main([]) == 1
    target = repo / "content" / "en" / "article.md"
    edited = target.read_text(encoding="utf-8").replace("White House", "WHITE HOUSE (edited)")
    target.write_text(edited, encoding="utf-8")
    assert sync_main([]) == 0  # source unchanged: the edit is simply kept
    assert target.read_text(encoding="utf-8") == edited
    src = repo / "content" / "fr" / "article.md"
    src.write_text(ARTICLE + "\nUn paragraphe de plus.\n", encoding="utf-8")
    capsys.readouterr()
    assert sync_main([]) == 1
    out = capsys.readouterr().out
    assert "content/en/article.md: edited by hand and content/fr/article.md changed: kept the edit" in out
    assert target.read_text(encoding="utf-8") == edited
    assert (repo / "content" / "en" / "article.md.new").exists()
    assert check_main([]) == 1
    assert "a fresh machine translation waits in content/en/article.md.new" in capsys.readouterr().out
    # The editor merges, deletes the .new file and accepts: the edit is harvested.
    merged = edited + "\nOne more paragraph.\n"
    target.write_text(merged, encoding="utf-8")
    (repo / "content" / "en" / "article.md.new").unlink()
    assert sync_main(["--accept", "content/en/article.md"]) == 0
    # the title is the machine's own: 10 edited paragraphs and the new one are harvested
    assert "content/en/article.md: accepted; 11 of 12 aligned sentences were edited by hand" in capsys.readouterr().out
    from translator.memory import Memory

    memory = Memory(repo / ".translator" / "memory.sqlite")
    assert memory.lookup("x", "", "fr", "en", ["Un paragraphe de plus."]) == {"Un paragraphe de plus.": "One more paragraph."}
    assert sync_main(["--force"]) == 0  # accepted: up to date, nothing to overwrite
    target.write_text(merged + "\nA second edit.\n", encoding="utf-8")
    src.write_text(ARTICLE, encoding="utf-8")
    assert sync_main(["--force"]) == 1  # --force overwrites the unaccepted edit...
    forced = target.read_text(encoding="utf-8")
    assert "A second edit." not in forced
    assert "WHITE HOUSE (edited)" in forced  # ... and reuses the accepted, harvested human sentences
    assert not (repo / "content" / "en" / "article.md.new").exists()


@needs_apertium
def test_accept_harvests_only_the_sentences_a_person_changed(repo, capsys):
    assert sync_main([]) == 1
    target = repo / "content" / "es" / "article.md"
    machine = target.read_text(encoding="utf-8")
    sentence = next(line for line in machine.splitlines() if "número 3." in line)
    edited = machine.replace(sentence, "Párrafo 3: el Kremlin y la Casa Blanca conversan sobre la cumbre número 3.")
    target.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert sync_main(["--accept", "content/es/article.md"]) == 0
    assert capsys.readouterr().out == ("content/es/article.md: accepted; 1 of 11 aligned sentences were edited "
                                       "by hand and go into the memory as human translations\n")
    import sqlite3

    db = sqlite3.connect(repo / ".translator" / "memory.sqlite")
    humans = db.execute("SELECT source, target FROM segments WHERE origin = 'human'").fetchall()
    assert humans == [("Paragraphe 3 : le Kremlin et la Maison-Blanche parlent du sommet numéro 3.",
                       "Párrafo 3: el Kremlin y la Casa Blanca conversan sobre la cumbre número 3.")]
    assert check_main([]) == 0  # accepted: current


@needs_apertium
def test_check_reports_glossary_violations(repo, capsys):
    assert sync_main([]) == 1
    target = repo / "content" / "es" / "article.md"
    target.write_text(target.read_text(encoding="utf-8").replace("Casa Blanca", "Casa-Blanca", 1), encoding="utf-8")
    capsys.readouterr()
    assert check_main([]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/es/article.md:3: term 'Maison-Blanche' should be 'Casa Blanca'"]


def test_missing_translation_is_reported_without_an_engine(repo, capsys):
    assert check_main([]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["content/fr/article.md: no en translation (content/en/article.md): run translate-sync",
                   "content/fr/article.md: no es translation (content/es/article.md): run translate-sync"]


@needs_apertium
def test_parallel_syncs_keep_the_lock_file_and_memory_whole(repo):
    for i in range(6):
        (repo / "content" / "fr" / f"a{i}.md").write_text(f"# Titre {i}\n\nLe Kremlin parle du sommet {i}.\n",
                                                       encoding="utf-8")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    procs = [subprocess.Popen([str(BIN / "translate-sync"), f"content/fr/a{i}.md", f"content/fr/a{i + 3}.md"],
                              cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [1, 1, 1], results
    lock = json.loads((repo / ".translator" / "lock.json").read_text(encoding="utf-8"))["files"]
    assert sorted(lock) == sorted(f"content/{l}/a{i}.md" for i in range(6) for l in ("en", "es"))
    import sqlite3

    db = sqlite3.connect(repo / ".translator" / "memory.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("body, problem", [
    ('[tool.translator]\nsources = ["a/*.md"]\n', "tool.translator.targets: required"),
    ('[tool.translator]\nsources = ["a/*.md"]\ntargets = ["xx"]\n', "tool.translator.targets: unknown language code 'xx'"),
    ('[tool.translator]\nsources = "a/*.md"\ntargets = ["en"]\n', "tool.translator.sources: must be a list of strings"),
    ('[tool.translator]\nsources = ["a/*.md"]\ntargets = ["en"]\noutput = "out/{path}"\n', "tool.translator.output: must contain {lang}"),
    ('[tool.translator]\nsources = ["a/*.md"]\ntargets = ["en"]\noutput = "{lang}/{bogus}"\n', "tool.translator.output: unknown placeholder 'bogus'"),
    ('[tool.translator]\nsources = ["a/*.md"]\ntargets = ["en"]\nengine = "google"\n', "tool.translator.engine: 'google' is not auto"),
    ('[tool.translator]\nsources = ["a/*.md"]\ntargets = ["fr"]\nsource_language = "fr"\n', "tool.translator.targets: the source language 'fr' cannot be a target"),
    ('[tool.translator]\nsources = ["a/*.md"]\ntargets = ["en"]\ncolour = "blue"\n', "tool.translator.colour: unknown key"),
    ('[tool.translator]\nsources = ["a/*.md"]\ntargets = ["en"]\napertium_server = "yes"\n',
     "tool.translator.apertium_server: must be true or false"),
])
def test_invalid_configuration(tmp_path, monkeypatch, capsys, body, problem):
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as err:
        config_module.load()
    assert any(p.startswith(f"{tmp_path / 'pyproject.toml'}: {problem}") for p in err.value.problems), err.value.problems
    assert check_main([]) == 9


def test_translator_toml_wins_and_has_top_level_keys(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / ".translator.toml").write_text('sources = ["docs/*.txt"]\ntargets = ["es"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cfg = config_module.load()
    assert cfg.sources == ["docs/*.txt"] and cfg.targets == ["es"] and cfg.output_for("docs/a.txt", "es") == "docs/a.es.txt"


@needs_apertium
@pytest.mark.parametrize("served", [False, True])
def test_an_auto_source_is_detected_paragraph_by_paragraph_as_translate_does(tmp_path, monkeypatch, served):
    """With source_language = "auto", a text source's English boilerplate line is told apart
    as `translate FILE` tells it apart (the hook took every paragraph for the document's
    language, and left "Read more" as it was); with the server too."""
    from translator.cli import main

    repo = tmp_path / "auto-repo"
    (repo / "content" / "fr").mkdir(parents=True)
    (repo / "pyproject.toml").write_text(
        CONFIG.replace('source_language = "fr"', 'source_language = "auto"').replace("**/*.md", "**/*.txt")
        .replace('glossaries = ["news"]\n', "") + f"apertium_server = {str(served).lower()}\n", encoding="utf-8")
    text = ("Le ciel est bleu au-dessus de la ville ce matin.\n\nRead more about this\n\n"
            "Le Kremlin a confirmé la nouvelle hier soir.\n")
    (repo / "content" / "fr" / "note.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(repo)
    assert sync_main([]) == 1
    assert main(["content/fr/note.txt", "--to", "en,es", "--engine", "apertium", "-q", "-o", str(tmp_path / "cli")]) == 0
    for lang in ("en", "es"):
        assert (repo / "content" / lang / "note.txt").read_text(encoding="utf-8") == \
            (tmp_path / "cli" / f"note.{lang}.txt").read_text(encoding="utf-8")
    assert "Read more about this" in (repo / "content" / "en" / "note.txt").read_text(encoding="utf-8")
    assert "Read more" not in (repo / "content" / "es" / "note.txt").read_text(encoding="utf-8")
