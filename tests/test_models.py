"""Installing and removing Argos packages: archives checked whole, staged, verified,
swapped into place; nothing destroyed by a bad archive; the index over real HTTP."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from translator import models
from translator.cli import main
from translator.engines.argos import ArgosEngine, installed_packages
from translator.errors import EngineError, ExitCode, InputError
from translator.model_archive import check_archive

from .conftest import MODEL, needs_model


def _fake_package(folder: Path, name="translate-fr_xx", meta=None, files=("model/model.bin", "sentencepiece.model")):
    root = folder / name
    (root / "model").mkdir(parents=True)
    (root / "metadata.json").write_text(json.dumps(meta or {"from_code": "fr", "to_code": "de", "package_version": "1.0"}))
    for f in files:
        (root / f).write_bytes(b"x")
    return root


def _zip(folder: Path, out: Path, extra=None, top=None, meta=None, method=zipfile.ZIP_STORED) -> Path:
    """Zip a package folder (optionally under another top name, with other metadata)."""
    top = top or folder.name
    with zipfile.ZipFile(out, "w", method) as zf:
        for item in sorted(folder.rglob("*")):
            rel = item.relative_to(folder).as_posix()
            if meta is not None and rel == "metadata.json":
                zf.writestr(f"{top}/{rel}", json.dumps(meta))
            elif item.is_file():
                zf.write(item, f"{top}/{rel}")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out


def _tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _no_leftovers(home: Path) -> None:
    assert not [p for p in home.rglob("*") if ".translator-staging-" in p.name or p.suffix == ".part"]


@pytest.fixture
def real_dir(zh_en_dir) -> Path:
    return zh_en_dir / "translate-zh_en-1_9"


# -- archives refused before anything is extracted --------------------------------------------------
def test_zip_slip_is_refused(tmp_path, isolated_home):
    pkg = _zip(_fake_package(tmp_path), tmp_path / "evil.argosmodel", {"translate-fr_xx/../../evil.txt": "x"})
    with pytest.raises(EngineError, match="unsafe path"):
        models.install(str(pkg))
    assert not (tmp_path.parent / "evil.txt").exists()
    assert installed_packages() == []


@pytest.mark.parametrize("entry, problem", [
    ("/etc/evil", "unsafe path"), ("other/file", "one package folder"), (".", "unsafe path"),
    ("./x", "unsafe path"), ("translate-fr_xx/./x", "unsafe path"), ("C:/x", "unsafe path"),
    ("translate-fr_xx\\..\\x", "unsafe path"), ("translate-fr_xx//x", "unsafe path"),
])
def test_unsafe_entries_are_refused(tmp_path, entry, problem):
    archive = _zip(_fake_package(tmp_path), tmp_path / "a.argosmodel", {entry: "x"})
    with pytest.raises(EngineError, match=problem):
        check_archive(archive)


def test_links_encryption_unknown_methods_and_duplicates_are_refused(tmp_path):
    folder = _fake_package(tmp_path)
    link = _zip(folder, tmp_path / "l.argosmodel")
    with zipfile.ZipFile(link, "a") as zf:
        info = zipfile.ZipInfo("translate-fr_xx/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(EngineError, match="link in archive"):
        check_archive(link)

    def patched(flag: int = 0, method: int | None = None) -> Path:
        """The archive with every central-directory record's flags or method changed."""
        out = _zip(folder, tmp_path / f"p{flag}{method}.argosmodel")
        data = bytearray(out.read_bytes())
        offset = data.find(b"PK\x01\x02")
        while offset != -1:
            data[offset + 8] |= flag
            if method is not None:
                data[offset + 10:offset + 12] = method.to_bytes(2, "little")
            offset = data.find(b"PK\x01\x02", offset + 4)
        out.write_bytes(bytes(data))
        return out

    with pytest.raises(EngineError, match="encrypted entry"):
        check_archive(patched(flag=0x1))
    with pytest.raises(EngineError, match="unsupported compression method 99"):
        check_archive(patched(method=99))
    dup = _zip(folder, tmp_path / "d.argosmodel")
    with pytest.warns(UserWarning), zipfile.ZipFile(dup, "a") as zf:
        zf.writestr("translate-fr_xx/sentencepiece.model", "again")
    with pytest.raises(EngineError, match="duplicate entry"):
        check_archive(dup)


def test_missing_files_and_bad_metadata_are_refused(tmp_path, isolated_home):
    with pytest.raises(EngineError, match="missing model/model.bin"):
        check_archive(_zip(_fake_package(tmp_path / "a", files=("sentencepiece.model",)), tmp_path / "a.zip"))
    bad = _fake_package(tmp_path / "b", meta={"from_code": "xx", "to_code": "en"})
    with pytest.raises(EngineError, match="from_code: unknown language"):
        check_archive(_zip(bad, tmp_path / "b.zip"))
    not_zip = tmp_path / "c.argosmodel"
    not_zip.write_bytes(b"hello")
    with pytest.raises(EngineError, match="not a zip"):
        models.install(str(not_zip))
    listed = _zip(_fake_package(tmp_path / "d"), tmp_path / "d.zip", meta=[1, 2])
    with pytest.raises(EngineError, match="not a JSON object"):
        check_archive(listed)


