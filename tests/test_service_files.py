"""``/translate_file`` and ``/download_file``: our document types, size-limited uploads in a
private folder, each result downloaded once then deleted (or deleted when it expires), download
names that cannot reach outside the folder, concurrent uploads kept apart."""

from __future__ import annotations

import stat
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from translator.service.files import FileStore, output_name, safe_name
from translator.service.options import ServiceOptions

from .conftest import needs_apertium
from .service_support import running, translator  # noqa: F401  (fixture)

pytestmark = needs_apertium
PO = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
      'msgid "The cat sleeps."\nmsgstr ""\n')


@pytest.fixture(scope="module")
def server(translator):  # noqa: F811
    with running(ServiceOptions(access_log="off", file_limit=4096), translator) as srv:
        yield srv


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def upload(http, name: str, content: bytes, source="fr", target="es", **fields):
    return http.post("/translate_file", data={"source": source, "target": target, **fields},
                     files={"file": (name, content)})


def fetch(http, url: str) -> httpx.Response:
    return http.get(url.split("127.0.0.1", 1)[1].split("/", 1)[1].join(["/", ""]))


def test_text_markdown_and_po_files_come_back_translated_once(server, http):
    cases = {"article.txt": (b"Le chat dort.\n\nLa mer est calme.\n", "gato"),
             "note.md": (b"# Le chat\n\nLe chat **dort** sur [le canap\xc3\xa9](https://x.example/a).\n", "gato"),
             "app.pot": (PO.encode(), "msgid \"The cat sleeps.\"")}
    for name, (content, expected) in cases.items():
        target = "es" if not name.endswith(".pot") else "fr"
        got = upload(http, name, content, source="fr" if target == "es" else "en", target=target)
        assert got.status_code == 200, got.text
        url = got.json()["translatedFileUrl"]
        assert url.startswith(server.url + "/download_file/")
        first = fetch(http, url)
        assert first.status_code == 200 and expected in first.text
        stem, ext = name.rsplit(".", 1)
        ext = "po" if ext == "pot" else ext  # a template gives a catalog, as 'translate run' names it
        assert first.headers["content-disposition"] == f'attachment; filename="{stem}.{target}.{ext}"'
        assert fetch(http, url).status_code == 404  # downloaded once, then deleted
    assert "(https://x.example/a)" in upload_and_fetch(http, "n.md", cases["note.md"][0])
    assert list(server.service.files.folder.iterdir()) == []


def upload_and_fetch(http, name: str, content: bytes) -> str:
    return fetch(http, upload(http, name, content).json()["translatedFileUrl"]).text


def test_the_private_folder_is_the_owner_s_alone(server):
    mode = stat.S_IMODE(server.service.files.folder.stat().st_mode)
    assert mode == 0o700


@pytest.mark.parametrize("name, content, status, message", [
    ("report.pdf", b"%PDF-1.4", 400, "Invalid request: file format not supported"),
    ("big.txt", b"a " * 3000, 413, "exceeds the limit (4096 bytes)"),
    ("blob.txt", b"\x00\x01\x02binary", 400, "binary file, not text"),
    ("empty.txt", b"   \n", 400, "empty file"),
])
def test_bad_uploads_get_an_error_and_leave_nothing(server, http, name, content, status, message):
    got = upload(http, name, content)
    assert got.status_code == status and message in got.json()["error"]
    assert list(server.service.files.folder.iterdir()) == []
    assert "gato" in upload_and_fetch(http, "ok.txt", b"Le chat dort.\n")


def test_missing_parts_are_named(http):
    no_file = http.post("/translate_file", data={"source": "fr", "target": "es"})
    assert no_file.json() == {"error": "Invalid request: missing file parameter"}
    no_target = http.post("/translate_file", data={"source": "fr"}, files={"file": ("a.txt", b"Le chat.")})
    assert no_target.json() == {"error": "Invalid request: missing target parameter"}
    unknown = upload(http, "a.txt", b"Le chat.", target="zz")
    assert (unknown.status_code, unknown.json()) == (400, {"error": "zz is not supported"})


@pytest.mark.parametrize("name", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "0" * 32 + "./../x",
                                  "%2e%2e", "0" * 32 + ".a.txt", "notatoken.txt", "A" * 32 + ".a.txt"])
def test_download_names_cannot_escape_the_folder(http, name):
    got = http.get(f"/download_file/{name}")
    assert got.status_code in (400, 404) and "error" in got.json()


def test_concurrent_uploads_each_get_their_own_file(server, http):
    texts = [f"Le chat numéro {i} dort.\n".encode() for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda c: upload(http, "same-name.txt", c), texts))
    urls = [a.json()["translatedFileUrl"] for a in answers]
    assert len(set(urls)) == 8
    contents = [fetch(http, u).text for u in urls]
    assert all(f"{i}" in contents[i] and "gato" in contents[i] for i in range(8))
    assert list(server.service.files.folder.iterdir()) == []


def test_files_nobody_downloads_expire():
    later = [0.0]
    store = FileStore(ttl=60, clock=lambda: time.time() + later[0])
    try:
        name = store.add("a.es.txt", "hola")
        kept = store.add("b.es.txt", "adiós")
        left = store.upload("c.txt", b"Le chat.")  # an upload a crash left behind
        later[0] = 30
        assert store.take(kept) == ("adiós".encode(), "b.es.txt")
        assert store.waiting == 1
        later[0] = 61
        assert store.expire() == 2 and list(store.folder.iterdir()) == [] and not left.exists()
        with pytest.raises(Exception, match="expired or was already downloaded"):
            store.take(name)
    finally:
        store.close()
    assert not store.folder.exists()


def test_disabled_file_translation_is_refused_as_libretranslate(translator):  # noqa: F811
    with running(ServiceOptions(access_log="off", files_translation=False), translator) as srv, \
            httpx.Client(base_url=srv.url) as http:
        got = upload(http, "a.txt", b"Le chat.")
        assert (got.status_code, got.json()) == (403, {"error": "Files translation are disabled on this server."})
        assert http.get("/frontend/settings").json()["supportedFilesFormat"] == []


def test_two_stores_on_one_folder_serve_each_other_s_files_once(tmp_path):
    first, second = FileStore(60, folder=tmp_path), FileStore(60, folder=tmp_path)  # two workers
    name = first.add("a.es.txt", "hola")
    assert second.take(name) == (b"hola", "a.es.txt")
    with pytest.raises(Exception, match="already downloaded"):
        first.take(name)
    first.close()
    assert tmp_path.exists()  # a given folder belongs to whoever made it


def test_names_are_made_safe():
    assert safe_name("../../etc/pass wd.txt") == "pass_wd.txt"
    assert safe_name("C:\\Users\\me\\notes.md") == "notes.md"
    assert safe_name("...") == "file.txt"
    assert output_name("Compte rendu.MD", ".en.md") == "Compte_rendu.en.md"
    assert output_name("messages.pot", ".es.po") == "messages.es.po"
