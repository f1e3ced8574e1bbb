"""``translate serve``'s limits, API keys, CORS, access log, glossary and engine extensions."""

from __future__ import annotations

import json
import sqlite3

import httpx
import pytest

from translator.errors import UsageError
from translator.service.keys import KeyLimits, load_keys
from translator.service.limits import RateLimiter
from translator.service.options import ServiceOptions

from .conftest import needs_apertium
from .service_support import FR, running, translator  # noqa: F401  (fixture)

OK = {"q": "Le chat dort.", "source": "fr", "target": "es"}


def served(translator, **options):  # noqa: F811
    return running(ServiceOptions(**{"access_log": "off", **options}), translator)


@needs_apertium
def test_char_and_batch_limits_as_libretranslate(translator):  # noqa: F811
    with served(translator, char_limit=20, batch_limit=2) as srv, httpx.Client(base_url=srv.url) as http:
        long = http.post("/translate", json={**OK, "q": "x" * 21})
        assert (long.status_code, long.json()) == (400, {"error": "Invalid request: request (21) exceeds text limit (20)"})
        many = http.post("/translate", json={**OK, "q": ["a", "b", "c"]})
        assert (many.status_code, many.json()) == (400, {"error": "Invalid request: request (3) exceeds text limit (2)"})
        assert http.post("/translate", json={**OK, "q": ["Le chat.", "Le chien."]}).status_code == 200
        assert http.get("/frontend/settings").json()["charLimit"] == 20


@needs_apertium
def test_requests_per_minute_count_texts_and_answer_429(translator):  # noqa: F811
    with served(translator, req_limit=3) as srv, httpx.Client(base_url=srv.url) as http:
        assert http.post("/translate", json={**OK, "q": ["Le chat.", "Le chien."]}).status_code == 200  # costs 2
        assert http.post("/translate", json=OK).status_code == 200
        refused = http.post("/translate", json=OK)
        assert (refused.status_code, refused.json()) == (429, {"error": "Slowdown: 3 per 1 minute"})
        assert http.get("/languages").status_code == 200  # exempt, as in LibreTranslate
        assert http.get("/health").status_code == 200


def test_the_moving_window_forgets_requests_after_a_minute():
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limiter.charge("ip:a", 2, 3)
    limiter.charge("ip:b", 3, 3)  # another client has its own count
    with pytest.raises(Exception, match="Slowdown"):
        limiter.charge("ip:a", 2, 3)
    now[0] += 59.9
    with pytest.raises(Exception, match="Slowdown"):
        limiter.charge("ip:a", 2, 3)
    now[0] += 0.2
    limiter.charge("ip:a", 3, 3)


def test_the_limiter_forgets_idle_clients_to_bound_its_memory():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0], max_clients=10)
    for i in range(10):
        limiter.charge(f"ip:{i}", 1, 5)
    now[0] += 61
    limiter.charge("ip:new", 1, 5)
    assert len(limiter._hits) == 1


def _keys_file(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("# key  req/min  chars\nnewsroom-cms 2\nunlimited\n", encoding="utf-8")
    return path


@needs_apertium
def test_api_keys_are_required_and_checked_as_libretranslate_does(translator, tmp_path):  # noqa: F811
    with served(translator, api_keys=str(_keys_file(tmp_path))) as srv, httpx.Client(base_url=srv.url) as http:
        none = http.post("/translate", json=OK)
        assert (none.status_code, none.json()) == (400, {"error": "Please contact the server operator to get an API key"})
        wrong = http.post("/translate", json={**OK, "api_key": "guess"})
        assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
        assert http.post("/translate", data={**OK, "api_key": "unlimited"}).status_code == 200
        assert http.post("/detect", json={"q": FR, "api_key": "guess"}).status_code == 403
        # the key's own limit: 2 requests a minute
        assert [http.post("/translate", json={**OK, "api_key": "newsroom-cms"}).status_code
                for _ in range(3)] == [200, 200, 429]
        assert http.get("/frontend/settings").json()["keyRequired"] is True


def test_keys_load_from_libretranslate_s_sqlite_database(tmp_path):
    path = tmp_path / "api_keys.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE api_keys (api_key TEXT PRIMARY KEY, req_limit INTEGER, char_limit INTEGER)")
        db.execute("INSERT INTO api_keys VALUES ('k1', 60, NULL), ('k2', 10, 500)")
    assert load_keys(path) == {"k1": KeyLimits(60, None), "k2": KeyLimits(10, 500)}