def test_size_caps_and_zip_bombs_are_refused_before_extraction(tmp_path, monkeypatch, isolated_home):
    folder = _fake_package(tmp_path)
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in sorted(folder.rglob("*")):
            if item.is_file() and item.name != "model.bin":
                zf.write(item, f"translate-fr_xx/{item.relative_to(folder).as_posix()}")
        with zf.open("translate-fr_xx/model/model.bin", "w", force_zip64=True) as out:
            block = bytes(1 << 20)
            for _ in range(256):  # 256 MiB of zeros: a few hundred KiB compressed
                out.write(block)
    assert bomb.stat().st_size < 2 << 20
    with pytest.raises(EngineError, match="zip bomb"):
        models.install(str(bomb))
    big_meta = _zip(folder, tmp_path / "m.argosmodel",
                    meta={"from_code": "fr", "to_code": "de", "pad": hashlib.sha512(b"x").hexdigest() * 20000})
    with pytest.raises(EngineError, match="metadata.json is .* bytes"):
        check_archive(big_meta)
    monkeypatch.setenv("TRANSLATOR_MAX_PACKAGE_SIZE", "10")
    with pytest.raises(EngineError, match="over the 10-byte cap"):
        check_archive(_zip(folder, tmp_path / "s.argosmodel"))
    assert installed_packages() == []
    _no_leftovers(isolated_home)


def test_a_package_whose_model_does_not_load_is_not_installed(tmp_path, isolated_home, capsys):
    archive = _zip(_fake_package(tmp_path), tmp_path / "f.argosmodel")
    assert main(["models", "install", str(archive)]) == ExitCode.ENGINE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{archive}: the package does not load: cannot load the model")
    assert installed_packages() == [] and not list((isolated_home / "packages").iterdir())
    _no_leftovers(isolated_home)


# -- the real package: install, replace, upgrade, refuse, remove --------------------------------------
@needs_model
def test_install_list_remove_the_real_package(isolated_home):
    pkg = models.install(str(MODEL))
    assert (pkg.source, pkg.target, pkg.version) == ("zh", "en", "1.9")
    assert pkg.path.parent == isolated_home / "packages"
    assert [(p.name, p.version) for p in installed_packages()] == [("translate-zh_en", "1.9")]
    assert ("zh", "en") in ArgosEngine().pairs()
    models.install(str(MODEL))  # reinstalling replaces, it does not duplicate
    assert len(installed_packages()) == 1
    models.remove("translate-zh_en")
    assert installed_packages() == []
    with pytest.raises(InputError, match="no such Argos package"):  # a name given wrong: exit 3, as a missing file
        models.remove("zh_en")
    _no_leftovers(isolated_home)


@needs_model
def test_install_from_an_unpacked_folder(real_dir, isolated_home):
    pkg = models.install(str(real_dir))
    assert pkg.path.parent == isolated_home / "packages" and (pkg.path / "model" / "model.bin").is_file()
    assert _tree_digest(pkg.path) == _tree_digest(real_dir)


@needs_model
def test_a_corrupt_archive_leaves_the_working_package_alone(real_dir, tmp_path, isolated_home, capsys):
    installed = models.install(str(MODEL))
    before = _tree_digest(installed.path)
    corrupt = _zip(real_dir, tmp_path / "corrupt.argosmodel")
    data = bytearray(corrupt.read_bytes())
    middle = len(data) // 2  # inside model.bin's stored bytes: the CRC no longer matches
    data[middle:middle + 64] = bytes(64)
    corrupt.write_bytes(bytes(data))
    assert main(["models", "install", str(corrupt)]) == ExitCode.ENGINE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{corrupt}: corrupt archive"), err
    assert [p.path for p in installed_packages()] == [installed.path]
    assert _tree_digest(installed.path) == before
    from translator import Translator

    assert Translator(engine="argos").translate_text("你好。", to="en").text("en").strip()
    _no_leftovers(isolated_home)


@needs_model
def test_a_folder_name_taken_by_another_pair_is_refused(real_dir, tmp_path, isolated_home, capsys):
    installed = models.install(str(MODEL))
    meta = json.loads((real_dir / "metadata.json").read_text())
    impostor = _zip(real_dir, tmp_path / "de_en.argosmodel", meta={**meta, "from_code": "de"})
    assert main(["models", "install", str(impostor)]) == ExitCode.ENGINE
    err = capsys.readouterr().err.strip()
    assert err == (f"{impostor}: its folder name translate-zh_en-1_9 is taken by the zh->en package: "
                   "refusing to replace it")
    assert [(p.source, p.target, p.path) for p in installed_packages()] == [("zh", "en", installed.path)]
    _no_leftovers(isolated_home)


