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

Every path stays inside the repository, and the whole source -> output mapping is checked
when the configuration is loaded, before a hook reads or writes anything (see
:mod:`translator.config_paths`).
"""

from __future__ import annotations

import os
import posixpath
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import config_paths, globs
from .errors import ConfigError
from .languages import canonical

KEYS = {"source_language", "sources", "targets", "output", "glossaries", "engine", "memory", "lock",
        "apertium_server", "routes"}
ENGINES = ("auto", "argos", "apertium")


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
    routes: dict[str, str] = field(default_factory=dict)  # target -> "fr>ca>it", checked when engines load
    _files: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _mapping: dict[str, tuple[str, str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def check(self) -> None:
        """List the sources and map each to its outputs, refusing (:class:`ConfigError`) any path
        outside the repository and any output shared, or that is a source, the memory or the lock."""
        self._files, self._mapping = config_paths.check(self)

    def source_files(self) -> list[str]:
        """Every source file, as a path relative to the root with forward slashes."""
        if self._files is None:
            self.check()
        return self._files

    def mapping(self) -> dict[str, tuple[str, str]]:
        """Every output the configuration writes -> (its source, its language)."""
        self.source_files()
        return self._mapping

    def is_source(self, path: str) -> bool:
        """Whether *path* is one of :meth:`source_files` (so it passed the checks)."""
        return self.relative(path) in self._source_set

    @cached_property
    def _source_set(self) -> frozenset[str]:
        return frozenset(self.source_files())

    def relative(self, path: str) -> str | None:
        try:
            return Path(os.path.abspath(path)).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def output_for(self, source: str, lang: str) -> str:
        """The target path of *source* (relative to the root) in *lang*, normalised (no ``.`` nor ``a/..``)."""
        base = next((globs.fixed_prefix(p) for p in self.sources if globs.match(source, p)), "")
        below = source[len(base) + 1:] if base and source.startswith(base + "/") else source
        folder, _, name = source.rpartition("/")
        dot = name.rfind(".")
        suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as PurePosixPath(name).suffix
        out = self.output.format(lang=lang, path=below, dir=folder or ".", stem=name[:len(name) - len(suffix)],
                                 name=name, suffix=suffix)
        return posixpath.normpath(out)  # "./a.en.txt" -> "a.en.txt"

    def problem(self, key: str, problem: str) -> str:
        """One ``file: key: problem`` line about this configuration."""
        return _line(self.file, key, problem)


def _line(file: str, key: str, problem: str) -> str:
    table = "" if Path(file).name == ".translator.toml" else "tool.translator"
    return f"{file}: {'.'.join(k for k in (table, key) if k)}: {problem}"


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
                tool = _parse(pyproject).get("tool")
            except (OSError, ValueError):
                return folder  # let load() report it
            if isinstance(tool, dict) and "translator" in tool:
                return folder
    return None


def _parse(path: Path) -> dict:
    """The TOML document at *path*; raises OSError, UnicodeDecodeError or TOMLDecodeError (ValueErrors)."""
    return tomllib.loads(path.read_bytes().decode("utf-8-sig"))


def _read(root: Path) -> tuple[str, dict]:
    """The configuration file's name and its table of settings, or :class:`ConfigError`."""
    own = root / ".translator.toml"
    path = own if own.is_file() else root / "pyproject.toml"
    name = str(path)
    try:
        data = _parse(path)
    except OSError as exc:
        raise ConfigError([f"{name}: cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise ConfigError([f"{name}:{line}: not UTF-8 (byte {exc.start}): save it as UTF-8"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{name}: invalid TOML: {exc}"]) from None
    tool = data.get("tool")
    table = data if path == own else tool.get("translator") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError([_line(name, "", "must be a table: [tool.translator] followed by its keys")])
    return name, table


