"""A repository's configuration: every wrong value is one ``file: key: problem`` line and exit 9
through the real hooks, with nothing written; no path it maps reads or writes outside the
repository, and no two (source, language) pairs, a source, the memory or the lock share a file."""

import glob
import os
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest

from translator import config as config_module
from translator import globs
from translator.errors import ConfigError
from translator.hooks import check_main, sync_main

DEFAULTS = {"source_language": '"fr"', "sources": '["content/fr/**/*.md"]', "targets": '["en", "es"]',
            "output": '"content/{lang}/{path}"'}


def conf(**keys: str | None) -> str:
    """A ``[tool.translator]`` table: the defaults above with *keys* (TOML text) changed, None dropped."""
    values = {**DEFAULTS, **keys}
    return "[tool.translator]\n" + "".join(f"{k} = {v}\n" for k, v in values.items() if v is not None)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """tmp/repo with two French sources, beside tmp/outside, which a hostile configuration aims at."""
    repo = tmp_path / "repo"
    (repo / "content" / "fr" / "sub").mkdir(parents=True)
    (repo / "content" / "fr" / "a.md").write_text("# Un\n\nLe ciel est bleu.\n", encoding="utf-8")
    (repo / "content" / "fr" / "sub" / "b.md").write_text("# Deux\n\nLa mer est calme.\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text("Le mot de passe est secret.\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text(conf(), encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


def snapshot(top: Path) -> dict[str, object]:
    """Every path below *top* with its kind and content (symlinks as their target, never followed)."""
    found = {}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = Path(folder, name)
            key = path.relative_to(top).as_posix()
            found[key] = (("link", os.readlink(path)) if path.is_symlink() else ("dir",) if path.is_dir()
                          else ("file", path.read_bytes()))
    return found


def arrange(repo: Path, files: dict[str, str | bytes], links: dict[str, str]) -> None:
    """Write *files* ("OUTSIDE" in a text stands for the outside folder) and make *links*."""
    outside = str(repo.parent / "outside")
    for rel, content in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "DIR":
            path.mkdir()
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.replace("OUTSIDE", outside).encode())
    for rel, target in links.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).symlink_to(target)


def case(expected: str, *, files: dict | None = None, links: dict | None = None, **keys):
    """One bad configuration: pyproject.toml is ``conf(**keys)`` unless *files* gives it."""
    files = {"pyproject.toml": conf(**keys), **(files or {})}
    return pytest.param(files, links or {}, expected, id=expected.split(": ", 2)[-1][:60])


