"""langdetect's profiles from our compact cache: the same answers as langdetect's own
loading, read once, rebuilt when damaged, and detection done once per text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from translator import detection, detection_profiles

from .conftest import LANGID, needs_langid

LANGS = ("fr", "en", "es", "de", "it", "pt", "ru", "uk")


@pytest.fixture
def fresh(monkeypatch):
    """detection's process-wide state emptied, so that this test loads the profiles itself."""
    monkeypatch.setattr(detection, "_factory", None)
    monkeypatch.setattr(detection, "_languages", None)
    monkeypatch.setattr(detection, "_answers", {})


@pytest.fixture(scope="module")
def reference() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def _lines(per_language: int) -> list[tuple[str, str]]:
    out = []
    for kind in ("single-words", "word-pairs", "sentences"):
        for lang in LANGS:
            text = (LANGID / kind / f"{lang}.txt").read_text(encoding="utf-8")
            out += [(lang, line.strip()) for line in text.splitlines() if line.strip()][:per_language]
    return out


def _probabilities(detector, text: str, prior=None):
    if prior:
        detector.set_prior_map(prior)
    detector.append(text)
    try:
        return [(c.lang, c.prob) for c in detector.get_probabilities()]
    except LangDetectException:
        return None


def _decisions(lines: list[tuple[str, str]]) -> list:
    """What the tool decides for each line: alone, and as a paragraph of a document in its language."""
    documents = {lang: detection.detect(" ".join(l for g, l in _lines(30) if g == lang)) for lang in LANGS}
    out = []
    for lang, line in lines:
        try:
            alone = detection.detect(line)
        except Exception as exc:  # noqa: BLE001 - the error itself is part of the answer compared
            alone = type(exc).__name__
        out.append((alone, detection.detect_paragraph(line, documents[lang], ("en",)),
                    detection.detect_paragraph(line, documents[lang], LANGS)))
    return out


@needs_langid
def test_the_cached_profiles_give_langdetects_own_probabilities(fresh, reference):
    ours = detection._get_factory()
    assert ours.get_lang_list() == reference.get_lang_list()  # the same order: sums follow it
    for lang, line in _lines(8):  # bench/detection_check.py compares every line of the data
        for prior in (None, {lang: 0.6, "en": 0.4}, {"fr": 1.0, "en": 1.0, "de": 1.0}):
            expected = _probabilities(reference.create(), line, prior)
            assert _probabilities(detection._detector_class()(ours), line, prior) == expected, (line, prior)


@needs_langid
def test_detect_and_detect_paragraph_decide_as_with_langdetects_loading(fresh, reference, monkeypatch):
    lines = _lines(10)
    ours = _decisions(lines)
    monkeypatch.setattr(detection, "_factory", reference)
    monkeypatch.setattr(detection, "_languages", None)
    monkeypatch.setattr(detection, "_answers", {})
    monkeypatch.setattr(detection, "_detector_class", lambda: Detector)  # langdetect's, no answer cache
    assert ours == _decisions(lines)


def test_the_profiles_are_read_once_then_from_the_cache(fresh, monkeypatch):
    first = detection.detect("Le ciel est bleu au-dessus de la ville ce matin.")
    files = detection_profiles.profile_files(PROFILES_DIRECTORY)
    cached = detection_profiles.cache_path(detection_profiles._stamp(files))
    assert cached.is_file() and cached.stat().st_size < 4_000_000

    def no_json(files):
        raise AssertionError("the JSON profiles were read again")

    monkeypatch.setattr(detection_profiles, "build", no_json)
    monkeypatch.setattr(detection, "_factory", None)
    monkeypatch.setattr(detection, "_answers", {})
    assert detection.detect("Le ciel est bleu au-dessus de la ville ce matin.") == first


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xfb\x00\x00"])
def test_a_damaged_cache_is_rebuilt(fresh, damage):
    files = detection_profiles.profile_files(PROFILES_DIRECTORY)
    cached = detection_profiles.cache_path(detection_profiles._stamp(files))
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(damage)
    assert detection.detect("The sky is blue above the city this morning.").language == "en"
    assert cached.stat().st_size > 1_000_000  # written again, whole


def test_a_cache_that_does_not_fit_together_is_refused():
    data = detection_profiles.build(detection_profiles.profile_files(PROFILES_DIRECTORY))
    with pytest.raises(ValueError):
        detection_profiles.table(data | {"counts": data["counts"][:-4]})
    with pytest.raises(ValueError):
        detection_profiles.table(data | {"lang_index": bytes([200]) + data["lang_index"][1:]})


def test_an_unwritable_cache_folder_still_detects(fresh, tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert detection.detect("Der Himmel ist heute Morgen blau über der Stadt.").language == "de"
    assert blocked.is_file()


def test_profiles_changed_make_another_cache(fresh, tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name in ("en", "fr", "de"):
        (folder / name).write_bytes(Path(PROFILES_DIRECTORY, name).read_bytes())
    before = detection_profiles._stamp(detection_profiles.profile_files(folder))
    table = detection_profiles.load(folder)
    assert len(table.langs) == 3 and "the" in table and "zzq" not in table
    os.utime(folder / "fr", ns=(0, 0))
    assert detection_profiles._stamp(detection_profiles.profile_files(folder)) != before


def test_the_same_text_is_detected_once(fresh, monkeypatch):
    runs = []
    cls = detection._detector_class()
    real = cls._sample

    def counted(self, ngrams):
        runs.append(self.text)
        return real(self, ngrams)

    monkeypatch.setattr(cls, "_sample", counted)
    text = "Les scientifiques ont découvert un vaccin contre le paludisme cette année."
    document = detection.detect(text + "\n")
    # A one-paragraph document: its paragraph has the document's n-grams, so no second run.
    assert detection.detect_paragraph(text, document) == document
    assert detection.detect(text) == document
    assert len(runs) == 1
    detection.detect("Un tout autre paragraphe, écrit en français lui aussi, sans aucun doute.")
    assert len(runs) == 2
