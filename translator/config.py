"""A content repository's configuration: ``[tool.translator]`` in ``pyproject.toml``,
or the top level of ``.translator.toml`` (which wins when both exist).

    [tool.translator]
    source_language = "fr"
    sources = ["content/fr/**/*.md"]
    targets = ["en", "es"]
    output = "content/{lang}/{path}"      # {path}: below the fixed part of the source glob
    glossaries = ["news"]
    engine = "apertium"
    memory = ".translator/memory.sqlite"
    lock = ".translator/lock.json"
    apertium_server = true                # keep Apertium loaded between hook runs
"""

from __future__ import annotations

import glob
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import ConfigError
from .languages import canonical

KEYS = {"source_language", "sources", "targets", "output", "glossaries", "engine", "memory", "lock",
        "apertium_server"}
FIELDS = ("lang", "path", "dir", "stem", "name", "suffix")


@dataclass
class Config:
    root: Path
    file: str
    source_language: str
    sources: list[str]
    targets: list[str]
    output: str = "{dir}/{stem}.{lang}{suffix}"
    glossaries: list[str] = field(default_factory=list)
    engine: str = "auto"
    memory: str = ".translator/memory.sqlite"
    lock: str = ".translator/lock.json"
    apertium_server: bool = False

    def source_files(self) -> list[str]:
        """Every source file, as a path relative to the root with forward slashes."""
        found = set()
        for pattern in self.sources:
            for path in glob.glob(pattern, root_dir=self.root, recursive=True):
                if (self.root / path).is_file():
                    found.add(PurePosixPath(Path(path).as_posix()).as_posix())
        return sorted(found)

    def is_source(self, path: str) -> bool:
        rel = self.relative(path)
        return rel is not None and any(_glob_match(rel, p) for p in self.sources)

    def relative(self, path: str) -> str | None:
        try:
            return Path(os.path.abspath(path)).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def output_for(self, source: str, lang: str) -> str:
        """The target path of *source* (relative to the root) in *lang*."""
        pure = PurePosixPath(source)
        base = next((_fixed_prefix(p) for p in self.sources if _glob_match(source, p)), "")
        below = pure.relative_to(base).as_posix() if base and source.startswith(base + "/") else source
        out = self.output.format(lang=lang, path=below, dir=pure.parent.as_posix(), stem=pure.stem,
                                 name=pure.name, suffix=pure.suffix)
        return PurePosixPath(out).as_posix()  # "./a.en.txt" -> "a.en.txt"


def _fixed_prefix(pattern: str) -> str:
    parts = []
    for part in PurePosixPath(pattern).parts[:-1]:
        if any(ch in part for ch in "*?["):
            break
        parts.append(part)
    return "/".join(parts)


def _glob_match(path: str, pattern: str) -> bool:
    """Git-style globs: ``**/`` any folders, ``*`` and ``?`` within one name."""
    import re

    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            regex += ".*"
            i += 2
        else:
            chunk = pattern[i]
            regex += "[^/]*" if chunk == "*" else "[^/]" if chunk == "?" else re.escape(chunk)
            i += 1
    return re.fullmatch(regex, path) is not None


def find(start: str | os.PathLike[str] = ".") -> Path | None:
    """The nearest folder, from *start* up, with a ``.translator.toml`` or a
    ``pyproject.toml`` holding ``[tool.translator]``."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / ".translator.toml").is_file():
            return folder
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "translator" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}):
                    return folder
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                return folder  # let load() report it
    return None


def load(start: str | os.PathLike[str] = ".") -> Config:
    """Find, read and validate the configuration; raise :class:`ConfigError` listing every problem."""
    root = find(start)
    if root is None:
        raise ConfigError([f"{Path(start).resolve()}: no [tool.translator] in pyproject.toml and no "
                           ".translator.toml here or above: add one (see the README)"])
    own = root / ".translator.toml"
    name = str(own if own.is_file() else root / "pyproject.toml")
    try:
        data = tomllib.loads(Path(name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{name}: invalid TOML: {exc}"]) from None
    table = data if own.is_file() else data["tool"]["translator"]
    prefix = "" if own.is_file() else "tool.translator."
    problems = []

    def bad(key: str, problem: str) -> None:
        problems.append(f"{name}: {prefix}{key}: {problem}")

    for key in table:
        if key not in KEYS:
            bad(key, f"unknown key (known: {', '.join(sorted(KEYS))})")
    for key in ("sources", "targets"):
        if key not in table:
            bad(key, "required")
    values = {}
    for key in ("sources", "targets", "glossaries"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            bad(key, "must be a list of strings")
            value = []
        values[key] = value
    if "sources" in table and not values["sources"]:
        bad("sources", "must list at least one glob, such as \"content/fr/**/*.md\"")
    targets = []
    for code in values["targets"]:
        c = canonical(code)
        if c is None:
            bad("targets", f"unknown language code {code!r}")
        targets.append(c or code)
    if "targets" in table and not values["targets"]:
        bad("targets", "must list at least one language, such as [\"en\", \"es\"]")
    source = table.get("source_language", "auto")
    if not isinstance(source, str) or (source != "auto" and canonical(source) is None):
        bad("source_language", f"unknown language code {source!r}")
    elif source != "auto":
        source = canonical(source)
    if source in targets:
        bad("targets", f"the source language {source!r} cannot be a target")
    for key in ("output", "engine", "memory", "lock"):
        if key in table and not isinstance(table[key], str):
            bad(key, "must be a string")
    output = table.get("output", Config.output)
    if isinstance(output, str):
        try:
            output.format(**{f: "x" for f in FIELDS})
        except (KeyError, IndexError, ValueError) as exc:
            bad("output", f"unknown placeholder {exc} (use {', '.join('{' + f + '}' for f in FIELDS)})")
        if "{lang}" not in output:
            bad("output", "must contain {lang}, or every language would write the same file")
    engine = table.get("engine", "auto")
    if engine not in ("auto", "argos", "apertium"):
        bad("engine", f"{engine!r} is not auto, argos or apertium")
    server = table.get("apertium_server", False)
    if not isinstance(server, bool):
        bad("apertium_server", "must be true or false")
    if problems:
        raise ConfigError(problems)
    return Config(root, name, source, values["sources"], targets, output, values["glossaries"], engine,
                  table.get("memory", Config.memory), table.get("lock", Config.lock), server)