BAD = [
    case("FILE:6: not UTF-8 (byte 148): save it as UTF-8",
         files={"pyproject.toml": conf().encode() + b'glossaries = ["caf\xe9"]\n'}),
    case("FILE: invalid TOML: ", files={"pyproject.toml": conf() + "targets = [\n"}),
    case("FILE: tool.translator: must be a table", files={"pyproject.toml": "[tool]\ntranslator = 1\n"}),
    case("ROOT: no [tool.translator] in pyproject.toml", files={"pyproject.toml": "tool = 1\n"}),
    case("FILE: sources: must be a list of strings",
         files={".translator.toml": 'sources = 1\ntargets = ["en"]\n'}),
    case("FILE: tool.translator.sources: must be a list of strings", sources='"content/fr/*.md"'),
    case("FILE: tool.translator.targets: must be a list of strings", targets="[1]"),
    case("FILE: tool.translator.targets: 'eng' is listed twice (as 'en')", targets='["en", "eng"]'),
    case("FILE: tool.translator.output: must be a non-empty string", output="3"),
    case("FILE: tool.translator.engine: must be a non-empty string", engine="1"),
    case("FILE: tool.translator.memory: must be a non-empty string", memory="[]"),
    case("FILE: tool.translator.apertium_server: must be true or false", apertium_server='"yes"'),
    # Placeholders are parsed: {{lang}} is literal text, and a placeholder is a bare name.
    case("FILE: tool.translator.output: must contain {lang}", output='"content/{{lang}}/{path}"'),
    case("FILE: tool.translator.output: must contain {path}, {name} or {stem}", output='"content/{lang}/all.md"'),
    case("FILE: tool.translator.output: {lang} takes no format or conversion", output='"content/{lang!r}/{path}"'),
    case("FILE: tool.translator.output: unknown placeholder 'lang.upper'", output='"c/{lang.upper}/{path}"'),
    case("FILE: tool.translator.output: unknown placeholder ''", output='"content/{}/{lang}/{path}"'),
    case("FILE: tool.translator.output: 'content/{lang/{path}': unexpected '{' in field name",
         output='"content/{lang/{path}"'),
    # Paths that say, in their text, that they leave the repository.
    case("FILE: tool.translator.output: '../outside/{lang}/{path}' goes up with '..'",
         output='"../outside/{lang}/{path}"'),
    case("FILE: tool.translator.output: 'OUTSIDE/{lang}/{path}' is absolute", output='"OUTSIDE/{lang}/{path}"'),
    case("FILE: tool.translator.output: '.git/{lang}/{path}' is inside .git", output='".git/{lang}/{path}"'),
    case("FILE: tool.translator.sources: '../outside/*.md' goes up with '..'", sources='["../outside/*.md"]'),
    case("FILE: tool.translator.sources: 'OUTSIDE/*.md' is absolute", sources='["OUTSIDE/*.md"]'),
    case("FILE: tool.translator.sources: 'content/fr/\\x00.md' contains a NUL", sources='["content/fr/\\u0000.md"]'),
    case("FILE: tool.translator.sources: 'content/[z-a]/*.md' is not a valid glob", sources='["content/[z-a]/*.md"]'),
    case("FILE: tool.translator.memory: '../memory.sqlite' goes up with '..'", memory='"../memory.sqlite"'),
    case("FILE: tool.translator.lock: is the memory file", memory='"x/m"', lock='"x/./m"'),
    # Paths that leave it only once resolved: '..' after a placeholder, or a symlink.
    case("FILE: tool.translator.output: ../en/a.md (for content/fr/a.md in en) is outside the repository",
         output='"{dir}/../../../{lang}/{name}"'),
    case("FILE: tool.translator.sources: content/fr/linked is a symlink to OUTSIDE, outside the repository",
         links={"content/fr/linked": "../../../outside"}),
    case("FILE: tool.translator.sources: content/fr/secret.md is a symlink to OUTSIDE/secret.md",
         links={"content/fr/secret.md": "../../../outside/secret.md"}),
    case("FILE: tool.translator.output: content/en/a.md (for content/fr/a.md in en) leads outside the "
         "repository through a symlink (to OUTSIDE/a.md)", links={"content/en": "../../outside"}),
    case("FILE: tool.translator.output: content/es/a.md (for content/fr/a.md in es) leads outside the "
         "repository through a symlink (to OUTSIDE/secret.md)",
         links={"content/es/a.md": "../../../outside/secret.md"}),
    case("FILE: tool.translator.memory: .translator/memory.sqlite leads outside the repository through a symlink",
         links={".translator": "../outside"}),
    case("FILE: tool.translator.memory: .translator/memory.sqlite-wal leads outside the repository through a "
         "symlink (to OUTSIDE/secret.md)", links={".translator/memory.sqlite-wal": "../../outside/secret.md"}),
    case("FILE: tool.translator.lock: .translator/lock.json.flock is the source file content/fr/a.md",
         links={".translator/lock.json.flock": "../content/fr/a.md"}),
    # Outputs that collide with each other, with a source, with the memory or the lock.
    case("FILE: tool.translator.output: content/fr/sub/a.md in en and content/fr/a.md in en would both be "
         "written to content/en/a.md", output='"content/{lang}/{name}"', files={"content/fr/sub/a.md": "Oui.\n"}),
    case("FILE: tool.translator.output: notes/a.md in es and content/fr/a.md in es would both be written to "
         "content/es/a.md", sources='["content/fr/**/*.md", "notes/*.md"]', files={"notes/a.md": "Non.\n"}),
    case("FILE: tool.translator.output: content/en/fr/a.md (for content/fr/a.md in en) is named by the source "
         "glob 'content/**/*.md'", sources='["content/**/*.md"]'),
    case("FILE: tool.translator.output: content/fr/a.en.md (for content/fr/a.md in en) is named by the source "
         "glob '**/*.md'", sources='["**/*.md"]', output=None),
    case("FILE: tool.translator.output: content/en/a.md (for content/fr/a.md in en) is the source file "
         "content/fr/a.md", links={"content/en": "fr"}),
    case("FILE: tool.translator.output: content/en/a.md (for content/fr/a.md in en) is the lock file",
         lock='"content/en/a.md"'),
    case("FILE: tool.translator.lock: content/fr/a.md is the source file content/fr/a.md", lock='"content/fr/a.md"'),
    case("FILE: tool.translator.output: content/en/a (for content/fr/a.md in en) is a folder",
         output='"content/{lang}/{stem}"', files={"content/en/a": "DIR"}),
]


