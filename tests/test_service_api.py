"""``translate serve``: LibreTranslate's API as its clients use it (field names, shapes, status
codes and error messages compared with LibreTranslate 1.9.6's app.py), and our extensions.
A real uvicorn server on a free loopback port; real engines (Apertium fr->es, Argos zh->en)."""

from __future__ import annotations

import json

import pytest

from .conftest import needs_apertium, needs_model
from .service_support import FR, ZH, alone, http, server, translator  # noqa: F401  (fixtures)

pytestmark = needs_apertium


def test_translate_json_and_form_bodies_give_the_library_s_translation(http, translator):  # noqa: F811
    expected = alone(translator, FR, "fr", "es")
    as_json = http.post("/translate", json={"q": FR, "source": "fr", "target": "es", "format": "text"})
    as_form = http.post("/translate", data={"q": FR, "source": "fr", "target": "es"})
    assert as_json.status_code == as_form.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    as_multipart = http.post("/translate", data={"q": FR, "source": "fr"}, files={"target": (None, "es")})
    as_query = http.post("/translate?source=fr&target=es", data={"q": FR})
    assert as_json.json() == as_form.json() == as_multipart.json() == as_query.json() == {"translatedText": expected}
    assert "gato" in expected


def test_a_list_of_texts_comes_back_as_a_list_in_order(http, translator):  # noqa: F811
    texts = ["Le chat dort.", "La mer est calme.", "🙂", "Il pleut à Paris."]
    got = http.post("/translate", json={"q": texts, "source": "fr", "target": "es"}).json()
    assert got["translatedText"] == [alone(translator, t, "fr", "es") if t != "🙂" else "🙂" for t in texts]
    assert "detectedLanguage" not in got  # only with source=auto, as LibreTranslate


def test_auto_source_reports_the_detected_language(http):
    one = http.post("/translate", json={"q": FR, "source": "auto", "target": "es"}).json()
    assert one["detectedLanguage"]["language"] == "fr"
    assert 0 < one["detectedLanguage"]["confidence"] <= 100
    many = http.post("/translate", json={"q": [FR, "✔"], "source": "auto", "target": "es"}).json()
    assert [d["language"] for d in many["detectedLanguage"]] == ["fr", "en"]
    assert many["detectedLanguage"][1]["confidence"] == 0  # LibreTranslate's answer without letters
    assert many["translatedText"][1] == "✔"


@needs_model
def test_chinese_codes_as_libretranslate_shows_them(http, translator):  # noqa: F811
    expected = alone(translator, ZH, "zh", "en")
    for code in ("zh", "zh-Hans", "zh-CN"):
        got = http.post("/translate", json={"q": ZH, "source": code, "target": "en"})
        assert got.status_code == 200 and got.json() == {"translatedText": expected}
    auto = http.post("/translate", json={"q": ZH, "source": "auto", "target": "en"}).json()
    assert auto["detectedLanguage"]["language"] == "zh-Hans"
    listed = {entry["code"]: entry for entry in http.get("/languages").json()}
    assert {"en", "zh-Hans"} <= set(listed["zh-Hans"]["targets"])


def test_html_keeps_the_markup_and_translates_the_text(http):
    source = ('<p class="lead">Le chat <b>dort</b> &amp; la mer est calme.</p>'
              '<script>var titre = "Le chat";</script><code>le chat</code>')
    got = http.post("/translate", json={"q": source, "source": "fr", "target": "es", "format": "html"}).json()
    out = got["translatedText"]
    assert out.startswith('<p class="lead">') and "<b>" in out and "</b>" in out and "&amp;" in out
    assert out.endswith('<script>var titre = "Le chat";</script><code>le chat</code>')
    assert "gato" in out and "chat" not in out.split("<script>")[0]


def test_alternatives_are_accepted_and_come_back_empty(http):
    got = http.post("/translate", json={"q": "Le chat dort.", "source": "fr", "target": "es", "alternatives": 3})
    assert got.json()["alternatives"] == []
    listed = http.post("/translate", json={"q": ["a b", "Le chat."], "source": "fr", "target": "es",
                                           "alternatives": "2"}).json()
    assert listed["alternatives"] == [[], []]
    bad = http.post("/translate", data={"q": "x", "source": "fr", "target": "es", "alternatives": "many"})
    assert (bad.status_code, bad.json()) == (400, {"error": "Invalid request: alternatives parameter is not a number"})


@pytest.mark.parametrize("body, message", [
    ({"source": "fr", "target": "es"}, "Invalid request: missing q parameter"),
    ({"q": "", "source": "fr", "target": "es"}, "Invalid request: missing q parameter"),
    ({"q": [], "source": "fr", "target": "es"}, "Invalid request: missing q parameter"),
    ({"q": "x", "target": "es"}, "Invalid request: missing source parameter"),
    ({"q": "x", "source": "fr"}, "Invalid request: missing target parameter"),
    ({"q": "x", "source": "fr", "target": "zz"}, "zz is not supported"),
    ({"q": "x", "source": "qq", "target": "es"}, "qq is not supported"),
    ({"q": "x", "source": "fr", "target": "es", "format": "xml"}, "xml format is not supported"),
    ({"q": 5, "source": "fr", "target": "es"}, "Invalid request: q parameter must be a string or a list of strings"),
    ({"q": [["a"]], "source": "fr", "target": "es"},
     "Invalid request: q parameter must be a string or a list of strings"),
    ({"q": {"a": 1}, "source": "fr", "target": "es"},
     "Invalid request: q parameter must be a string or a list of strings"),
    ({"q": "x", "source": 3, "target": "es"}, "Invalid request: source parameter must be a string"),
    ({"q": "\ud800", "source": "fr", "target": "es"}, "Invalid request: q parameter is not valid Unicode"),
])
def test_bad_requests_get_libretranslate_s_400_and_the_server_goes_on(http, body, message):
    got = http.post("/translate", content=json.dumps(body), headers={"content-type": "application/json"})
    assert (got.status_code, got.json()) == (400, {"error": message})
    assert http.post("/translate", json={"q": "Le chat.", "source": "fr", "target": "es"}).status_code == 200


