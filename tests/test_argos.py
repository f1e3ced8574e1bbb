import json


from translator import Translator

from .conftest import flores, needs_apertium, needs_model, spy_steps

ZH = ["周一，斯坦福大学医学院的科学家宣布，他们发明了一种可以将细胞按类型分类的新型诊断工具。",
      "主要研究人员表示，这可以让低收入国家/地区的患者尽早发现癌症、肺结核、艾滋病和疟疾。"]


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
