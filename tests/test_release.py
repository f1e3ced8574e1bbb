"""The version is said once and agrees everywhere: the package, the changelog's top entry,
the README's pre-commit example and the hook definitions."""

from __future__ import annotations

import re
from importlib import metadata

import translator

from .conftest import ROOT


def test_version_changelog_and_readme_agree():
    version = translator.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert metadata.version("translator") == version
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    top = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d\d-\d\d)$", changelog, re.M)
    assert top and top.group(1) == version, "the changelog's top entry is not this version"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"^\s*rev: (\S+)$", readme, re.M) == [f"v{version}"]


def test_the_hooks_file_defines_the_three_hooks_as_python():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.findall(r"^- id: (\S+)$", hooks, re.M) == ["translate-sync", "translate-check", "glossary-check"]
    assert re.findall(r"^  language: (\S+)$", hooks, re.M) == ["python"] * 3
