import pytest

from translator import detection
from translator.errors import InputError

from .conftest import FLORES, LANGID, needs_langid

needs_flores_zh = pytest.mark.skipif(not (FLORES / "zho.txt").exists(), reason="FLORES-200 dev absent")

FR = "Le président de la République a rencontré hier soir son homologue allemand à Berlin."


def test_deterministic_across_calls_and_fresh_factories(monkeypatch):
    # Short, ambiguous input is where an unseeded langdetect changes its mind.
    texts = ["Sport", "Bayern Munich", "Ursula von der Leyen", "Emmanuel Macron", FR]
    first = [detection.detect(t) for t in texts]
    for _ in range(5):
        monkeypatch.setattr(detection, "_factory", None)  # reload profiles
        assert [detection.detect(t) for t in texts] == first


def test_document_language_and_confidence():
    found = detection.detect(FR)
    assert found.language == "fr" and found.confidence > 0.9


@pytest.mark.parametrize("text", ["", "   \n", "1234 56.78 — %%", "🙂🙂"])
def test_no_letters_is_a_clear_error(text):
    with pytest.raises(InputError, match="no letters"):
        detection.detect(text, name="x.txt")


@pytest.mark.parametrize("short", ["Monde", "Article", "Sport", "Emmanuel Macron", "Donald Trump", "Newsletter"])
def test_short_lines_and_names_take_the_document_language(short):
    doc = detection.detect(FR)
    found = detection.detect_paragraph(short, doc, ("en", "es", "de"))
    assert found.language == "fr" and found.inherited


@pytest.mark.parametrize("phrase", ["Click to comment", "Share this article", "Accept all cookies"])
def test_short_english_phrase_in_a_french_article_is_english(phrase):
    doc = detection.detect(FR)
    assert detection.detect_paragraph(phrase, doc, ("es", "en", "it", "pt")).language == "en"
    # Without English among the candidates it stays with the document.
    assert detection.detect_paragraph(phrase, doc, ("es",)).language == "fr"


def test_long_paragraph_in_another_language_is_detected():
    doc = detection.detect(FR)
    text = "The ministers met in Brussels on Tuesday to discuss the new sanctions package."
    assert detection.detect_paragraph(text, doc).language == "en"


@needs_langid
def test_sentence_accuracy_on_a_slice_of_the_langid_set():
    right = total = 0
    for lang in ("fr", "en", "es", "de", "it", "pt", "ru", "uk"):
        lines = (LANGID / "sentences" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()[:25]
        for line in lines:
            total += 1
            right += detection.detect(line).language == lang
    assert right / total >= 0.95


@pytest.mark.parametrize("text", [
    "布兰森爵士 (Sir Richard Branson) 的维珍集团 (Virgin Group) 收购了北岩银行 (Northern Rock)。",
    "马鲁基多尔 (Maroochydore) 随后在预决赛中击败了卡布尔彻 (Caboolture)。",
    "戴维·黑德利（David Headley）的侦察和情报搜集工作，促使巴基斯坦激进组织采取了行动。",
])
def test_latin_names_in_a_chinese_paragraph_keep_it_chinese(text):
    doc = detection.detect("科学家宣布他们发明了一种新型诊断工具，可以将细胞按类型分类。")
    assert doc.language == "zh"
    assert detection.detect_paragraph(text, doc, ("en",)).language == "zh"


def test_a_real_english_paragraph_in_a_chinese_document_is_english():
    doc = detection.detect("科学家宣布他们发明了一种新型诊断工具，可以将细胞按类型分类。")
    text = "Read the full report on the website of the university before Friday."
    assert detection.detect_paragraph(text, doc, ("en",)).language == "en"


@needs_flores_zh
def test_flores_chinese_paragraphs_are_all_chinese():
    from translator.segmentation import segment

    lines = (FLORES / "zho.txt").read_text(encoding="utf-8").splitlines()
    text = "\n\n".join(lines)
    doc = detection.detect(text)
    found = [detection.detect_paragraph(b.text, doc, ("en",)).language for b in segment(text, "zh").blocks]
    assert found.count("zh") == len(lines)
