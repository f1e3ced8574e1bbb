"""Bad input is refused, never turned into wrong output: damaged UTF-8, NUL bytes anywhere,
FIFOs, devices and oversized files get one line and exit 3, with nothing written and the
input unchanged (through the real ``translate`` command)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import translator
from translator import textio
from translator.cli import main
from translator.errors import ExitCode, InputError
from translator.textio import DEFAULT_MAX_SIZE, format_size, parse_size, read_text

GARCON = "Le garçon est là.\nIl attend ici.\n".encode()
# The same text with a Windows-1252 "é" (0xE9) typed into the UTF-8 second line.  Read as
# cp1252, every byte of it is a plausible letter: it used to come out as "garÃ§on est lÃ ".
DAMAGED = GARCON.replace(b"attend", b"attend\xe9")


def refused(tmp_path, capsys, src, *args) -> str:
    """Run the CLI on *src*; check exit 3, one line naming the file, nothing written, the
    input unchanged; return that line."""
    before = src.read_bytes() if src.is_file() else None
    assert main([str(src), "--to", "es", "--from", "fr", *args]) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"{src}:") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [src]
    if before is not None:
        assert src.read_bytes() == before
    return err.strip()


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_utf8_with_one_bad_byte_is_refused_not_turned_into_mojibake(tmp_path, capsys, suffix):
    src = tmp_path / f"garcon{suffix}"
    src.write_bytes(DAMAGED)
    bad = DAMAGED.index(b"\xe9")
    err = refused(tmp_path, capsys, src)
    assert err.startswith(f"{src}:2: not UTF-8 (byte {bad}: 0xE9) in a file that also holds UTF-8: ")
    assert "iconv -f ENCODING -t UTF-8" in err and "--encoding ENCODING" in err


def test_a_file_all_in_windows_1252_is_still_read():
    text, used = textio.decode(GARCON.decode().encode("cp1252"), name="a.txt")
    assert used == "cp1252" and text == GARCON.decode()


def test_an_explicit_encoding_reads_the_damaged_file_as_asked():
    text, used = textio.decode(DAMAGED, name="a.txt", encoding="cp1252")
    assert used == "cp1252" and "garÃ§on" in text  # the user asked for it: no guessing


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_nul_byte_after_the_first_8_kib_is_refused(tmp_path, capsys, suffix):
    src = tmp_path / f"long{suffix}"
    body = ("Le ciel est bleu.\n" * 600).encode()
    src.write_bytes(body + b"Fin\x00 du texte.\n")
    err = refused(tmp_path, capsys, src)
    assert len(body) > 8192
    assert err == (f"{src}:601: NUL byte (byte {len(body) + 3}): binary file, not text: "
                   "pass a text document (plain text, Markdown, PO, HTML, XLIFF, SRT, WebVTT) or a Word file")


def test_utf16_with_bom_still_reads_and_its_nul_characters_are_refused(tmp_path):
    src = tmp_path / "a.txt"
    src.write_bytes("Le garçon est là.\n".encode("utf-16"))
    assert read_text(src) == ("Le garçon est là.\n", "utf-16")
    src.write_bytes("Le garçon\x00 est là.\n".encode("utf-16"))
    with pytest.raises(InputError, match=r"a\.txt:1: NUL character \(character 9\): binary file"):
        read_text(src)
    src.write_bytes("Le garçon".encode("utf-16") + b"x")  # odd length: a truncated character
    with pytest.raises(InputError, match=r"a\.txt:1: not UTF-16 \(byte 20\): convert it"):
        read_text(src)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    """In a subprocess with a timeout: opening a FIFO for reading blocks until a writer comes."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    run = subprocess.run([sys.executable, "-m", "translator", str(fifo), "--to", "es", "--from", "fr"],
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert run.returncode == ExitCode.INPUT
    assert run.stderr == (f"{fifo}: a FIFO (named pipe), not a regular file: "
                          "pass a file, or '-' and pipe it to standard input\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.txt"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_a_device_is_refused_before_reading(capsys):
    assert main(["/dev/zero", "--to", "es", "--from", "fr"]) == ExitCode.INPUT
    assert capsys.readouterr().err == ("/dev/zero: a character device, not a regular file: "
                                       "pass a file, or '-' and pipe it to standard input\n")


def test_a_file_over_the_limit_is_refused_from_its_size(tmp_path, capsys):
    src = tmp_path / "huge.txt"
    with open(src, "wb") as fh:  # sparse: no 50 MB written to disk, none read
        fh.truncate(DEFAULT_MAX_SIZE + 1)
    err = refused(tmp_path, capsys, src)
    assert err == (f"{src}: too large: 50,000,001 bytes, over the limit of 50,000,000 bytes: "
                   "split it, or raise the limit with --max-size SIZE")


def test_a_file_larger_than_its_stat_size_is_capped_while_reading(tmp_path):
    """procfs files say they are empty; a growing log says less than it will hold."""
    maps = "/proc/self/maps"
    if not os.path.exists(maps) or os.stat(maps).st_size != 0:
        pytest.skip("no procfs here")
    with pytest.raises(InputError) as err:
        read_text(maps, max_size=100)
    assert str(err.value) == (f"{maps}: too large: more than the limit of 100 bytes: "
                              "split it, or raise the limit with --max-size SIZE")


def test_standard_input_is_capped(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Le ciel est bleu. " * 10)))
    with pytest.raises(InputError, match=r"^<stdin>: too large: more than the limit of 100 bytes"):
        read_text("-", max_size=100)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Le ciel est bleu.")))
    assert read_text("-", max_size=100) == ("Le ciel est bleu.", "utf-8")


def test_a_file_at_the_limit_is_read(tmp_path):
    src = tmp_path / "a.txt"
    src.write_bytes(b"Le ciel est bleu.\n")
    assert read_text(src, max_size=18)[0] == "Le ciel est bleu.\n"
    with pytest.raises(InputError, match="too large: 18 bytes, over the limit of 17 bytes"):
        read_text(src, max_size=17)


def test_a_symlink_to_a_regular_file_is_read_and_to_a_fifo_refused(tmp_path):
    src, fifo = tmp_path / "a.txt", tmp_path / "pipe"
    src.write_bytes(b"Le ciel est bleu.\n")
    os.mkfifo(fifo)
    (tmp_path / "link.txt").symlink_to(src)
    (tmp_path / "fifo.txt").symlink_to(fifo)
    assert read_text(tmp_path / "link.txt")[0] == "Le ciel est bleu.\n"
    with pytest.raises(InputError, match="a FIFO"):
        read_text(tmp_path / "fifo.txt")


def test_an_unreadable_file_is_one_line(tmp_path):
    """As a user who may not read the file (root reads anything: then the command runs as
    uid 65534, dropping privileges inside a fresh interpreter, on a file in a folder it can enter)."""
    if os.geteuid() != 0:
        src = tmp_path / "a.txt"
        src.write_bytes(b"Le ciel est bleu.\n")
        src.chmod(0)
        with pytest.raises(InputError, match=r"a\.txt: cannot read: Permission denied$"):
            read_text(src)
        return
    folder = Path(tempfile.mkdtemp(prefix="translator-test-unreadable-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        src = folder / "a.txt"
        src.write_bytes(b"Le ciel est bleu.\n")
        src.chmod(0o600)  # root's, unreadable by others
        (folder / "warm.txt").write_bytes(b"Le ciel est bleu.\n")
        probe = (  # the interpreter's own files are root's: a first run as root imports what a run needs
            "import os, sys\n"
            "from translator.cli import main\n"
            "main([sys.argv[2], '--to', 'fr', '--from', 'fr', '-q', '-o', sys.argv[3]])\n"
            "os.setgroups([]); os.setgid(65534); os.setuid(65534)\n"
            "sys.exit(main([sys.argv[1], '--to', 'fr', '--from', 'fr', '-q']))")
        env = dict(os.environ, PYTHONPATH=str(Path(translator.__file__).parent.parent))
        warm_out = tmp_path / "warm"
        done = subprocess.run([sys.executable, "-c", probe, str(src), str(folder / "warm.txt"), str(warm_out)],
                              capture_output=True, text=True, timeout=120, env=env, cwd=folder)
        assert (done.returncode, done.stderr.strip()) == (3, f"{src}: cannot read: Permission denied")
        assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "warm.txt"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("text, size", [("1024", 1024), ("50MB", 50_000_000), ("500 kB", 500_000),
                                        ("2GiB", 2 * 1024**3), ("1.5M", 1_500_000), ("10mib", 10 * 1024**2)])
def test_sizes_for_max_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "-5MB", "5 TB", "0", "ten"])
def test_bad_sizes_are_usage_errors(text):
    from translator.errors import UsageError

    with pytest.raises(UsageError, match=r"^--max-size: .* is not a size: write for example 50MB"):
        parse_size(text)


def test_sizes_are_written_for_people():
    assert [format_size(n) for n in (17, 1500, 999_960, 50_000_000, 62_914_560, 2 * 10**9)] == \
        ["17 bytes", "1.5 kB", "1000 kB", "50 MB", "62.9 MB", "2 GB"]
