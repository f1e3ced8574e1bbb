"""Translation memory: reuse, identities, human segments, TMX, and parallel writers."""

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from translator import Translator
from translator.cli import main
from translator.errors import ExitCode
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
    before = bad.read_bytes()
    assert main(["memory", "stats", "-m", str(bad)]) == 3
    assert capsys.readouterr().err == (f"{bad}: not a translation memory (not an SQLite database): pass another "
                                       "--memory path, or move this file away\n")
    assert bad.read_bytes() == before and sorted(tmp_path.iterdir()) == [bad]


def test_a_damaged_memory_says_so(tmp_path, capsys):
    path = tmp_path / "tm.sqlite"
    memory = Memory(path)
    memory.store("r", "g", "fr", "es", [(f"Phrase {i} " * 20, "x" * 100) for i in range(300)])
    memory.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(path.read_bytes())
    data[4096:3 * 4096] = b"Z" * (2 * 4096)  # pages 2 and 3: the table's b-tree
    path.write_bytes(bytes(data))
    assert main(["memory", "stats", "-m", str(path)]) == 3
    assert capsys.readouterr().err == (f"{path}: damaged translation memory (SQLite: database disk image is "
                                       "malformed): restore a backup, or move it away and start a new one\n")


def test_a_directory_is_not_a_memory(tmp_path, capsys):
    assert main(["memory", "stats", "-m", str(tmp_path)]) == 3
    assert capsys.readouterr().err == f"{tmp_path}: is a directory: pass the database file, for example " \
                                      "DIR/memory.sqlite\n"


def test_sqlite_full_is_disk_full_and_rolls_back(tmp_path):
    """SQLite's own SQLITE_FULL (a page limit here, a full disk in real life)."""
    from translator.errors import OutputError

    memory = Memory(tmp_path / "tm.sqlite")
    memory.store("r", "g", "fr", "es", [("Le ciel.", "El cielo.")])
    pages = memory._db.execute("PRAGMA page_count").fetchone()[0]
    memory._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(OutputError, match="disk full: cannot write the translation memory: free some space"):
        memory.store("r", "g", "fr", "es", [(f"Phrase {i} " * 50, "y" * 500) for i in range(200)])
    assert [row[2] for row in memory.rows()] == ["Le ciel."]


# -- a full, read-only or forbidden disk: each says so (real file systems; root only) ----------
needs_root = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"),
                                reason="mounting a small tmpfs needs root")