@needs_model
def test_an_upgrade_replaces_the_old_folder_once_the_new_one_is_in_place(real_dir, tmp_path, isolated_home):
    models.install(str(MODEL))
    meta = json.loads((real_dir / "metadata.json").read_text())
    newer = _zip(real_dir, tmp_path / "new.argosmodel", top="translate-zh_en-2_0",
                 meta={**meta, "package_version": "2.0"})
    pkg = models.install(str(newer))
    assert (pkg.version, pkg.path.name) == ("2.0", "translate-zh_en-2_0")
    assert [p.path.name for p in installed_packages()] == ["translate-zh_en-2_0"]
    _no_leftovers(isolated_home)


# -- the package index over real HTTP on loopback --------------------------------------------------
class _Index(http.server.ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture
def index_server(tmp_path):
    """A loopback HTTP server serving a folder (the test writes index.json and archives there)."""
    served = tmp_path / "served"
    served.mkdir()
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = _Index(("127.0.0.1", 0), lambda *a, **kw: quiet(*a, directory=str(served), **kw))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@needs_model
def test_install_by_name_from_an_index(index_server, isolated_home, monkeypatch, capsys):
    served, base = index_server
    (served / "zh_en.argosmodel").write_bytes(MODEL.read_bytes())
    (served / "index.json").write_text(json.dumps([
        {"type": "translate", "from_code": "zh", "to_code": "en", "package_version": "1.8",
         "links": [base + "missing.argosmodel"]},
        {"type": "translate", "from_code": "zh", "to_code": "en", "package_version": "1.9",
         "links": [base + "zh_en.argosmodel"]},
        {"type": "sbd", "from_code": "zh", "links": [base + "x"]},
    ]))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    assert main(["models", "install", "translate-zh_en"]) == 0
    assert "installed translate-zh_en 1.9 (zh->en)" in capsys.readouterr().out
    assert [p.version for p in installed_packages()] == ["1.9"]
    # argospm's copy of the index is kept where argospm reads it; the download is removed
    assert json.loads((isolated_home / "data" / "argos-translate" / "index.json").read_text())[1]["package_version"] == "1.9"
    assert not list((isolated_home / "cache" / "argos-translate" / "downloads").iterdir())
    assert main(["models", "install", "translate-zh_de"]) == ExitCode.ENGINE
    assert capsys.readouterr().err.strip() == "translate-zh_de: the Argos package index has no zh->de package"
    _no_leftovers(isolated_home)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_install_by_name_offline_fails_in_one_line_within_seconds(monkeypatch, capsys):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{_closed_port()}/")
    assert main(["models", "install", "translate-fr_en"]) == ExitCode.ENGINE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cannot reach the Argos package index at http://127.0.0.1:")
    assert err[0].endswith("offline? install from a file with 'translate models install FILE.argosmodel'")


def test_an_index_that_never_answers_is_given_up_on(monkeypatch, capsys):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections in the kernel, never answers
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{silent.getsockname()[1]}/")
    started = time.monotonic()
    try:
        assert main(["models", "install", "translate-fr_en"]) == ExitCode.ENGINE
    finally:
        silent.close()
    assert time.monotonic() - started < 30  # a hang guard: the deadline is 4 s
    assert "(no answer): offline?" in capsys.readouterr().err


# -- argostranslate (the optional extra) sees our packages, and we see its packages -----------------
_ARGOS = (
    "import sys, types\n"
    # argostranslate's package module imports its translate module (stanza, torch) only to clear a
    # cache after installing or removing; the extra as 'make setup' installs it has no torch.
    "sys.modules['argostranslate.translate'] = types.SimpleNamespace("
    "get_installed_languages=types.SimpleNamespace(cache_clear=lambda: None))\n"
    "from argostranslate import package\n"
)


def _argos(code: str) -> str:
    """Run argostranslate's own package code in a fresh process (it reads its folders at import)."""
    done = subprocess.run([sys.executable, "-c", _ARGOS + code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@needs_model
def test_argospm_and_we_share_packages(real_dir, tmp_path, isolated_home):
    pytest.importorskip("argostranslate.package", reason="argostranslate not installed (make setup installs it)")
    models.install(str(MODEL))
    argospm = Path(sys.executable).with_name("argospm")
    listed = subprocess.run([str(argospm), "list"], capture_output=True, text=True, timeout=120)
    assert (listed.returncode, listed.stdout.split()) == (0, ["translate-zh_en"]), listed.stderr
    assert _argos("print([(p.from_code, p.to_code, p.package_version) for p in package.get_installed_packages()])"
                  ) == "[('zh', 'en', '1.9')]"
    models.remove("translate-zh_en")
    assert _argos("print(len(package.get_installed_packages()))") == "0"
    # the other way: installed and removed by argostranslate, seen and removable by us
    _argos(f"package.install_from_path({str(MODEL)!r})")
    assert [(p.source, p.target, p.version) for p in installed_packages()] == [("zh", "en", "1.9")]
    _argos("package.uninstall(package.get_installed_packages()[0])")
    assert installed_packages() == []
    _argos(f"package.install_from_path({str(MODEL)!r})")
    models.install(str(MODEL))  # ours replaces theirs in place
    assert _argos("print([p.package_path.name for p in package.get_installed_packages()])") == "['translate-zh_en-1_9']"
    _no_leftovers(isolated_home)
