"""Short lines inside documents (translator/short_lines.py), with and without lingua."""

import importlib.util
import subprocess
import sys

import pytest

from translator import detection, short_lines

from .conftest import ROOT, needs_apertium, needs_flores

FR = "Le président de la République a rencontré hier soir son homologue allemand à Berlin."
TOOL = detection.SHORT_LINE_CANDIDATES
COMMON = ("en", "es", "de", "it", "pt")
needs_lingua = pytest.mark.skipif(not short_lines.lingua_installed(),
                                  reason="lingua-language-detector not installed (pip install 'translator[lingua]')")


@pytest.fixture(params=["context", pytest.param("lingua", marks=needs_lingua)])
def method(request, monkeypatch):
    """Each test runs with langdetect and the context alone, then with lingua's second opinion."""
    monkeypatch.setattr(short_lines, "USE_LINGUA", request.param == "lingua")
    return request.param


@pytest.fixture
def without_lingua(monkeypatch):
    monkeypatch.setattr(short_lines, "USE_LINGUA", False)


def _in_french_document(line: str, candidates=TOOL) -> str:
    return detection.detect_paragraph(line, detection.detect(FR), candidates).language


@pytest.mark.parametrize("line", ["bien que", "proposent encore des tarifs de", "Il va se comporter comme",
                                  "la capitale", "En effet"])
def test_short_french_lines_stay_french(method, line):
    assert _in_french_document(line) == "fr"


@pytest.mark.parametrize("line", ["Click to comment", "Share this article", "Read more", "Sign up for our newsletter",
                                  # held-out FLORES lines: main's rule kept them French (25 letters or
                                  # more, detected among all of langdetect's 55 languages)
                                  "but like photography in general", "understand than spoken words, also",
                                  "traveller in Spain may mistake", "structural and functional unit of"])
def test_short_english_lines_in_a_french_document_are_english(method, line):
    assert _in_french_document(line) == "en"


@needs_lingua
@pytest.mark.parametrize("line, language", [
    # held-out FLORES lines that langdetect gets wrong and lingua right
    ("a pris", "fr"), ("tornade se", "fr"), ("afin de ne pas interrompre votre", "fr"),
    ("excessive drinking", "en"), ("Your passport", "en"),
])
def test_lingua_decides_where_langdetect_is_wrong(line, language):
    assert _in_french_document(line) == language
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(short_lines, "USE_LINGUA", False)
        assert _in_french_document(line) != language  # so the lingua path is what decided


@needs_lingua
def test_lingua_vetoes_a_sure_langdetect_among_many_candidates():
    # langdetect is sure "En effet" is German; lingua leans French.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(short_lines, "USE_LINGUA", False)
        assert _in_french_document("En effet", COMMON) == "de"
    assert _in_french_document("En effet", COMMON) == "fr"


def test_a_six_word_line_is_decided_among_the_candidates_only(without_lingua):
    # 26 letters: main detected it among all 55 languages and found Spanish.
    assert detection.letter_count("proposent encore des tarifs de") >= detection.MIN_LETTERS
    assert _in_french_document("proposent encore des tarifs de", ()) == "fr"


def test_a_longer_short_line_found_freely_is_still_told_apart(without_lingua):
    # Spanish is no candidate, but langdetect finds it freely in a line of 25 letters or more;
    # the duel against French confirms it, as main did for such lines.
    line = "los ministros de economía europeos"
    assert _in_french_document(line) == "es"


@pytest.mark.parametrize("text, short", [
    ("Click to comment", True), ("un deux trois quatre cinq six", True),
    ("un deux trois quatre cinq six sept", False),
    ("科学家宣布他们发明了一种新型诊断工具可以将细胞按类型分类", False),  # one long "word": not short
])
def test_what_is_a_short_line(text, short):
    assert short_lines.is_short(text) is short


