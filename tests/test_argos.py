import json
import os
import stat
import zipfile

import pytest

from translator import Translator
from translator.engines.argos import ArgosEngine, installed_packages
from translator.errors import EngineError
from translator import models

from .conftest import MODEL, flores, needs_apertium, needs_model, spy_steps

ZH = ["周一，斯坦福大学医学院的科学家宣布，他们发明了一种可以将细胞按类型分类的新型诊断工具。",
      "主要研究人员表示，这可以让低收入国家/地区的患者尽早发现癌症、肺结核、艾滋病和疟疾。"]


def _fake_package(folder, name="translate-fr_xx", meta=None, files=("model/model.bin", "sentencepiece.model")):
    root = folder / name
    (root / "model").mkdir(parents=True)
    (root / "metadata.json").write_text(json.dumps(meta or {"from_code": "fr", "to_code": "de", "package_version": "1.0"}))
    for f in files:
        (root / f).write_bytes(b"x")
    return root


def _zip(folder, out, extra=None):
    with zipfile.ZipFile(out, "w") as zf:
        for item in sorted(folder.rglob("*")):
            zf.write(item, f"{folder.name}/{item.relative_to(folder).as_posix()}")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out


def test_zip_slip_is_refused(tmp_path):
    pkg = _zip(_fake_package(tmp_path), tmp_path / "evil.argosmodel", {"translate-fr_xx/../../evil.txt": "x"})
    with pytest.raises(EngineError, match="unsafe path"):
        models.install(str(pkg))
    assert not (tmp_path.parent / "evil.txt").exists()
    assert installed_packages() == []


def test_absolute_path_and_second_folder_are_refused(tmp_path):
    folder = _fake_package(tmp_path)
    with pytest.raises(EngineError, match="unsafe path"):
        models.check_archive(_zip(folder, tmp_path / "a.argosmodel", {"/etc/evil": "x"}))
    with pytest.raises(EngineError, match="one package folder"):
        models.check_archive(_zip(folder, tmp_path / "b.argosmodel", {"other/file": "x"}))


