"""The route benchmark runs (on tiny slices), so it cannot rot.  No timing is asserted."""

from __future__ import annotations

import sys

from .conftest import ROOT, needs_apertium, needs_flores

sys.path.insert(0, str(ROOT / "bench"))


@needs_apertium
@needs_flores
def test_tuning_table_is_made_with_its_provenance():
    import routes

    table = routes.tune(count=3)
    made = table["made"]
    assert made["command"] == "bench/routes.py --tune" and made["data"].startswith("FLORES-200 dev lines 1-3 ")
    assert made["apertium"]["apertium-fr-es"] != "?" and made["date"]
    rows = {(r["route"], r["engine"]): r for r in table["routes"]}
    assert ("fr>es", "apertium") in rows and ("fr>es>en", "apertium") in rows
    assert all(r["sentences"] == 3 and 0 <= r["chrf"] <= 100 for r in rows.values())


@needs_apertium
@needs_flores
def test_held_out_comparison_and_its_table():
    import routes
    from translator.engines import rank
    from translator.engines.apertium import ApertiumEngine

    route = rank([ApertiumEngine()], "fr", "es")[0]
    sentences = routes.lines("fr", routes.TUNE, routes.TUNE + 3)
    row = routes.compare_raw(route, sentences, routes.lines("es", routes.TUNE, routes.TUNE + 3), 2, {})
    assert row["route"] == "fr>es" and row["alone"]["equal_to_raw_alone"] == 1.0
    speed = routes.boundary_speed(route, sentences, per_document=2, repeats=1)
    assert set(speed) >= {"sentences_alone", "documents_in_order", "one_document", "tagger_restarts"}
    result = {"data": "d", "sentences": 3, "raw": [row], "boundary_speed": speed,
              "targets": [{"target": "es", "old_route": "fr>es", "new_route": "fr>es", "old": row["pipeline"],
                           "new": row["pipeline"], "chrf_gain": 0.0}]}
    text = "\n".join(routes.render(result))
    assert "| es | fr>es |" in text and "| fr>es |" in text and "100.0% (2)" in text
