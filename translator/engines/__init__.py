"""Engines and route planning: which engine, directly or through a pivot, per pair."""

from __future__ import annotations

from ..errors import NoRouteError, UsageError
from .base import Engine, PairInfo, StepResult
from .routes import Route, RouteChoice, pinned_routes, rank, route_choices

ENGINE_CHOICES = ("auto", "argos", "apertium")

__all__ = ["ENGINE_CHOICES", "Engine", "PairInfo", "Route", "RouteChoice", "StepResult", "find_route", "no_route",
           "pinned_routes", "rank", "route_choices"]


def find_route(engines: list[Engine], source: str, target: str) -> Route | None:
    """The route ``auto`` takes: the best installed one by :func:`.routes.rank`."""
    ranked = rank(engines, source, target)
    return ranked[0] if ranked else None


def no_route(source: str, target: str, engine: str, *, path: str | None = None) -> NoRouteError:
    """The error for a missing pair, naming the commands that install one."""
    argos = f"'translate models install translate-{source}_{target}'"
    # Debian names pairs either way (apertium-fr-es, apertium-fra-cat): the search is the sure hint.
    apertium = f"'apt-get install apertium-{source}-{target}'"
    listed = "'apt-cache search apertium' lists those it has"
    hint = {"argos": argos, "apertium": f"{apertium} if Debian has that pair ({listed})"}.get(
        engine, f"{argos} (Argos) or {apertium} (Apertium, if Debian has that pair: {listed})")
    return NoRouteError(f"no installed route from {source} to {target}: install one with {hint}", path=path)


def make_engines(choice: str, *, apertium_server: bool = False, **argos_options) -> list[Engine]:
    """The engines to try, in order of preference, for ``--engine`` *choice*."""
    if choice not in ENGINE_CHOICES:
        raise UsageError(f"unknown engine {choice!r}: choose one of {', '.join(ENGINE_CHOICES)}")
    engines: list[Engine] = []
    if choice in ("auto", "argos"):
        from .argos import ArgosEngine

        engines.append(ArgosEngine(**argos_options))
    if choice in ("auto", "apertium"):
        from .apertium import ApertiumEngine

        engines.append(ApertiumEngine(server=apertium_server))
    return engines
