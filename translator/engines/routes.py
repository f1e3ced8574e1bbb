"""Route planning: every installed route of a pair, ranked by measured quality.

A route is a chain of engine pairs (``fr>ca>it``: Apertium fr->ca, then ca->it).
The candidates of a pair are the routes the fixed order has always tried: each
engine direct, then through its pivots, then two engines through a pivot.  They
are ranked: an Argos direct pair first when installed, then the routes measured in
``translator/route_quality.json`` (chrF on a tuning slice of FLORES-200 dev, made
by ``bench/routes.py --tune``), best first, then the routes never measured, in the
fixed order.  A user may pin a route per target instead (``routes={"it": "fr>ca>it"}``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from ..errors import LanguageError, NoRouteError, UsageError
from ..languages import normalize
from .base import Engine, PairInfo

QUALITY_FILE = "route_quality.json"
ARGOS = "argos"


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

    @property
    def name(self) -> str:
        """``fr>ca>it``: how users write a route."""
        return ">".join(self.languages)

    def describe(self) -> dict:
        return {
            "name": self.engine,
            "version": self.version,
            "route": list(self.languages),
            "steps": [{"engine": p.engine, "pair": p.name, "version": p.version} for p in self.pairs],
        }


@dataclass(frozen=True)
class RouteChoice:
    """One installed route of a pair, its measured quality and whether ``auto`` picks it."""

    source: str
    target: str
    route: Route
    chrf: float | None  # None: not measured
    chosen: bool
    pinned: bool = False  # chosen because the user pinned it


def candidates(engines: list[Engine], source: str, target: str) -> list[Route]:
    """Every installed route from *source* to *target*, in the fixed order: engines in
    order, each direct first, then through its pivots; then two engines chained through
    a pivot (Argos zh->en, then Apertium en->es)."""
    found: dict[tuple, Route] = {}

    def add(route: Route) -> None:
        found.setdefault(route.pairs, route)

    for engine in engines:
        pairs = engine.pairs()
        if (source, target) in pairs:
            add(Route((source, target), (pairs[(source, target)],)))
        for pivot in engine.pivots:
            first, second = pairs.get((source, pivot)), pairs.get((pivot, target))
            if first and second and pivot not in (source, target):
                add(Route((source, pivot, target), (first, second)))
    for pivot in dict.fromkeys(p for e in engines for p in e.pivots):
        if pivot in (source, target):
            continue
        first = next((e.pairs()[(source, pivot)] for e in engines if (source, pivot) in e.pairs()), None)
        second = next((e.pairs()[(pivot, target)] for e in engines if (pivot, target) in e.pairs()), None)
        if first and second:
            add(Route((source, pivot, target), (first, second)))
    return list(found.values())


@cache
def quality_table() -> dict:
    """The measured table shipped with the package: ``{"made": {...}, "routes": [...]}``."""
    from importlib.resources import files

    try:
        return json.loads((files("translator") / QUALITY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"made": {}, "routes": []}


def measured(route: Route, table: dict | None = None) -> float | None:
    """The chrF measured for *route* (same languages, same engines), or None."""
    table = quality_table() if table is None else table
    for row in table.get("routes", ()):
        if row.get("route") == route.name and row.get("engine") == route.engine:
            return row.get("chrf")
    return None


def rank(engines: list[Engine], source: str, target: str, table: dict | None = None) -> list[Route]:
    """The installed routes of a pair, best first (see the module's description)."""
    routes = candidates(engines, source, target)
    scores = {r.pairs: measured(r, table) for r in routes}

    def key(item: tuple[int, Route]) -> tuple:
        order, route = item
        argos_direct = len(route.pairs) == 1 and route.engine == ARGOS
        score = scores[route.pairs]
        return (not argos_direct, score is None, -(score or 0.0), order)

    return [route for _, route in sorted(enumerate(routes), key=key)]


def parse_route(text: str, *, target: str | None = None) -> tuple[str, ...]:
    """``"fr>ca>it"`` as language codes; UsageError naming the route when malformed."""
    parts = [p.strip() for p in str(text).split(">")]
    if len(parts) < 2 or not all(parts):
        raise UsageError(f"route {text!r}: write it as languages joined by '>', such as fr>ca>it")
    try:
        languages = tuple(normalize(p, option=f"route {text!r}") for p in parts)
    except LanguageError as exc:
        raise UsageError(str(exc)) from None
    if len(set(languages)) != len(languages):
        raise UsageError(f"route {text!r}: a language appears twice")
    if target is not None and languages[-1] != target:
        raise UsageError(f"route {text!r} is given for {target} but ends in {languages[-1]}")
    return languages


def pinned_route(engines: list[Engine], text: str, *, target: str | None = None) -> Route:
    """The installed route written *text*, or NoRouteError naming the route, the
    missing steps and the routes installed.  Each step is taken from the engines in
    order (among the planner's candidates, as ranked), any pivot allowed."""
    languages = parse_route(text, target=target)
    source, last = languages[0], languages[-1]
    ranked = rank(engines, source, last)
    for route in ranked:
        if route.languages == languages:
            return route
    steps: list[PairInfo] = []
    missing: list[str] = []
    for a, b in zip(languages, languages[1:]):
        pair = next((e.pairs()[(a, b)] for e in engines if (a, b) in e.pairs()), None)
        if pair is None:
            missing.append(f"{a}->{b}")
        else:
            steps.append(pair)
    if not missing:
        return Route(languages, tuple(steps))
    installed = (f"installed routes from {source} to {last}: {', '.join(r.name for r in ranked)}" if ranked
                 else f"no route from {source} to {last} is installed")
    raise NoRouteError(f"route {'>'.join(languages)} is not installed (no pair {', '.join(missing)}); {installed}")


def pinned_routes(engines: list[Engine], routes: dict[str, str] | None) -> dict[tuple[str, str], Route]:
    """``{"it": "fr>ca>it"}`` checked and resolved: ``{("fr", "it"): Route}``."""
    resolved: dict[tuple[str, str], Route] = {}
    for key, text in (routes or {}).items():
        try:
            target = normalize(key, option="routes")
        except LanguageError as exc:
            raise UsageError(str(exc)) from None
        route = pinned_route(engines, text, target=target)
        resolved[(route.languages[0], target)] = route
    return resolved


def route_choices(engines: list[Engine], source: str | None = None, targets: list[str] | None = None,
                  *, pinned: dict[tuple[str, str], Route] | None = None,
                  table: dict | None = None) -> list[RouteChoice]:
    """Per source and target, every installed route with its measured chrF and which one
    ``auto`` (or the pinned route) picks: what ``translate models routes`` shows."""
    pairs = {key for e in engines for key in e.pairs()}
    sources = [source] if source else sorted({s for s, _ in pairs})
    languages = sorted({lang for pair in pairs for lang in pair})
    rows: list[RouteChoice] = []
    for src in sources:
        for target in targets or languages:
            if target == src:
                continue
            ranked = rank(engines, src, target, table)
            pick = (pinned or {}).get((src, target)) or (ranked[0] if ranked else None)
            listed = ranked if pick is None or pick in ranked else [pick, *ranked]
            pinned_here = (pinned or {}).get((src, target)) is not None
            rows += [RouteChoice(src, target, r, measured(r, table), r == pick, pinned_here and r == pick)
                     for r in listed]
    return rows


def format_route_choices(rows: list[RouteChoice], table: dict | None = None) -> str:
    """The rows as a text table, with how the figures were made."""
    table = quality_table() if table is None else table
    lines = [("FROM", "TO", "ROUTE", "ENGINE", "chrF", "AUTO")]
    for row in rows:
        chrf = f"{row.chrf:.2f}" if row.chrf is not None else "-"
        used = "pinned" if row.pinned else "*" if row.chosen else ""
        lines.append((row.source, row.target, row.route.name, row.route.engine, chrf, used))
    widths = [max(len(line[i]) for line in lines) for i in range(6)]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    made = table.get("made") or {}
    if made:
        out.append(f"# chrF: {made.get('data', '?')}, measured {made.get('date', '?')} "
                   f"by '{made.get('command', '?')}'; '-': not measured, ranked after measured routes; "
                   "AUTO: the route taken ('pinned': chosen in the configuration)")
    return "\n".join(out)