@pytest.mark.parametrize("files, links, expected", BAD)
def test_bad_configuration_is_one_line_exit_9_and_writes_nothing(repo, capsys, files, links, expected):
    (repo / "pyproject.toml").unlink()
    arrange(repo, files, links)
    name = ".translator.toml" if ".translator.toml" in files else "pyproject.toml"
    outside = (repo.parent / "outside").resolve()
    expected = (expected.replace("FILE", str(repo / name)).replace("ROOT", str(repo))
                .replace("OUTSIDE", str(outside)))
    before = snapshot(repo.parent)
    for main in (sync_main, check_main):
        assert main([]) == 9, main
        out, err = capsys.readouterr()
        assert out == "" and any(line.startswith(expected) for line in err.splitlines()), err
        assert all(line.startswith((str(repo), str(repo.parent / "outside"))) for line in err.splitlines()), err
    assert snapshot(repo.parent) == before


@pytest.mark.parametrize("body, expected", [
    (conf(output='"../outside/{lang}/{path}"'), ": tool.translator.output: '../outside/{lang}/{path}' goes up"),
    (b"[tool.translator]\nsources = [\"caf\xe9\"]\n", ":2: not UTF-8 (byte 33)"),
])
@pytest.mark.parametrize("command", ["translate-sync", "translate-check"])
def test_installed_commands_refuse_without_a_traceback(repo, command, body, expected):
    (repo / "pyproject.toml").write_bytes(body if isinstance(body, bytes) else body.encode())
    before = snapshot(repo.parent)
    done = subprocess.run([str(Path(sys.executable).with_name(command))], cwd=repo, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 9
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{repo / 'pyproject.toml'}{expected}"), done.stderr
    assert snapshot(repo.parent) == before


def test_the_whole_mapping_is_known_before_anything_is_written(repo):
    cfg = config_module.load()
    assert cfg.source_files() == ["content/fr/a.md", "content/fr/sub/b.md"]
    assert cfg.mapping() == {"content/en/a.md": ("content/fr/a.md", "en"), "content/es/a.md": ("content/fr/a.md", "es"),
                             "content/en/sub/b.md": ("content/fr/sub/b.md", "en"),
                             "content/es/sub/b.md": ("content/fr/sub/b.md", "es")}


def test_a_template_may_go_up_after_a_placeholder_and_stay_inside(repo):
    (repo / "pyproject.toml").write_text(conf(sources='["content/fr/*.md"]', output='"{dir}/../{lang}/{name}"'),
                                         encoding="utf-8")
    assert config_module.load().mapping() == {"content/en/a.md": ("content/fr/a.md", "en"),
                                              "content/es/a.md": ("content/fr/a.md", "es")}


def test_symlinks_inside_the_repository(repo):
    """Followed when the glob names the folder, never entered by a wildcard (so no loop can hang a hook)."""
    (repo / "content" / "fr" / "alias").symlink_to("sub")
    (repo / "content" / "fr" / "sub" / "loop").symlink_to("..")
    (repo / "content" / "fr" / "c.md").symlink_to("sub/b.md")
    assert config_module.load().source_files() == ["content/fr/a.md", "content/fr/c.md", "content/fr/sub/b.md"]
    (repo / "pyproject.toml").write_text(conf(sources='["content/fr/alias/*.md"]'), encoding="utf-8")
    assert config_module.load().source_files() == ["content/fr/alias/b.md"]


def test_listing_reads_each_folder_once_and_the_hooks_reuse_it(repo, monkeypatch, capsys):
    for i in range(30):
        for j in range(4):
            path = repo / "content" / "fr" / f"d{i}" / f"x{j}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("Le ciel.\n", encoding="utf-8")
    (repo / "content" / "fr" / "sub" / "up").symlink_to("..")  # with glob.glob: 40 nested copies
    (repo / "content" / "fr" / "sub" / "top").symlink_to("../..")
    (repo / "pyproject.toml").write_text(conf(sources='["content/fr/**/*.md", "content/fr/d1*/*.md"]'),
                                         encoding="utf-8")
    real_scandir, read = os.scandir, []

    def counting(path="."):
        read.append(os.fspath(path))
        assert len(read) < 200, "a folder is read more than once"
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counting)
    assert check_main([]) == 1  # every translation is missing, reported without an engine
    assert len(capsys.readouterr().out.splitlines()) == 2 * (30 * 4 + 2)
    folders = [repo, repo / "content", repo / "content" / "fr", repo / "content" / "fr" / "sub"]
    folders += [repo / "content" / "fr" / f"d{i}" for i in range(30)]
    assert sorted(read) == sorted(str(f) for f in folders)