def test_link_in_archive_is_refused(tmp_path):
    folder = _fake_package(tmp_path)
    archive = _zip(folder, tmp_path / "l.argosmodel")
    with zipfile.ZipFile(archive, "a") as zf:
        info = zipfile.ZipInfo("translate-fr_xx/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(EngineError, match="link"):
        models.check_archive(archive)


def test_missing_files_and_bad_metadata_are_refused(tmp_path):
    with pytest.raises(EngineError, match="missing model/model.bin"):
        models.check_archive(_zip(_fake_package(tmp_path / "a", files=("sentencepiece.model",)), tmp_path / "a.zip"))
    bad = _fake_package(tmp_path / "b", meta={"from_code": "xx", "to_code": "en"})
    with pytest.raises(EngineError, match="from_code: unknown language"):
        models.check_archive(_zip(bad, tmp_path / "b.zip"))
    not_zip = tmp_path / "c.argosmodel"
    not_zip.write_bytes(b"hello")
    with pytest.raises(EngineError, match="not a zip"):
        models.install(str(not_zip))


@needs_model
def test_install_list_remove_the_real_package(isolated_home):
    pkg = models.install(str(MODEL))
    assert (pkg.source, pkg.target, pkg.version) == ("zh", "en", "1.9")
    assert pkg.path.parent == isolated_home / "packages"
    assert [(p.name, p.version) for p in installed_packages()] == [("translate-zh_en", "1.9")]
    assert ("zh", "en") in ArgosEngine().pairs()
    # Reinstalling replaces, it does not duplicate.
    models.install(str(MODEL))
    assert len(installed_packages()) == 1
    models.remove("translate-zh_en")
    assert installed_packages() == []
    with pytest.raises(EngineError, match="no such Argos package"):
        models.remove("zh_en")


@needs_model
def test_install_from_an_unpacked_folder(zh_en_dir, isolated_home):
    pkg = models.install(str(zh_en_dir / "translate-zh_en-1_9"))
    assert pkg.path.parent == isolated_home / "packages" and (pkg.path / "model" / "model.bin").is_file()


def test_install_by_name_offline_fails_clearly(monkeypatch):
    import argostranslate.package as ap

    def offline():
        raise OSError("network unreachable")

    monkeypatch.setattr(ap, "update_package_index", offline)
    with pytest.raises(EngineError, match="offline.*translate models install FILE.argosmodel"):
        models.install("translate-fr_en")


@needs_model
def test_real_chinese_translation(with_zh_en):
    doc = Translator(engine="argos").translate_text("\n\n".join(ZH), to="en")
    assert doc.source_language == "zh"
    en = doc.text("en")
    assert "Stanford" in en and "cancer" in en and "\u2581" not in en
    assert en.count("\n\n") == 1
    assert doc.engine["en"] == {"name": "argos", "version": "1.9", "route": ["zh", "en"],
                                "steps": [{"engine": "argos", "pair": "translate-zh_en", "version": "1.9"}]}


@needs_model
def test_all_sentences_of_all_documents_in_one_translate_batch(with_zh_en):
    t = Translator(engine="argos")
    engine = t.engines[0]
    _, loaded = engine._model("zh", "en")
    calls = []

    class Spy:
        def __init__(self, real):
            self.real = real

        def translate_batch(self, batch, **kw):
            calls.append(len(batch))
            return self.real.translate_batch(batch, **kw)

    loaded.translator = Spy(loaded.translator)
    lines = flores("zho", 10, 9)
    docs = [t.prepare("\n\n".join(lines[i:i + 3]), to="en") for i in range(0, 9, 3)]
    t.translate_documents(docs)
    assert len(calls) == 1 and calls[0] >= 9
    # The model stays loaded for the next call.
    assert engine._model("zh", "en")[1] is loaded


@needs_model
@needs_apertium
def test_mixed_pivot_zh_en_es_reuses_the_english_step(with_zh_en, monkeypatch):
    t = Translator(engine="auto")
    steps = spy_steps(t, monkeypatch)
    doc = t.translate_text(ZH[0], to="en,es")
    assert sorted(steps) == [("en", "es", 1), ("zh", "en", 1)]
    assert doc.engine["es"]["route"] == ["zh", "en", "es"] and doc.engine["es"]["name"] == "argos+apertium"
    assert "Stanford" in doc.text("es")


@needs_model
def test_argos_pivot_through_english_runs_the_english_step_once(zh_en_dir, tmp_path, monkeypatch):
    """Two more packages (en->de, en->ja) made of the real model's files: their output
    means nothing, but the route, the batching and the shared pivot step are real."""
    real = zh_en_dir / "translate-zh_en-1_9"
    folder = tmp_path / "packages"
    folder.mkdir()
    (folder / "zh_en").symlink_to(real)
    for target in ("de", "ja"):
        pkg = folder / f"en_{target}"
        (pkg / "model").mkdir(parents=True)
        for f in ("model.bin", "config.json", "shared_vocabulary.json"):
            (pkg / "model" / f).symlink_to(real / "model" / f)
        (pkg / "sentencepiece.model").symlink_to(real / "sentencepiece.model")
        (pkg / "metadata.json").write_text(json.dumps({"from_code": "en", "to_code": target, "package_version": "0.1"}))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    t = Translator(engine="argos")
    steps = spy_steps(t, monkeypatch)
    doc = t.translate_text("\n\n".join(ZH), to="de,ja")
    assert sorted(steps) == [("en", "de", 2), ("en", "ja", 2), ("zh", "en", 2)]
    assert doc.engine["de"]["route"] == ["zh", "en", "de"] and doc.engine["ja"]["name"] == "argos"
    assert doc.text("de").count("\n\n") == 1
