"""bench/service.py runs (the load generator against a real server, the table, the plot), so it
cannot rot.  Tiny counts; no timing is asserted."""

from __future__ import annotations

import asyncio
import sys

from translator.service.options import ServiceOptions

from .conftest import ROOT, needs_apertium
from .service_support import running, translator  # noqa: F401  (fixture)

sys.path.insert(0, str(ROOT / "bench"))


def test_percentiles_and_request_bodies():
    import service

    assert service.percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert service.percentile([1, 2, 3], 0.99) == 3
    bodies = service.bodies_for(["a", "b", "c"], 2, "fr", "es")
    assert bodies == [{"q": ["a", "b"], "source": "fr", "target": "es"},
                      {"q": ["c", "a"], "source": "fr", "target": "es"}]


@needs_apertium
def test_the_load_generator_against_a_real_server(translator, tmp_path):  # noqa: F811
    import service

    with running(ServiceOptions(access_log="off"), translator) as srv:
        bodies = service.bodies_for(["Le chat dort.", "La mer est calme."], 1, "fr", "es")
        row = asyncio.run(service._load(srv.url, bodies, 2, 6))
        bad = asyncio.run(service._load(srv.url, [{"q": "x", "source": "fr", "target": "zz"}], 1, 2))
    assert (row["requests"], row["errors"]) == (6, 0) and row["p50_ms"] <= row["p99_ms"]
    assert bad["errors"] == 2 and bad["first_error"].startswith("400")
    row.update(clients=2, sentences_per_request=1, sentences_per_s=row["requests_per_s"])
    result = {"smoke": True, "data": "test", "beam": 4, "threads": 2,
              "config": {"requests": {1: 6}, "sizes": [1]},
              "servers": {"translator": {"zh_en": [row], "peak_rss_mb": 1.0}},
              "soak": {"requests": 6, "errors": 0, "rss_after_2_mb": 10.0, "rss_end_mb": 10.5, "rss_growth": 0.05}}
    table = "\n".join(service.render(result))
    assert "SMOKE RUN" in table and "| translator | zh->en (Argos) | 2 | 1 |" in table
    assert "+5.0%" in table
    assert service.plot(result, tmp_path / "service.png").stat().st_size > 1000