def test_a_file_named_by_pre_commit_is_a_source_only_if_the_globs_list_it(repo, capsys):
    """A hidden symlink is not listed by "*", so the check never saw it: the hooks must not read it either."""
    (repo / "content" / "fr" / ".secret.md").symlink_to(repo.parent / "outside" / "secret.md")
    before = snapshot(repo.parent)
    assert sync_main(["content/fr/.secret.md"]) == 0
    assert check_main(["content/fr/.secret.md"]) == 0
    assert capsys.readouterr().out == ""
    assert snapshot(repo.parent) == before


def test_load_raises_config_error_listing_every_problem(repo):
    (repo / "pyproject.toml").write_text(conf(targets='["xx"]', output='"out/{stem}"', engine='"google"'),
                                         encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config_module.load()
    prefix = f"{repo / 'pyproject.toml'}: tool.translator."
    assert [p.removeprefix(prefix).split(":")[0] for p in err.value.problems] == ["targets", "output", "engine"]


def test_a_template_wrong_for_every_source_is_reported_with_a_few_examples(repo):
    for i in range(40):
        (repo / "content" / "fr" / f"n{i}.md").write_text("Non.\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text(conf(output='"{dir}/../../../{lang}/{path}"'), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config_module.load()
    assert len(err.value.problems) == 21
    assert err.value.problems[-1] == f"{repo / 'pyproject.toml'}: and 62 more problems like these"


TREE = ["a.md", ".hidden.md", "content/fr/a.md", "content/fr/b.txt", "content/fr/.draft.md", "content/fr/x/y/c.md",
        "content/fr/.cache/d.md", "content/en/a.md", "content/[fr]/e.md", "notes/a1.md", "notes/b2.md", ".git/config"]
PATTERNS = ["*.md", "**/*.md", "content/fr/**/*.md", "content/**", "content/*/a.md", "notes/[!a]?.md", "notes/[ab]1.md",
            ".*", ".*/*", "content/fr/.*.md", "**/.cache/*.md", "content//fr/./*.md", "content/[[]fr]/*.md"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_listing_and_matching_agree_with_each_other_and_with_glob(tmp_path, pattern):
    """The files a glob lists are exactly the paths it matches (so checking an output against the
    globs predicts whether the next run would read it), and, without symlinks, what glob.glob lists
    (the behaviour before), except that .git is never listed."""
    for rel in TREE:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    listing = globs.Listing(str(tmp_path))
    listing.add(pattern)
    matched = {rel for rel in TREE if globs.match(rel, posixpath.normpath(pattern))} - {".git/config"}
    assert set(listing.files) == matched
    before = {p for p in glob.glob(pattern, root_dir=tmp_path, recursive=True) if (tmp_path / p).is_file()}
    assert set(listing.files) == {posixpath.normpath(p) for p in before} - {".git/config"}
    assert all(listing.files[rel] == str(tmp_path / rel) for rel in listing.files)
