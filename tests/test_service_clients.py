"""Real LibreTranslate clients that no one here wrote, against ``translate serve`` on a free
loopback port: ``libretranslatepy`` (PyPI), the ``libretranslate`` npm package under Node, and
the requests of Weblate's LibreTranslate machinery.

Weblate's class itself (``weblate/machinery/libretranslate.py``) cannot run in isolation: its
base class imports Weblate's Django models (``weblate.lang.models``), so it needs a configured
Weblate site and database.  The test below sends exactly what that class sends, read from its
source: ``GET {url}/languages`` (it keeps each ``code``) and ``POST {url}/translate`` with a JSON
body ``{"api_key", "q": [texts], "source", "target"}``, reading ``translatedText`` as a list."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import httpx
import pytest

from translator.service.options import ServiceOptions

from .conftest import ROOT, needs_apertium
from .service_support import alone, running, translator  # noqa: F401  (fixture)

pytestmark = needs_apertium
NODE_MODULES = ROOT / "build" / "node-client" / "node_modules"


@pytest.fixture(scope="module")
def server(translator):  # noqa: F811
    with running(ServiceOptions(access_log="off"), translator) as srv:
        yield srv


def test_libretranslatepy_translates_detects_and_lists(server, translator):  # noqa: F811
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(server.url)
    assert client.translate("Le chat dort.", "fr", "es") == alone(translator, "Le chat dort.", "fr", "es")
    assert client.translate("Le chat dort sur le canapé du salon.", "auto", "es").startswith("El gato")
    assert client.detect("Bonjour à tous, comment allez-vous aujourd'hui ?")[0]["language"] == "fr"
    codes = {entry["code"] for entry in client.languages()}
    assert {"fr", "es", "en"} <= codes


def test_libretranslatepy_sees_libretranslate_s_errors(server):
    import urllib.error

    from libretranslatepy import LibreTranslateAPI

    with pytest.raises(urllib.error.HTTPError) as raised:
        LibreTranslateAPI(server.url).translate("Le chat.", "fr", "zz")
    assert raised.value.code == 400 and json.loads(raised.value.read()) == {"error": "zz is not supported"}


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed (make setup installs it)")
def test_the_libretranslate_npm_package_under_node(server, translator):  # noqa: F811
    assert NODE_MODULES.joinpath("libretranslate").is_dir(), \
        f"the npm client is missing from {NODE_MODULES}: run 'make setup' (it runs npm install)"
    done = subprocess.run(["node", str(ROOT / "tests" / "service_client.js"), server.url], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NODE_PATH": str(NODE_MODULES)})
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["text"] == alone(translator, "Le chat dort.", "fr", "es")
    assert got["auto"] == alone(translator, "Le chat dort sur le canapé du salon.", "fr", "es")
    assert got["html"].startswith("<b>") and "gato" in got["html"]
    assert got["list"] == [alone(translator, t, "fr", "es") for t in ("Le chat dort.", "La mer est calme.")]
    assert got["unknown"] == "This language was not found/does not exist."  # the client checks /languages


def test_the_requests_of_weblate_s_libretranslate_machinery(server, translator):  # noqa: F811
    headers = {"Referer": "https://weblate.example/", "Accept": "application/json; charset=utf-8"}
    with httpx.Client(base_url=server.url + "/", headers=headers, timeout=60) as http:
        supported = [x["code"] for x in http.get("languages").json()]
        assert "fr" in supported and "es" in supported  # Weblate's is_supported(source, target)
        texts = ["Le chat dort.", "Ouvrir le fichier", "La mer est calme."]
        response = http.post("translate", json={"api_key": "", "q": texts, "source": "fr", "target": "es"})
        response.raise_for_status()
        translated = response.json()["translatedText"]
    assert isinstance(translated, list) and len(translated) == len(texts)
    assert translated == [alone(translator, t, "fr", "es") for t in texts]