def test_a_bad_keys_file_names_its_line(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("good\nbad key here please\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"keys.txt:2: expected 'KEY \[REQUESTS_PER_MINUTE \[CHARACTERS\]\]'"):
        load_keys(path)
    path.write_text("# only comments\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no API key"):
        load_keys(path)


@needs_apertium
def test_cors_is_off_by_default_and_configurable(translator):  # noqa: F811
    origin = {"Origin": "https://cms.example"}
    with served(translator) as srv, httpx.Client(base_url=srv.url) as http:
        assert "access-control-allow-origin" not in http.post("/translate", json=OK, headers=origin).headers
    with served(translator, cors_origins=["https://cms.example"]) as srv, httpx.Client(base_url=srv.url) as http:
        assert http.post("/translate", json=OK, headers=origin).headers["access-control-allow-origin"] == \
            "https://cms.example"
        preflight = http.options("/translate", headers={**origin, "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 200
        other = http.post("/translate", json=OK, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


@needs_apertium
@pytest.mark.parametrize("log_text", [False, True])
def test_the_json_access_log_has_no_text_unless_asked(translator, log_text, capsys):  # noqa: F811
    with served(translator, access_log="json", log_text=log_text) as srv, httpx.Client(base_url=srv.url) as http:
        capsys.readouterr()
        http.post("/translate", json={**OK, "q": "Le secret du chat.", "api_key": "k"})
        http.get("/download_file/" + "0" * 32 + ".a.txt")
        captured: list[str] = []  # each line is written just after its response went out: wait for both

        def both_logged() -> bool:
            captured.append(capsys.readouterr().err)
            return "".join(captured).count('"route"') >= 2

        srv.wait_until(both_logged, "two access log lines")
        logged = "".join(captured)
    first, second = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    assert {k: first[k] for k in ("method", "route", "status", "chars", "texts", "source", "target")} == \
        {"method": "POST", "route": "/translate", "status": 200, "chars": 18, "texts": 1, "source": "fr", "target": "es"}
    assert first["latency_ms"] >= 0 and first["client"] == "127.0.0.1"
    assert ("text" in first) is log_text and ("Le secret" in logged) is log_text
    assert "\"k\"" not in logged  # never the API key
    assert second["route"] == "/download_file/…" and "0" * 32 not in logged


@needs_apertium
def test_a_glossary_is_enforced_and_reported_by_default(translator):  # noqa: F811
    text = "Vladimir Poutine a parlé hier."
    with served(translator, glossaries=["news"]) as srv, httpx.Client(base_url=srv.url) as http:
        got = http.post("/translate", json={"q": text, "source": "fr", "target": "es"}).json()
        assert "Vladímir Putin" in got["translatedText"]
        assert got["terms"] == [{"term": "Vladimir Poutine", "required": "Vladímir Putin", "ok": True,
                                 "glossary": got["terms"][0]["glossary"]}]
        plain = http.post("/translate", json={"q": text, "source": "fr", "target": "es", "glossary": "none"}).json()
        assert "terms" not in plain
        unknown = http.post("/translate", json={"q": text, "source": "fr", "target": "es", "glossary": "sports"})
        assert unknown.status_code == 400 and "glossary 'sports' is not configured" in unknown.json()["error"]
        assert http.get("/health").json()["glossaries"] == ["news"]


@needs_apertium
def test_the_engine_extension_picks_one_of_the_server_s_engines(translator):  # noqa: F811
    with served(translator) as srv, httpx.Client(base_url=srv.url) as http:
        assert http.post("/translate", json={**OK, "engine": "apertium"}).json() == \
            http.post("/translate", json={**OK, "engine": "auto"}).json() == http.post("/translate", json=OK).json()
        argos = http.post("/translate", json={**OK, "engine": "argos"})
        assert argos.status_code == 400 and "is not available as a target language from French (fr)" in \
            argos.json()["error"]
        bogus = http.post("/translate", json={**OK, "engine": "deepl"})
        assert bogus.status_code == 400 and "engine 'deepl' is not enabled" in bogus.json()["error"]
