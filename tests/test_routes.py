"""Route planning: measured quality first, any subset of pairs installed, pinned routes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from translator import Translator
from translator.engines import PairInfo, find_route, rank, route_choices
from translator.engines.routes import (candidates, format_route_choices, parse_route, pinned_route,
                                       pinned_routes, quality_table)
from translator.errors import NoRouteError, UsageError

from .conftest import needs_apertium, spy_steps

MODES = Path("/usr/share/apertium/modes")
TABLE = {"made": {"data": "test slice", "date": "today", "command": "test"},
         "routes": [{"route": "fr>ca>it", "engine": "apertium", "chrf": 49.5},
                    {"route": "fr>es>it", "engine": "apertium", "chrf": 47.2},
                    {"route": "fr>es>en", "engine": "apertium", "chrf": 49.4},
                    {"route": "fr>ca>en", "engine": "apertium", "chrf": 49.3}]}


class Fake:
    """An engine with the given pairs (nothing is translated)."""

    def __init__(self, name: str, pairs: list[str], pivots=("es", "ca", "en", "fr")) -> None:
        self.name, self.pivots, self.copies_terms = name, pivots, name == "apertium"
        self._pairs = {}
        for pair in pairs:
            s, t = pair.split("-")
            self._pairs[(s, t)] = PairInfo(name, s, t, pair, "1")

    def pairs(self):
        return self._pairs


def names(routes) -> list[str]:
    return [f"{r.engine}:{r.name}" for r in routes]


def test_measured_routes_first_best_first_then_the_fixed_order():
    apertium = Fake("apertium", ["fr-es", "es-it", "fr-ca", "ca-it", "fr-en", "en-it"])
    # fr>en>it is not measured: after both measured routes, although the fixed order tried it first
    assert names(candidates([apertium], "fr", "it")) == ["apertium:fr>es>it", "apertium:fr>ca>it", "apertium:fr>en>it"]
    assert names(rank([apertium], "fr", "it", TABLE)) == ["apertium:fr>ca>it", "apertium:fr>es>it", "apertium:fr>en>it"]
    # without a table: the fixed order, as before
    assert names(rank([apertium], "fr", "it", {})) == names(candidates([apertium], "fr", "it"))


def test_unmeasured_direct_pair_ranks_after_measured_pivots():
    apertium = Fake("apertium", ["fr-es", "es-en", "fr-ca", "ca-en", "fr-en"])
    assert names(rank([apertium], "fr", "en", TABLE)) == ["apertium:fr>es>en", "apertium:fr>ca>en", "apertium:fr>en"]
    assert names(rank([apertium], "fr", "en", {})) == ["apertium:fr>en", "apertium:fr>es>en", "apertium:fr>ca>en"]


def test_argos_direct_comes_before_everything():
    argos = Fake("argos", ["fr-it", "fr-en", "en-it"], pivots=("en",))
    apertium = Fake("apertium", ["fr-es", "es-it", "fr-ca", "ca-it"])
    ranked = names(rank([argos, apertium], "fr", "it", TABLE))
    assert ranked[0] == "argos:fr>it"
    assert ranked[1:3] == ["apertium:fr>ca>it", "apertium:fr>es>it"]  # measured
    assert ranked[3:] == ["argos:fr>en>it"]  # not measured: after, in the fixed order
    assert find_route([argos, apertium], "fr", "it").name == "fr>it"


@pytest.mark.parametrize("installed, expected", [
    (["fr-es", "es-it"], "fr>es>it"),
    (["fr-ca", "ca-it"], "fr>ca>it"),
    (["fr-es", "es-it", "fr-ca", "ca-it"], "fr>ca>it"),
    (["fr-es", "fr-ca", "ca-it", "es-pt"], "fr>ca>it"),
    (["fr-es", "es-pt"], None),
    ([], None),
])
def test_any_subset_of_pairs(installed, expected):
    ranked = rank([Fake("apertium", installed)], "fr", "it", TABLE)
    assert (ranked[0].name if ranked else None) == expected


def test_route_text_is_checked():
    assert parse_route("fr>ca>it") == ("fr", "ca", "it")
    assert parse_route(" FRA > cat > ita ", target="it") == ("fr", "ca", "it")
    for bad, message in [("fr", "languages joined by '>'"), ("fr>>it", "languages joined by '>'"),
                         ("fr>xx>it", "unknown language code 'xx'"), ("fr>it>fr", "appears twice")]:
        with pytest.raises(UsageError, match=message) as caught:
            parse_route(bad)
        assert repr(bad) in str(caught.value)
    with pytest.raises(UsageError, match="route 'fr>ca>pt' is given for it but ends in pt"):
        pinned_routes([Fake("apertium", ["fr-ca", "ca-pt"])], {"it": "fr>ca>pt"})
    with pytest.raises(UsageError, match="unknown language code 'xx'"):
        pinned_routes([Fake("apertium", [])], {"xx": "fr>ca>it"})


def test_uninstalled_route_names_the_missing_pair_and_what_is_installed():
    engines = [Fake("apertium", ["fr-es", "es-it", "fr-ca"])]
    with pytest.raises(NoRouteError) as caught:
        pinned_route(engines, "fr>ca>it", target="it")
    assert str(caught.value) == ("route fr>ca>it is not installed (no pair ca->it); "
                                 "installed routes from fr to it: fr>es>it")
    with pytest.raises(NoRouteError, match=r"\(no pair fr->de, de->it\); no route from fr to it is installed"):
        pinned_route([Fake("apertium", [])], "fr>de>it")


def test_a_pinned_route_may_use_any_pivot_whose_pairs_are_installed():
    engines = [Fake("apertium", ["fr-es", "es-it", "fr-pt", "pt-it"], pivots=("es",))]
    assert pinned_route(engines, "fr>pt>it").name == "fr>pt>it"
    assert names(rank(engines, "fr", "it")) == ["apertium:fr>es>it"]  # auto keeps to the pivots


def test_route_choices_list_every_route_with_its_score_and_the_pick():
    engines = [Fake("apertium", ["fr-es", "es-it", "fr-ca", "ca-it", "es-en"])]
    rows = route_choices(engines, "fr", table=TABLE)
    listed = [(r.target, r.route.name, r.chrf, r.chosen) for r in rows]
    assert listed == [("ca", "fr>ca", None, True), ("en", "fr>es>en", 49.4, True), ("es", "fr>es", None, True),
                      ("it", "fr>ca>it", 49.5, True), ("it", "fr>es>it", 47.2, False)]
    pinned = pinned_routes(engines, {"it": "fr>es>it"})
    rows_pinned = route_choices(engines, "fr", ["it"], pinned=pinned, table=TABLE)
    assert {(r.target, r.route.name, r.pinned) for r in rows_pinned if r.chosen} == {("it", "fr>es>it", True)}
    assert "fr    it  fr>es>it  apertium  47.20  pinned" in format_route_choices(rows_pinned, TABLE)
    text = format_route_choices(rows, TABLE)
    assert text.splitlines()[0].split() == ["FROM", "TO", "ROUTE", "ENGINE", "chrF", "AUTO"]
    assert "fr    it  fr>ca>it  apertium  49.50  *" in text
    assert text.splitlines()[-1].startswith("# chrF: test slice, measured today by 'test'")
    # every source when none is given
    assert {r.source for r in route_choices(engines, table=TABLE)} == {"fr", "es", "ca"}


def test_the_shipped_table_says_how_it_was_made():
    table = quality_table()
    made = table["made"]
    assert made["command"] == "bench/routes.py --tune" and "FLORES-200 dev lines 1-200" in made["data"]
    assert "chrF" in made["metric"] and made["date"]
    assert made["apertium"]["apertium-fra-cat"] and made["apertium"]["apertium-cat-ita"]
    scores = {(r["route"], r["engine"]): r["chrf"] for r in table["routes"]}
    assert all(0 < v < 100 for v in scores.values()) and ("fr>es", "apertium") in scores
    # the reason for this table: Catalan is the better pivot into Italian and Portuguese
    assert scores[("fr>ca>it", "apertium")] > scores[("fr>es>it", "apertium")]
    assert scores[("fr>ca>pt", "apertium")] > scores[("fr>es>pt", "apertium")]


# -- with the real Apertium ---------------------------------------------------------------

def _has(*modes: str) -> bool:
    return all((MODES / f"{m}.mode").exists() for m in modes)


needs_catalan = pytest.mark.skipif(not _has("fra-cat", "cat-ita", "cat-por"),
                                   reason="apertium-fra-cat, apertium-cat-ita, apertium-por-cat not installed (make setup)")


def _best(source: str, target: str, installed: list[str]) -> str:
    """The installed route the shipped table scores best."""
    table = quality_table()["routes"]
    scored = [r for r in table if r["route"].startswith(source + ">") and r["route"].endswith(">" + target)
              and all(step in installed for step in zip(r["route"].split(">"), r["route"].split(">")[1:]))]
    return max(scored, key=lambda r: r["chrf"])["route"]


@needs_apertium
@needs_catalan
def test_auto_takes_the_best_measured_route_and_shares_the_catalan_step(monkeypatch):
    t = Translator(engine="apertium")
    installed = list(t.engines[0].pairs())
    for target in ("it", "pt", "en"):
        assert t.route("fr", target).name == _best("fr", target, installed)
    assert t.route("fr", "it").name == "fr>ca>it" and t.route("fr", "pt").name == "fr>ca>pt"
    calls = spy_steps(t, monkeypatch)
    docs = [t.prepare("Le ciel est bleu. La mer est calme.", to="ca,it,pt,es,en", source="fr"),
            t.prepare("La mer est calme. Le vent souffle.", to="ca,it,pt,es,en", source="fr")]
    t.translate_documents(docs)
    # fr->ca once for ca, it and pt; fr->es once for es and en; each distinct sentence once
    assert sorted(calls) == [("ca", "it", 3), ("ca", "pt", 3), ("es", "en", 3), ("fr", "ca", 3), ("fr", "es", 3)]
    assert docs[0].engine["it"]["route"] == ["fr", "ca", "it"] and docs[1].text("pt")
    t.close()


@needs_apertium
@needs_catalan
@pytest.mark.parametrize("modes, expected", [
    (["fr-es", "spa-ita"], "fr>es>it"),
    (["fra-cat", "cat-ita"], "fr>ca>it"),
    (["fr-es", "spa-ita", "fra-cat", "cat-ita"], "fr>ca>it"),
    (["fr-es", "fra-cat", "cat-por"], None),
])
def test_real_apertium_with_a_subset_of_pairs(tmp_path, monkeypatch, modes, expected):
    for mode in modes:
        (tmp_path / f"{mode}.mode").symlink_to(MODES / f"{mode}.mode")
    monkeypatch.setenv("TRANSLATOR_APERTIUM_MODES", str(tmp_path))
    with Translator(engine="apertium") as t:
        route = t.route("fr", "it")
        assert (route.name if route else None) == expected
        if expected:
            assert t.translate_text("Il pleut.", to="it", source="fr").text("it") == "Piove."
        else:
            with pytest.raises(NoRouteError, match="no installed route from fr to it"):
                t.prepare("Il pleut.", to="it", source="fr")


@needs_apertium
@needs_catalan
def test_a_pinned_route_is_used_and_checked():
    with Translator(engine="apertium", routes={"it": "fr>es>it", "pt": "fra>cat>por"}) as t:
        doc = t.translate_text("Le ciel est bleu.", to="it,pt", source="fr")
        assert doc.engine["it"]["route"] == ["fr", "es", "it"] and doc.engine["pt"]["route"] == ["fr", "ca", "pt"]
        assert [s["pair"] for s in doc.engine["it"]["steps"]] == ["fr-es", "spa-ita"]
        chosen = [r.route.name for r in t.route_choices("fr", ["it"]) if r.chosen]
        assert chosen == ["fr>es>it"]
        # a text in another language than the route's first takes its own best route
        assert t.route("en", "it") is None or t.route("en", "it").languages[0] == "en"
    with pytest.raises(NoRouteError, match=r"route fr>de>it is not installed \(no pair fr->de, de->it\); "
                                           r"installed routes from fr to it: fr>ca>it, fr>es>it"):
        Translator(engine="apertium", routes={"it": "fr>de>it"})
    with pytest.raises(UsageError, match="route 'fr-ca-it'"):
        Translator(engine="apertium", routes={"it": "fr-ca-it"})


@needs_apertium
@needs_catalan
def test_models_routes_listing_from_the_library():
    with Translator(engine="apertium") as t:
        rows = t.route_choices("fr")
    by_target = {}
    for row in rows:
        by_target.setdefault(row.target, []).append(row)
    assert set(by_target) >= {"ca", "es", "en", "it", "pt"}
    for target, routes in by_target.items():
        assert sum(r.chosen for r in routes) == 1
        measured = [r.chrf for r in routes if r.chrf is not None]
        assert measured == sorted(measured, reverse=True)
    assert [r.route.name for r in by_target["it"] if r.chosen] == ["fr>ca>it"]
    assert os.linesep not in format_route_choices(rows).splitlines()[0]


# -- the command line and the repository configuration -----------------------------------------------
@needs_apertium
def test_models_routes_lists_measured_routes_and_the_choice(capsys):
    from translator.cli import main

    assert main(["models", "routes", "--from", "fr"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["FROM", "TO", "ROUTE", "ENGINE", "chrF", "AUTO"]
    chosen = {line.split()[1]: line.split()[2] for line in out[1:] if line.rstrip().endswith("*")}
    assert chosen["es"] == "fr>es" and chosen["it"] == "fr>ca>it" and chosen["pt"] == "fr>ca>pt"
    assert out[-1].startswith("# chrF: FLORES-200 dev lines 1-200")
    assert main(["models", "routes", "--from", "fr", "--route", "it=fr>es>it"]) == 0
    assert any(line.split()[:3] == ["fr", "it", "fr>es>it"] and line.rstrip().endswith("pinned")
               for line in capsys.readouterr().out.splitlines())


@needs_apertium
def test_route_option_pins_the_route_of_a_run(tmp_path, capsys):
    from translator.cli import main
    from translator.errors import ExitCode

    src = tmp_path / "a.txt"
    src.write_text("Le ciel est bleu et la mer est calme.\n", encoding="utf-8")
    assert main([str(src), "--to", "it", "--from", "fr", "--format", "json", "-q", "--route", "it=fr>es>it"]) == 0
    assert json.loads(capsys.readouterr().out)["engine"]["it"]["route"] == ["fr", "es", "it"]
    assert main([str(src), "--to", "it", "--from", "fr", "--format", "json", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["engine"]["it"]["route"] == ["fr", "ca", "it"]
    assert main([str(src), "--to", "it", "--route", "it"]) == ExitCode.USAGE
    assert "--route 'it': write it as LANG=ROUTE" in capsys.readouterr().err


def test_the_configuration_checks_routes(tmp_path, monkeypatch):
    from translator import config
    from translator.errors import ConfigError

    (tmp_path / "content" / "fr").mkdir(parents=True)
    body = ('[tool.translator]\nsources = ["content/fr/*.md"]\ntargets = ["it"]\noutput = "content/{lang}/{path}"\n'
            'routes = { it = "fr>ca>it" }\n')
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert config.load().routes == {"it": "fr>ca>it"}
    for bad, problem in (('routes = { it = "fr>it>ca" }', "is given for it but ends in ca"),
                         ('routes = { it = "fr" }', "write it as languages joined by '>'"),
                         ('routes = "fr>ca>it"', "must be a table of target = \"route\"")):
        (tmp_path / "pyproject.toml").write_text(body.replace('routes = { it = "fr>ca>it" }', bad), encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            config.load()
        assert any(problem in p and ": tool.translator.routes: " in p for p in err.value.problems), err.value.problems