@pytest.mark.parametrize("text", ["Emmanuel Macron", "Newsletter", "Sport", "Donald Trump"])
def test_names_and_single_words_take_the_document_language(method, text):
    found = detection.detect_paragraph(text, detection.detect(FR), COMMON)
    assert found.language == "fr" and found.inherited


def test_the_same_answer_every_time(method, monkeypatch):
    lines = ["bien que", "a pris", "Click to comment", "excessive drinking", "la capitale", "Your passport"]
    first = [_in_french_document(line, COMMON) for line in lines]
    monkeypatch.setattr(detection, "_factory", None)  # langdetect's profiles reloaded
    short_lines._build.cache_clear()  # a new lingua detector
    assert [_in_french_document(line, COMMON) for line in lines] == first


def test_a_language_lingua_does_not_know_leaves_langdetect_alone(monkeypatch):
    # Every code is checked against lingua's; an unknown one gives no second opinion.
    assert short_lines._lingua(("fr", "xx")) is None


@needs_flores
def test_held_out_flores_short_lines(method):
    """FLORES lines 500-996 as 2-6 word lines of French documents (bench/short_lines.py)."""
    spec = importlib.util.spec_from_file_location("bench_short_lines", ROOT / "bench" / "short_lines.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cases = [case for case in bench.document_cases(bench.HELD_OUT) if case[2] in ("fr", "en")]
    kept = found = french = english = 0
    documents = {}
    for document, line, lang in cases:
        doc = documents.get(document) or documents.setdefault(document, detection.detect(document))
        got = detection.detect_paragraph(line, doc, TOOL).language
        french += lang == "fr"
        english += lang == "en"
        kept += lang == "fr" and got == "fr"
        found += lang == "en" and got == "en"
    # main's rule on these lines: 98.4% of French lines kept, 88.8% of English ones found
    # (measured: context 98.6% and 90.9%, lingua 98.8% and 94.9%).
    assert french > 400 and english > 400
    assert kept / french >= 0.98
    assert found / english >= (0.93 if method == "lingua" else 0.90)


def test_help_does_not_import_lingua():
    code = "import sys; from translator.cli import main; main(['--help']); print('lingua' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "False"


LONG = ["Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir l'économie du pays.",
        "The government announced new measures on Tuesday to support the country's economy."]


@needs_apertium
@pytest.mark.parametrize("text", LONG)
def test_a_document_of_one_long_paragraph_is_not_asked_twice(text, monkeypatch):
    """Its one paragraph is the text its language was detected on, freely: the same answer,
    not computed again; a paragraph among others still gets its own decision."""
    from translator import Translator

    asked = []
    real = detection.detect_paragraph
    monkeypatch.setattr(detection, "detect_paragraph", lambda *a, **k: asked.append(a[0]) or real(*a, **k))
    t = Translator(engine="apertium")
    doc = t.prepare(text + "\n", to="es")
    assert asked == []
    assert [(s.language, s.confidence) for s in doc.segments] == [(doc.source_language, doc.confidence)]
    assert doc.source_language == ("fr" if text.startswith("Le") else "en")
    assert real(text, detection.detect(text), detection.SHORT_LINE_CANDIDATES) == detection.detect(text)
    two = t.prepare(LONG[0] + "\n\n" + text + "\n", to="es")
    assert len(asked) == 2 and asked[1].strip() == text and len(two.segments) == 2


@needs_apertium
def test_a_document_of_one_short_line_is_still_decided_as_a_short_line(without_lingua, monkeypatch):
    """A few words detected freely are often wrong (langdetect once found "political party"
    Italian); the short-line decision that follows puts such lines right, alone in a document too."""
    from translator import Translator

    real = detection.detect
    monkeypatch.setattr(detection, "detect", lambda text, **kw: detection.Detection("it", 0.71)
                        if text == "Share this article\n" else real(text, **kw))
    doc = Translator(engine="apertium").prepare("Share this article\n", to="es")
    assert doc.source_language == "it"
    assert doc.segments[0].language == "en"
