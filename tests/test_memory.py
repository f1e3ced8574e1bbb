"""Translation memory: reuse, identities, human segments, TMX, and parallel writers."""

import multiprocessing
import sqlite3

import pytest

from translator import Translator
from translator.cli import main
from translator.memory import HUMAN, Memory, export_tmx, import_tmx, normalize

from .conftest import needs_apertium, needs_model

ARTICLE = "\n\n".join(f"Paragraphe {i}. Le Kremlin a parlé du sommet numéro {i}." for i in range(50)) + "\n"


def test_normalize():
    assert normalize("  Le\u00a0 Kremlin\n a  parlé. ") == "Le Kremlin a parlé."
    assert normalize("e\u0301t\u00e9") == "été"


@needs_apertium
def test_one_paragraph_edit_retranslates_one_paragraph(tmp_path):
    memory = Memory(tmp_path / "tm.sqlite")
    t = Translator(engine="apertium", memory=memory)
    first = t.translate_text(ARTICLE, to="es,en")
    assert memory.counters.translated == 200 and memory.counters.reused == 0
    memory.counters.__init__()
    again = t.translate_text(ARTICLE, to="es,en")
    assert memory.counters.translated == 0 and memory.counters.reused == 200
    assert again.text("en") == first.text("en")
    memory.counters.__init__()
    t.translate_text(ARTICLE.replace("sommet numéro 7.", "sommet numéro sept."), to="es,en")
    assert memory.counters.translated == 2 and memory.counters.reused == 198


@needs_apertium
def test_identical_sentences_across_files_are_translated_once(tmp_path):
    memory = Memory(tmp_path / "tm.sqlite")
    t = Translator(engine="apertium", memory=memory)
    docs = [t.prepare("Le ciel est bleu. La mer est calme.", to="es"),
            t.prepare("La mer est calme. Le vent souffle.", to="es")]
    t.translate_documents(docs)
    assert memory.counters.translated == 3


@needs_apertium
def test_glossary_change_means_new_translations(tmp_path):
    memory = Memory(tmp_path / "tm.sqlite")
    Translator(engine="apertium", memory=memory).translate_text("La Maison-Blanche a réagi.", to="es")
    memory.counters.__init__()
    doc = Translator(engine="apertium", memory=memory, glossary="news").translate_text("La Maison-Blanche a réagi.",
                                                                                        to="es")
    assert memory.counters.translated == 1 and doc.text("es") == "La Casa Blanca ha reaccionado."


@needs_apertium
def test_human_segments_win(tmp_path):
    memory = Memory(tmp_path / "tm.sqlite")
    memory.store("", "", "fr", "es", [("Le ciel est bleu.", "El cielo está azul.")], origin=HUMAN)
    doc = Translator(engine="apertium", memory=memory).translate_text("Le ciel est bleu. La mer est calme.", to="es")
    assert doc.text("es").startswith("El cielo está azul. ")
    assert memory.counters.human == 1 and memory.counters.translated == 1


@needs_model
def test_argos_route_identity_has_the_model_checksum(with_zh_en, tmp_path):
    memory = Memory(tmp_path / "tm.sqlite")
    t = Translator(engine="argos", memory=memory)
    ident = memory.route_identity(t.route("zh", "en"))
    assert ident.startswith("argos:translate-zh_en@1.9#") and len(ident.split("#")[1]) == 16
    assert memory.route_identity(t.route("zh", "en")) == ident  # cached, same answer


def test_tmx_round_trip_as_human_segments(tmp_path):
    memory = Memory(tmp_path / "a.sqlite")
    memory.store("apertium:fr-es@1", "", "fr", "es", [("Bonjour.", "Hola.")])
    tmx = tmp_path / "m.tmx"
    tmx.write_text(export_tmx(memory), encoding="utf-8")
    other = Memory(tmp_path / "b.sqlite")
    assert import_tmx(other, tmx) == 1
    assert other.lookup("any-route", "", "fr", "es", ["Bonjour."]) == {"Bonjour.": "Hola."}
    assert other.stats()["by_pair"][0]["origin"] == "human"


def test_prune_keeps_human_segments(tmp_path):
    memory = Memory(tmp_path / "tm.sqlite")
    memory.store("r", "", "fr", "es", [("a b", "c d")])
    memory.store("", "", "fr", "es", [("e f", "g h")], origin=HUMAN)
    assert memory.prune(older_than_days=1) == 0
    assert memory.prune() == 1
    assert memory.stats()["segments"] == 1


def test_not_a_memory_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "tm.sqlite"
    bad.write_text("not sqlite at all" * 100)
    assert main(["memory", "stats", "-m", str(bad)]) == 3
    assert "not a translation memory" in capsys.readouterr().err


def _writer(path, worker, count):
    memory = Memory(path)
    for batch in range(count):
        memory.store("route", "", "fr", "es",
                     [(f"phrase {worker}-{batch}-{i}", f"frase {worker}-{batch}-{i}") for i in range(20)])
        memory.lookup("route", "", "fr", "es", [f"phrase {(worker + 1) % 4}-{batch}-0"])


def test_parallel_processes_do_not_corrupt_the_memory(tmp_path):
    path = tmp_path / "tm.sqlite"
    Memory(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 25)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT COUNT(*) FROM segments").fetchone() == (4 * 25 * 20,)


@needs_apertium
def test_memory_cli(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("Diplomatie\n\nLe ciel est bleu.\n", encoding="utf-8")
    tm = tmp_path / "tm.sqlite"
    assert main([str(src), "--to", "es", "-m", str(tm), "-q"]) == 0
    human = tmp_path / "h.tmx"
    human.write_text('<tmx version="1.4"><header srclang="fr"/><body><tu><tuv xml:lang="fr"><seg>Diplomatie</seg>'
                     '</tuv><tuv xml:lang="es"><seg>DIPLOMACIA</seg></tuv></tu></body></tmx>', encoding="utf-8")
    assert main(["memory", "import", str(human), "-m", str(tm)]) == 0
    assert main([str(src), "--to", "es", "-m", str(tm), "-q"]) == 0
    assert (tmp_path / "a.es.txt").read_text(encoding="utf-8").startswith("DIPLOMACIA\n")
    assert main(["memory", "stats", "-m", str(tm)]) == 0
    out = capsys.readouterr().out
    assert "human    fr->es  1 segments" in out and "machine  fr->es  2 segments" in out
    assert main(["memory", "export", str(tmp_path / "out.tmx"), "-m", str(tm)]) == 0
    assert main(["memory", "prune", "-m", str(tm)]) == 0
    assert "pruned 2 machine segments" in capsys.readouterr().out