def load(start: str | os.PathLike[str] = ".") -> Config:
    """Find, read and validate the configuration, then check every path it maps
    (:meth:`Config.check`); raise :class:`ConfigError` listing every problem."""
    root = find(start)
    if root is None:
        raise ConfigError([f"{Path(start).resolve()}: no [tool.translator] in pyproject.toml and no "
                           ".translator.toml here or above: add one (see the README)"])
    name, table = _read(root)
    problems: list[str] = []
    values = _validate(table, lambda key, problem: problems.append(_line(name, key, problem)))
    if problems:
        raise ConfigError(problems)
    cfg = Config(root, name, **values)
    cfg.check()
    return cfg


Bad = Callable[[str, str], None]


def _validate(table: dict, bad: Bad) -> dict:
    """The settings of *table* as :class:`Config` fields; each problem goes to ``bad(key, problem)``."""
    for key in table:
        if key not in KEYS:
            bad(key, f"unknown key (known: {', '.join(sorted(KEYS))})")
    lists = {}
    for key in ("sources", "targets", "glossaries"):
        value = table.get(key, [])
        if key in ("sources", "targets") and key not in table:
            bad(key, "required")
        elif not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            bad(key, "must be a list of strings")
            value = []
        lists[key] = value
    for pattern in lists["sources"]:
        problem = config_paths.path_problem(pattern) or globs.problem(pattern)
        if problem:
            bad("sources", problem)
    if "sources" in table and not lists["sources"]:
        bad("sources", "must list at least one glob, such as \"content/fr/**/*.md\"")
    source, targets = _languages(table, lists["targets"], bad)
    strings = _strings(table, bad)
    server = table.get("apertium_server", False)
    if not isinstance(server, bool):
        bad("apertium_server", "must be true or false")
    routes = table.get("routes", {})
    if not isinstance(routes, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in routes.items()):
        bad("routes", "must be a table of target = \"route\", such as { it = \"fr>ca>it\" }")
        routes = {}
    for target, route in routes.items():
        problem = _route_problem(target, route)
        if problem:
            bad("routes", problem)
    return dict(source_language=source, sources=lists["sources"], targets=targets, glossaries=lists["glossaries"],
                apertium_server=server, routes=dict(routes), **strings)


def _route_problem(target: str, route: str) -> str | None:
    """A route's spelling and languages (whether it is installed is checked when engines load)."""
    from .engines.routes import parse_route
    from .errors import TranslatorError

    try:
        parse_route(route, target=canonical(target) or target)
    except TranslatorError as exc:
        return str(exc)
    return None if canonical(target) else f"unknown language code {target!r}"


def _strings(table: dict, bad: Bad) -> dict[str, str]:
    """``output``, ``engine``, ``memory`` and ``lock``, each checked by what it is."""
    strings = {key: table.get(key, getattr(Config, key)) for key in ("output", "engine", "memory", "lock")}
    for key, value in strings.items():
        if not isinstance(value, str) or not value:
            bad(key, "must be a non-empty string")
            continue
        if key == "output":
            problems = config_paths.template_problems(value)
        elif key == "engine":
            problems = [] if value in ENGINES else [f"{value!r} is not auto, argos or apertium"]
        else:
            problems = [config_paths.path_problem(value)]
        for problem in filter(None, problems):
            bad(key, problem)
    if posixpath.normpath(str(strings["memory"])) == posixpath.normpath(str(strings["lock"])):
        bad("lock", "is the memory file: give them different paths")
    return strings


def _languages(table: dict, codes: list[str], bad: Bad) -> tuple[str, list[str]]:
    """The source language ("auto" or a canonical code) and the canonical, distinct targets."""
    targets: list[str] = []
    for code in codes:
        c = canonical(code)
        if c is None:
            bad("targets", f"unknown language code {code!r}")
        elif c in targets:
            bad("targets", f"{code!r} is listed twice (as {c!r})")
        targets.append(c or code)
    if "targets" in table and not codes:
        bad("targets", "must list at least one language, such as [\"en\", \"es\"]")
    source = table.get("source_language", "auto")
    if not isinstance(source, str) or (source != "auto" and canonical(source) is None):
        bad("source_language", f"unknown language code {source!r}")
    elif source != "auto":
        source = canonical(source)
    if source in targets:
        bad("targets", f"the source language {source!r} cannot be a target")
    return source, targets