def test_a_pair_without_route_names_both_languages(http):
    got = http.post("/translate", json={"q": "Bonjour", "source": "fr", "target": "zh"})
    if "zh-Hans" not in {e["code"] for e in http.get("/languages").json()}:
        assert got.json() == {"error": "zh is not supported"}
    else:
        assert got.json() == {"error": "Chinese (zh-Hans) is not available as a target language from French (fr)"}
    assert got.status_code == 400


@pytest.mark.parametrize("content, kind", [
    (b"{not json", "application/json"),
    (b'["q", "source"]', "application/json"),
    (b'{"q": "caf\xe9", "source": "fr", "target": "es"}', "application/json"),  # invalid UTF-8
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),  # nesting past the parser's recursion
])
def test_malformed_json_is_libretranslate_s_invalid_json_format(http, content, kind):
    got = http.post("/translate", content=content, headers={"content-type": kind})
    assert (got.status_code, got.json()) == (400, {"error": "Invalid JSON format"})
    assert http.post("/translate", json={"q": "Le chat.", "source": "fr", "target": "es"}).status_code == 200


def test_invalid_utf8_in_a_form_is_refused(http):
    got = http.post("/translate", content=b"q=caf%E9&source=fr&target=es",
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert (got.status_code, got.json()) == (400, {"error": "Invalid request: the form is not valid UTF-8"})


def test_a_10_mb_body_is_refused_before_it_is_read_and_without_length_too(http):
    big = b'{"q": "' + b"a" * (10 << 20) + b'", "source": "fr", "target": "es"}'
    got = http.post("/translate", content=big, headers={"content-type": "application/json"})
    assert got.status_code == 413 and "exceeds the limit (1048576 bytes)" in got.json()["error"]

    def chunks():  # chunked: no Content-Length to refuse it by
        for _ in range(10):
            yield b"a" * (1 << 20)

    got = http.post("/translate", content=chunks(), headers={"content-type": "application/json"})
    assert got.status_code == 413
    assert http.post("/translate", json={"q": "Le chat.", "source": "fr", "target": "es"}).status_code == 200


def test_ten_thousand_texts_are_over_the_batch_limit(http):
    got = http.post("/translate", json={"q": ["Le chat."] * 10_000, "source": "fr", "target": "es"})
    assert (got.status_code, got.json()) == (400, {"error": "Invalid request: request (10000) exceeds text limit (1000)"})
    assert http.post("/translate", json={"q": "Le chat.", "source": "fr", "target": "es"}).status_code == 200


def test_detect_as_libretranslate(http):
    got = http.post("/detect", data={"q": "Bonjour à tous, comment allez-vous aujourd'hui ?"})
    assert got.status_code == 200
    (best,) = got.json()
    assert best["language"] == "fr" and 0 < best["confidence"] <= 100
    assert http.post("/detect", json={"q": ["Il pleut.", "Le vent souffle fort ce soir."]}).json()[0]["language"] == "fr"
    assert http.post("/detect", json={"q": "1234 ✔"}).json() == [{"confidence": 0.0, "language": "en"}]
    assert http.post("/detect", json={}).json() == {"error": "Invalid request: missing q parameter"}
    assert http.get("/detect").status_code == 405


def test_languages_list_codes_names_and_targets(http):
    got = http.get("/languages")
    entries = {e["code"]: e for e in got.json()}
    assert entries["fr"] == {"code": "fr", "name": "French", "targets": entries["fr"]["targets"]}
    assert {"es", "fr"} <= set(entries["fr"]["targets"])  # a language is its own target, as in LibreTranslate
    assert http.post("/languages").status_code == 405


def test_frontend_settings_and_health(http):
    settings = http.get("/frontend/settings").json()
    assert settings["charLimit"] == -1 and settings["apiKeys"] is False and settings["keyRequired"] is False
    from translator import documents

    every = {e for name in documents.names() for e in documents.by_name(name).extensions}
    assert set(settings["supportedFilesFormat"]) == every >= {".txt", ".md", ".markdown", ".po", ".pot"}
    assert settings["language"]["source"] == {"code": "auto", "name": "Auto Detect"}
    health = http.get("/health").json()
    assert health["status"] == "ok" and health["queued"] == 0 and health["engine"] == "auto"
    assert health["batching"]["engine_calls"] >= 1


def test_unknown_routes_and_methods_answer_in_json(http):
    assert http.get("/nowhere").json() == {"error": "Not Found"}
    got = http.get("/translate")
    assert (got.status_code, got.json()) == (405, {"error": "Method Not Allowed"})


def test_the_openapi_document_describes_every_route(http):
    spec = http.get("/spec").json()
    assert spec["openapi"].startswith("3.")
    assert {"/translate", "/detect", "/languages", "/translate_file", "/download_file/{filename}",
            "/frontend/settings", "/health"} <= set(spec["paths"])