TMX = ('<tmx version="1.4"><header srclang="fr"/><body><tu><tuv xml:lang="fr"><seg>La paix</seg></tuv>'
       '<tuv xml:lang="es"><seg>La paz</seg></tuv></tu></body></tmx>')


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a tmpfs of *size* at a fresh folder (options such as 'ro' too); unmounted after."""
    mounts = []

    def mount(size: str, *options: str) -> Path:
        folder = tmp_path / f"mnt{len(mounts)}"
        folder.mkdir()
        opts = ",".join((f"size={size}",) + options)
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(folder)], capture_output=True)
        if proc.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
        mounts.append(folder)
        return folder

    yield mount
    for folder in mounts:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 1024):
            pass
    except OSError:  # ENOSPC: full
        pass
    finally:
        os.close(fd)


@needs_root
def test_full_disk_import_says_disk_full_and_leaves_no_file(tmp_path, tmpfs, capsys):
    disk = tmpfs("64k")
    _fill(disk)
    tmx = tmp_path / "h.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    db = disk / "memory" / "tm.sqlite"
    assert main(["memory", "import", str(tmx), "-m", str(db)]) == ExitCode.OUTPUT
    assert capsys.readouterr().err == (f"{db}: disk full: cannot write the translation memory: free some space "
                                       "or pass another --memory path\n")
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]


@needs_root
def test_full_disk_under_an_existing_memory_keeps_it(tmp_path, tmpfs, capsys):
    disk = tmpfs("256k")
    db = disk / "tm.sqlite"
    memory = Memory(db)
    memory.store("r", "g", "fr", "es", [("Le ciel.", "El cielo.")])
    memory.close()
    _fill(disk)
    tmx = tmp_path / "big.tmx"
    tmx.write_text('<tmx version="1.4"><header srclang="fr"/><body>' + "".join(
        f'<tu><tuv xml:lang="fr"><seg>Phrase {i} {"x" * 300}</seg></tuv><tuv xml:lang="es"><seg>Frase {i}</seg>'
        f"</tuv></tu>" for i in range(500)) + "</body></tmx>", encoding="utf-8")
    assert main(["memory", "import", str(tmx), "-m", str(db)]) == ExitCode.OUTPUT
    assert "disk full: cannot write the translation memory" in capsys.readouterr().err
    (disk / "filler").unlink()
    assert [row[2] for row in Memory(db).rows()] == ["Le ciel."]  # all or nothing, the old rows intact


@needs_root
@needs_apertium
def test_translate_with_memory_on_a_full_disk(tmp_path, tmpfs, capsys):
    disk = tmpfs("64k")
    _fill(disk)
    src = tmp_path / "a.txt"
    src.write_text("Le ciel est bleu.\n", encoding="utf-8")
    db = disk / "tm.sqlite"
    assert main([str(src), "--to", "es", "-m", str(db), "-q"]) == ExitCode.OUTPUT
    err = capsys.readouterr().err
    assert err == f"{db}: disk full: cannot write the translation memory: free some space or pass another --memory path\n"
    assert sorted(tmp_path.iterdir()) == [src, disk] and sorted(p.name for p in disk.iterdir()) == ["filler"]


@needs_root
def test_read_only_file_system_says_read_only(tmp_path, tmpfs, capsys):
    disk = tmpfs("1m", "ro")
    tmx = tmp_path / "h.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    db = disk / "tm.sqlite"
    assert main(["memory", "import", str(tmx), "-m", str(db)]) == ExitCode.OUTPUT
    assert capsys.readouterr().err == (f"{db}: read-only file system: cannot write the translation memory: pass a "
                                       "--memory path on a writable disk\n")


@needs_root
@pytest.mark.skipif(not shutil.which("setpriv"), reason="setpriv (util-linux) absent")
def test_permission_denied_says_permission_denied():
    """As another user (nobody), in a root-owned folder: a new memory, then an existing one."""
    folder = Path(tempfile.mkdtemp(prefix="translator-perm-"))
    try:
        folder.chmod(0o755)
        tmx = folder / "h.tmx"
        tmx.write_text(TMX, encoding="utf-8")
        tmx.chmod(0o644)
        assert main(["memory", "import", str(tmx), "-m", str(folder / "tm.sqlite")]) == 0
        for db in (folder / "new.sqlite", folder / "tm.sqlite"):
            proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                                   "-m", "translator", "memory", "import", str(tmx), "-m", str(db)],
                                  capture_output=True, text=True, cwd="/")
            assert proc.returncode == ExitCode.OUTPUT, proc.stderr
            assert proc.stderr == (f"{db}: permission denied: cannot write the translation memory: check the "
                                   "permissions of the file and its folder, or pass another --memory path\n")
        assert not [p.name for p in folder.iterdir() if p.name.startswith("new.sqlite")]
    finally:
        shutil.rmtree(folder)


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


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="no /proc on this system")
def test_a_memory_on_a_virtual_file_system_is_not_called_a_full_disk():
    """/proc reports no blocks at all: it was reported as "disk full"."""
    from translator.errors import OutputError

    with pytest.raises(OutputError, match=r"not a disk \(a virtual file system such as /proc\): cannot write"):
        Memory(Path("/proc/translator-memory.sqlite")).store("r", "g", "fr", "es", [("Le ciel.", "El cielo.")])
