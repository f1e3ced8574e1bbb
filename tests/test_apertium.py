from pathlib import Path

import pytest

from translator import Translator
from translator.engines.apertium import ApertiumEngine, strip_marks

from .conftest import flores, needs_apertium, needs_flores, spy_steps


def test_strip_marks_reports_and_removes():
    text, words = strip_marks("El alto el fuego en *Kyiv y #ser @Moscú.", "Le cessez-le-feu à Kyiv est à Moscou.")
    assert text == "El alto el fuego en Kyiv y ser Moscú."
    assert words == ["Kyiv", "ser", "Moscú"]


def test_strip_marks_keeps_marks_from_the_source():
    text, words = strip_marks("Hablan de #*JO2024 y a@b.com.", "Ils parlent de #JO2024 et a@b.com.")
    assert text == "Hablan de #JO2024 y a@b.com."
    assert words == ["JO2024"]


@pytest.mark.parametrize("output, source, expected, unknown", [
    ("La norma 802.11*n.", "La norme 802.11n.", "La norma 802.11n.", ["n"]),  # after digits
    ("The norm 802.11**n.", "La norma 802.11n.", "The norm 802.11n.", ["n"]),  # marked twice (two steps)
    ("(*H5N1xx), «*Oahu», l'*Xyz", "(H5N1xx), «Oahu», l'Xyz", "(H5N1xx), «Oahu», l'Xyz", ["H5N1xx", "Oahu", "Xyz"]),
    ("a #Copenaghen. y #ruso, 3#si", "x", "a Copenaghen. y ruso, 3si", ["Copenaghen", "ruso", "si"]),
    ("de @Moscú y 12@km", "de Moscou et 12 km", "de Moscú y 12km", ["Moscú", "km"]),
    ("el *#@x y #*y", "le x et y", "el x y y", ["x", "y"]),  # marks after other marks
    ("#*JO2024 y a*b", "#JO2024 et a*b", "#JO2024 y a*b", ["JO2024"]),  # the source's own marks stay
    ("*Nota: ver *Kyiv.", "*Note : voir Kyiv.", "*Nota: ver Kyiv.", ["Kyiv"]),  # an asterisk of the text
    ("la misión *Apollo-Soyuz", "la mission Apollo-Soyouz", "la misión Apollo-Soyuz", ["Apollo-Soyuz"]),
    ("Por X *· Publicado", "Par X · Publié", "Por X · Publicado", []),  # a symbol it did not know
])
def test_marks_are_removed_whatever_precedes_them(output, source, expected, unknown):
    assert strip_marks(output, source) == (expected, unknown)


def test_strip_marks_compiles_no_pattern_per_word(monkeypatch):
    from translator.engines import apertium

    def refuse(*args, **kwargs):
        raise AssertionError("a pattern compiled per word")

    monkeypatch.setattr(apertium.re, "search", refuse)
    monkeypatch.setattr(apertium.re, "compile", refuse)
    monkeypatch.setattr(apertium.re, "escape", refuse)
    assert strip_marks("en *Kyiv y 802.11*n " * 50, "à Kyiv et 802.11n")[0] == "en Kyiv y 802.11n " * 50


@needs_apertium
def test_no_engine_marks_in_any_target_through_real_apertium():
    # "802.11n": Apertium splits the number from the unknown "n"; "russe" cannot be generated
    # in Spanish ("#ruso"); "On craint" neither ("#Temer"); the source's own "#" and "*" stay.
    text = ("La norme 802.11n et le protocole x86_64 (H5N1xx) à «Oahuzz», l'Xyzzyq, #JO2024 et *Note. "
            "La tour de contrôle russe a activé les jets. On craint que les patients restent là.")
    targets = [t for t in ("es", "en", "it", "pt", "ca") if Translator(engine="apertium").route("fr", t)]
    with Translator(engine="apertium") as t:
        doc = t.translate_text(text, to=targets, source="fr")
    for target in targets:
        out = doc.text(target)
        assert "802.11n" in out and "(H5N1xx)" in out and "«Oahuzz»" in out and "#JO2024" in out, (target, out)
        assert out.count("*") == 1 and out.count("#") == 1 and "@" not in out, (target, out)
        assert "*Not" in out  # "*Note" / "*Nota": the text's own asterisk
        assert {"H5N1xx", "Oahuzz", "Xyzzyq"} <= set(doc.segments[0].unknown_words[target])
    assert "ruso" in doc.text("es") and "Temer" in doc.text("es")
    assert {"n", "ruso", "Temer"} <= set(doc.segments[0].unknown_words["es"])


