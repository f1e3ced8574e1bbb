"""Engines and route planning: which engine, directly or through a pivot, per pair."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NoRouteError, UsageError
from .base import Engine, PairInfo, StepResult

ENGINE_CHOICES = ("auto", "argos", "apertium")

__all__ = ["ENGINE_CHOICES", "Engine", "PairInfo", "Route", "StepResult", "find_route", "no_route"]


@dataclass(frozen=True)
class Route:
    """A chain of pairs: ``("fr", "es", "en")`` pivots through Spanish."""

    languages: tuple[str, ...]
    pairs: tuple[PairInfo, ...]

    @property
    def engine(self) -> str:
        return "+".join(dict.fromkeys(p.engine for p in self.pairs))

    @property
    def version(self) -> str:
        return "+".join(p.version for p in self.pairs)

    def describe(self) -> dict:
        return {
            "name": self.engine,
            "version": self.version,
            "route": list(self.languages),
            "steps": [{"engine": p.engine, "pair": p.name, "version": p.version} for p in self.pairs],
        }


def find_route(engines: list[Engine], source: str, target: str) -> Route | None:
    """The preferred route: engines in order, each direct first, then through its
    pivots; failing that, two engines chained through a pivot (Argos zh->en, then
    Apertium en->es)."""
    for engine in engines:
        pairs = engine.pairs()
        if (source, target) in pairs:
            return Route((source, target), (pairs[(source, target)],))
        for pivot in engine.pivots:
            if pivot in (source, target):
                continue
            first, second = pairs.get((source, pivot)), pairs.get((pivot, target))
            if first and second:
                return Route((source, pivot, target), (first, second))
    pivots = list(dict.fromkeys(p for e in engines for p in e.pivots))
    for pivot in pivots:
        if pivot in (source, target):
            continue
        first = next((e.pairs()[(source, pivot)] for e in engines if (source, pivot) in e.pairs()), None)
        second = next((e.pairs()[(pivot, target)] for e in engines if (pivot, target) in e.pairs()), None)
        if first and second:
            return Route((source, pivot, target), (first, second))
    return None


def no_route(source: str, target: str, engine: str, *, path: str | None = None) -> NoRouteError:
    """The error for a missing pair, naming the commands that install one."""
    argos = f"'translate models install translate-{source}_{target}'"
    apertium = f"'apt-get install apertium-{source}-{target}'"
    hint = {"argos": argos, "apertium": apertium}.get(
        engine, f"{argos} (Argos) or {apertium} (Apertium, if Debian has that pair)")
    return NoRouteError(f"no installed route from {source} to {target}: install one with {hint}", path=path)


def make_engines(choice: str, *, apertium_server: bool = False, **argos_options) -> list[Engine]:
    """The engines to try, in order of preference, for ``--engine`` *choice*."""
    if choice not in ENGINE_CHOICES:
        raise UsageError(f"unknown engine {choice!r}: choose one of {', '.join(ENGINE_CHOICES)}")
    from .apertium import ApertiumEngine
    from .argos import ArgosEngine

    engines: list[Engine] = []
    if choice in ("auto", "argos"):
        engines.append(ArgosEngine(**argos_options))
    if choice in ("auto", "apertium"):
        engines.append(ApertiumEngine(server=apertium_server))
    return engines