@needs_apertium
def test_pairs_found_with_iso_codes():
    pairs = ApertiumEngine().pairs()
    for pair in [("fr", "es"), ("es", "en"), ("es", "it"), ("es", "pt"), ("fr", "ca")]:
        assert pair in pairs
        assert pairs[pair].version != "?"


@needs_apertium
def test_real_french_to_spanish_and_english_through_spanish():
    t = Translator(engine="apertium")
    doc = t.translate_text("Le Kremlin a confirmé la nouvelle.\n\nLa Maison-Blanche a réagi.", to=["es", "en"])
    assert doc.source_language == "fr"
    first, second = doc.text("es").split("\n\n")
    assert first.startswith("El Kremlin ha confirmado la ") and first.endswith(".")
    assert second.startswith("La Casa") and second.endswith("ha reaccionado.")
    assert doc.engine["en"]["route"] == ["fr", "es", "en"]
    assert doc.text("en").startswith("The Kremlin has confirmed")
    assert "\n\n" in doc.text("en") and "*" not in doc.text("en")


@needs_apertium
def test_spanish_step_is_computed_once_for_all_pivot_targets(monkeypatch):
    t = Translator(engine="apertium", routes={"it": "fr>es>it", "pt": "fr>es>pt"})  # Spanish for all three
    calls = spy_steps(t, monkeypatch)
    docs = [t.prepare("Le ciel est bleu. La mer est calme.", to="es,en,it,pt"),
            t.prepare("La mer est calme. Le vent souffle.", to="es,en,it,pt")]
    t.translate_documents(docs)
    assert sorted(calls) == [("es", "en", 3), ("es", "it", 3), ("es", "pt", 3), ("fr", "es", 3)]
    assert docs[0].text("pt") and docs[1].text("it")


@needs_apertium
def test_unknown_words_are_stripped_and_reported():
    doc = Translator(engine="apertium").translate_text("Le cessez-le-feu à Kyiv reste fragile.", to="es")
    assert "*" not in doc.text("es") and "Kyiv" in doc.text("es")
    assert doc.segments[0].unknown_words["es"] == ["Kyiv"]


@needs_apertium
def test_urls_and_markup_characters_survive():
    doc = Translator(engine="apertium").translate_text(
        "Lisez [le rapport](https://www.example.org/rapport_2024.html) & écrivez à presse@example.org <ici>.", to="es")
    out = doc.text("es")
    assert "(https://www.example.org/rapport_2024.html)" in out
    assert "presse@example.org" in out and "&" in out and "<" in out


@needs_apertium
def test_package_versions_are_cached_until_dpkg_changes(tmp_path, monkeypatch):
    from translator.engines import apertium

    status = tmp_path / "status"
    status.write_text("one", encoding="utf-8")
    monkeypatch.setattr(apertium, "DPKG_STATUS", status)
    calls = []
    real = apertium.subprocess.run

    def counting(cmd, *args, **kw):
        calls.append(cmd[0])
        return real(cmd, *args, **kw)

    monkeypatch.setattr(apertium.subprocess, "run", counting)
    first = apertium._package_versions()
    assert first["apertium-fr-es"] and calls == ["dpkg-query"]
    assert apertium._package_versions() == first and calls == ["dpkg-query"]  # from the cache
    status.write_text("two: a package was installed", encoding="utf-8")
    assert apertium._package_versions() == first and calls == ["dpkg-query", "dpkg-query"]


@needs_apertium
@needs_flores
def test_calls_from_two_threads_give_what_each_gives_alone(monkeypatch):
    """translate batch runs two calls at once on an actor (for the neural steps): the Apertium
    steps of both take turns on the engine's programs, each with its own outputs, and the
    programs are started once (a slow start made every thread find them missing)."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from translator.engines import apertium_pipe

    first, second = flores("fra", 0, 8), flores("fra", 8, 8)
    alone = ApertiumEngine()
    expected = [alone.translate(first, "fr", "es").texts, alone.translate(second, "fr", "es").texts]
    alone.close()
    started = []
    real_init = apertium_pipe.ModePipeline.__init__

    def slow_init(self, mode):
        started.append(mode)
        time.sleep(0.3)
        real_init(self, mode)

    monkeypatch.setattr(apertium_pipe.ModePipeline, "__init__", slow_init)
    shared = ApertiumEngine()
    try:
        with ThreadPoolExecutor(4) as pool:
            calls = [pool.submit(shared.translate, texts, "fr", "es") for texts in (first, second) * 3]
            results = [c.result().texts for c in calls]
        assert results == expected * 3
        assert len(started) == 1
    finally:
        shared.close()


@needs_apertium
def test_programs_started_with_descriptors_above_1023_still_answer():
    """A server holding a thousand connections starts the programs (or a tagger's spare) with
    pipe descriptors above 1023, where select() raises ValueError: the engine reads them anyway."""
    import os
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this machine allows {hard} open files, too few to reach descriptor 1024")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200) if hard == resource.RLIM_INFINITY
                                                else min(max(soft, 1200), hard), hard))
    held = []
    engine = ApertiumEngine()
    try:
        while not held or held[-1] < 1030:
            held.append(os.open(os.devnull, os.O_RDONLY))
        assert engine.translate(["Le chat dort."], "fr", "es").texts == ["El gato duerme."]
    finally:
        engine.close()
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _started_threads() -> None:
    import threading

    for thread in threading.enumerate():
        if thread.name.startswith("apertium-start-"):
            thread.join(30)


@needs_apertium
def test_preparing_a_document_starts_its_routes_programs(monkeypatch):
    """With start_early (the translate command), once the document's language is known, each
    route step's programs start loading in the background while the document is segmented;
    the translation is the same.  A library caller that only prepares starts nothing."""
    text = "Le Kremlin a confirmé la nouvelle.\n\nLa Maison-Blanche a réagi hier soir."
    with Translator(engine="apertium") as cold:
        expected = cold.translate_text(text, to=["es", "en"], source="fr")
    with Translator(engine="apertium") as translator:  # by default, preparing starts nothing
        translator.prepare(text, to=["es", "en"])
        _started_threads()
        assert translator.engines[0]._pipes == {}
    with Translator(engine="apertium", start_early=True) as translator:  # as `translate` runs
        engine = translator.engines[0]
        doc = translator.prepare(text, to=["es", "en"])  # detected: fr; en goes through es
        _started_threads()
        assert sorted(Path(m).stem for m in engine._pipes) == ["fr-es", "spa-eng"]
        pipes = dict(engine._pipes)
        translator.translate_documents([doc])
        assert engine._pipes == pipes  # the very programs started early
        assert doc.text("es") == expected.text("es") and doc.text("en") == expected.text("en")


@needs_apertium
def test_programs_that_fail_to_start_early_fail_the_translation_not_the_preparation(monkeypatch):
    from translator.engines import apertium_pipe
    from translator.errors import EngineError

    def broken(self, mode):
        raise EngineError(f"cannot start the Apertium mode {Path(mode).stem}: no such program")

    monkeypatch.setattr(apertium_pipe.ModePipeline, "__init__", broken)
    with Translator(engine="apertium", start_early=True) as translator:
        doc = translator.prepare("Le chat dort sur le canapé.", to=["es"], source="fr")
        _started_threads()
        with pytest.raises(EngineError, match="cannot start the Apertium mode fr-es: no such program"):
            translator.translate_documents([doc])


def test_an_engine_using_the_server_starts_no_programs_here(monkeypatch):
    import threading

    engine = ApertiumEngine(server=True)
    monkeypatch.setattr(engine, "pairs", lambda: {("fr", "es"): object()})
    before = threading.active_count()
    engine.start("fr", "es")
    assert threading.active_count() == before and engine._pipes == {}


@needs_apertium
def test_a_start_overtaken_by_close_starts_nothing():
    """An engine closed before its background start ran (a run that failed at once, a server
    shutting down) is left with no programs running."""
    engine = ApertiumEngine()
    with engine._lock:  # the start's thread waits here, as behind a long translation
        engine.start("fr", "es")
        engine.close()
    _started_threads()
    assert engine._pipes == {}
