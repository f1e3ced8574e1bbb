"""Hostile inputs, all through the real commands in a fresh process: for every case, the
documented exit code and message, and nothing else happens.

For each case the command runs in a folder of its own holding copies of the inputs, with
an ``outside`` folder beside it.  Asserted for every case: the exit code; stderr starts
with the expected message (one line, file name first, unless the case lists several
problems); no traceback; the inputs are unchanged; no file appears (no partial output);
nothing is written outside the case folder; the command ends within its time limit (no
hang).  The corpus is ``tests/hostile/`` (small files, committed) plus inputs generated
here (a FIFO, ``/dev/zero``, a file over the size limit, model archives).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import _apertium_ready

HOSTILE = Path(__file__).with_name("hostile")
BIN = Path(sys.executable).parent
TRANSLATE = [sys.executable, "-m", "translator"]


@dataclass
class Case:
    id: str
    inputs: list[str]  # paths below tests/hostile, copied into the case folder under their names
    args: list[str]  # the command; "{in}" is the first input's name
    code: int
    prefix: str  # stderr's first line starts with it ("{in}" replaced)
    one_line: bool = True
    setup: Callable[[Path], None] | None = None  # makes generated inputs in the case folder
    apertium: bool = False  # the case reaches an engine
    timeout: float = 120
    allowed: tuple[str, ...] = field(default=())  # files the command may create (none by default)


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "fifo.txt")


def _huge(folder: Path) -> None:
    with open(folder / "huge.txt", "wb") as out:  # sparse: 50 MB + 1 byte of NULs would be binary
        out.write(b"Le ciel est bleu. " * 10)
        out.truncate(50_000_001)


def _package(folder: Path, *, extra: dict[str, bytes] | None = None, meta: object = None,
             link: bool = False, name: str = "pkg.argosmodel") -> None:
    with zipfile.ZipFile(folder / name, "w") as zf:
        zf.writestr("translate-fr_de/metadata.json", json.dumps(meta if meta is not None else
                                                                {"from_code": "fr", "to_code": "de"}))
        zf.writestr("translate-fr_de/model/model.bin", b"x")
        zf.writestr("translate-fr_de/sentencepiece.model", b"x")
        for entry, data in (extra or {}).items():
            zf.writestr(entry, data)
        if link:
            info = zipfile.ZipInfo("translate-fr_de/link")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")


def _bomb(folder: Path) -> None:
    with zipfile.ZipFile(folder / "pkg.argosmodel", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("translate-fr_de/metadata.json", json.dumps({"from_code": "fr", "to_code": "de"}))
        zf.writestr("translate-fr_de/sentencepiece.model", b"x")
        with zf.open("translate-fr_de/model/model.bin", "w", force_zip64=True) as out:
            for _ in range(64):
                out.write(bytes(1 << 20))


def _repo(config: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        shutil.copy(HOSTILE / "config" / config, folder / "pyproject.toml")
        (folder / "content" / "fr").mkdir(parents=True)
        (folder / "content" / "fr" / "a.md").write_text("# Titre\n\nLe ciel est bleu.\n", encoding="utf-8")
    return make


def _text(name: str, code: int, prefix: str, **kw) -> Case:
    return Case(f"text/{name}", [f"text/{name}"], [*TRANSLATE, "{in}", "--to", "es", "-o", "out"], code, prefix, **kw)


CASES = [
    _text("damaged_utf8.txt", 3, "{in}:2: not UTF-8 (byte 24: 0xE7) in a file that also holds UTF-8"),
    _text("nul_late.txt", 3, "{in}:1: NUL byte (byte 10800)"),
    _text("binary.png", 3, "{in}: a PNG image: not a supported document type; supported: "),
    _text("empty.txt", 3, "{in}: empty file: nothing to translate"),
    _text("spaces_only.txt", 3, "{in}: empty file: nothing to translate"),
    _text("no_letters.txt", 3, "{in}: no letters to translate"),
    _text("shift_jis.txt", 3, "{in}:1: not UTF-8"),
    _text("utf16_truncated.txt", 3, "{in}:1: not UTF-16 (byte 34)"),
    _text("controls.txt", 3, "{in}: binary file, not text"),
    Case("text/fifo", [], [*TRANSLATE, "fifo.txt", "--to", "es", "-o", "out"], 3,
         "fifo.txt: a FIFO (named pipe), not a regular file", setup=_fifo, timeout=30),
    Case("text/dev-zero", [], [*TRANSLATE, "/dev/zero", "--to", "es", "-o", "out"], 3,
         "/dev/zero: a character device, not a regular file", timeout=30),
    Case("text/over-the-size-limit", [], [*TRANSLATE, "huge.txt", "--to", "es", "-o", "out"], 3,
         "huge.txt: too large: 50,000,001 bytes, over the limit of 50,000,000 bytes", setup=_huge),
    Case("text/missing", [], [*TRANSLATE, "missing.txt", "--to", "es"], 3, "missing.txt: no such file"),
    Case("text/missing-po", [], [*TRANSLATE, "missing.po", "--to", "es"], 3, "missing.po: no such file"),
    Case("text/empty-folder", [], [*TRANSLATE, "empty-folder", "--to", "es"], 3, "empty-folder: no supported file",
         setup=lambda f: (f / "empty-folder").mkdir()),
    Case("args/unknown-target", ["text/ok.txt"], [*TRANSLATE, "{in}", "--to", "xx"], 4, "unknown language code 'xx' in --to"),
    Case("args/unknown-source", ["text/ok.txt"], [*TRANSLATE, "{in}", "--from", "xx", "--to", "es"], 4,
         "unknown language code 'xx' in --from"),
    Case("args/bad-max-size", ["text/ok.txt"], [*TRANSLATE, "{in}", "--to", "es", "--max-size", "ten"], 2,
         "--max-size: 'ten' is not a size"),
    Case("args/bad-format", ["text/ok.txt"], [*TRANSLATE, "{in}", "--to", "es", "--format", "pdf"], 2,
         "Usage: translate run", one_line=False),
    Case("args/no-route", ["text/ok.txt"], [*TRANSLATE, "{in}", "--to", "ja", "--from", "fr"], 5,
         "ok.txt: no installed route from fr to ja", apertium=True),
    Case("output/over-an-input", ["text/ok.txt"], [*TRANSLATE, "{in}", "ok.es.txt", "--to", "es", "-q"], 7,
         "ok.txt: its es translation would be written over the input ok.es.txt: choose another -o DIR", apertium=True,
         setup=lambda f: shutil.copy(f / "ok.txt", f / "ok.es.txt"), allowed=("ok.es.es.txt",)),
    Case("output/unwritable-folder", ["text/ok.txt"], [*TRANSLATE, "{in}", "--to", "es", "-o", "/proc/translator"],
         7, "/proc/translator/ok.es.txt: cannot write", apertium=True),
    Case("markdown/emphasis-run-50000", [], [*TRANSLATE, "run.md", "--to", "es", "--from", "fr", "-g", "news", "-q"],
         0, "", setup=lambda f: (f / "run.md").write_text("*a" * 50_000 + "\n", encoding="utf-8"),
         apertium=True, allowed=("run.es.md",)),  # was quadratic: 32 s at 8,000, over 15 minutes at 50,000
    Case("markdown/damaged_utf8.md", ["markdown/damaged_utf8.md"], [*TRANSLATE, "{in}", "--to", "es", "-o", "out"],
         3, "{in}:7: not UTF-8"),
    *[Case(f"po/{p.name}", [f"po/{p.name}"], [*TRANSLATE, "{in}", "--to", "es", "-o", "out"], 3, "{in}")
      for p in sorted((HOSTILE / "po").glob("*.po"))],
    *[Case(f"tmx/{p.name}", [f"tmx/{p.name}"], [*TRANSLATE, "memory", "import", "{in}", "-m", "memory.sqlite"],
           3, "{in}") for p in sorted((HOSTILE / "tmx").glob("*.tmx"))],
    *[Case(f"glossary/{p.name}", [f"../glossaries/bad/{p.name}"], [*TRANSLATE, "glossary", "check", "{in}"], 8,
           "{in}", one_line=False) for p in sorted((HOSTILE.parent / "glossaries" / "bad").glob("*.csv"))],
    *[Case(f"glossary-run/{p.name}", ["text/ok.txt", f"../glossaries/bad/{p.name}"],
           [*TRANSLATE, "{in}", "--to", "es", "-g", p.name, "-o", "out"], 8, p.name, one_line=False)
      for p in sorted((HOSTILE.parent / "glossaries" / "bad").glob("*.csv"))[:3]],
    *[Case(f"config/{p.name}", [], [str(BIN / "translate-sync")], 9, "{case}/pyproject.toml", one_line=False,
           setup=_repo(p.name))
      for p in sorted((HOSTILE / "config").glob("*.toml"))],
    Case("models/zip-slip", [], [*TRANSLATE, "models", "install", "pkg.argosmodel"], 6,
         "pkg.argosmodel: unsafe path in archive", setup=lambda f: _package(f, extra={"translate-fr_de/../../x": b"x"})),
    Case("models/dot-entry", [], [*TRANSLATE, "models", "install", "pkg.argosmodel"], 6,
         "pkg.argosmodel: unsafe path in archive: '.'", setup=lambda f: _package(f, extra={".": b"x"})),
    Case("models/link", [], [*TRANSLATE, "models", "install", "pkg.argosmodel"], 6,
         "pkg.argosmodel: link in archive", setup=lambda f: _package(f, link=True)),
    Case("models/two-folders", [], [*TRANSLATE, "models", "install", "pkg.argosmodel"], 6,
         "pkg.argosmodel: archive must hold one package folder", setup=lambda f: _package(f, extra={"other/x": b"x"})),
    Case("models/bad-metadata", [], [*TRANSLATE, "models", "install", "pkg.argosmodel"], 6,
         "pkg.argosmodel: metadata.json: not a JSON object", setup=lambda f: _package(f, meta=[1])),
    Case("models/zip-bomb", [], [*TRANSLATE, "models", "install", "pkg.argosmodel"], 6,
         "pkg.argosmodel: 'translate-fr_de/model/model.bin' expands", setup=_bomb),
    Case("models/not-a-zip", ["text/ok.txt"], [*TRANSLATE, "models", "install", "{in}"], 6,
         "{in}: not an Argos package: not a zip archive"),
    Case("models/model-does-not-load", [], [*TRANSLATE, "models", "install", "pkg.argosmodel"], 6,
         "pkg.argosmodel: the package does not load", setup=_package),
    Case("memory/not-a-database", ["text/ok.txt"], [*TRANSLATE, "memory", "stats", "-m", "{in}"], 3,
         "{in}: not a translation memory"),
    *[Case(f"xliff/{name}", [f"xliff/{name}"], [*TRANSLATE, "{in}", "--to", "es", "-o", "out"], 3,
           f"{{in}}:{line}: invalid XLIFF: {message}")
      for name, line, message in [
          ("billion_laughs.xlf", 3, "entity declarations are refused"),
          ("external_entity.xlf", 3, "entity declarations are refused"),
          ("not_xliff.xlf", 2, "the root element is <tmx>, not <xliff>: not an XLIFF file"),
          ("not_xml.xlf", 6, "mismatched tag (column 46)"),
          ("plain_text.xlf", 1, "syntax error (column 1)"),
          ("unbalanced_codes_1.2.xlf", 6, "unit '1': unbalanced inline codes: <bpt> '1' has no <ept>"),
          ("unbalanced_codes_2.0.xlf", 6, "unit 'u1': unbalanced inline codes: <sc id=\"1\"/> has no <ec"),
          ("unit_without_source.xlf", 5, "trans-unit '1' without <source>"),
          ("unknown_version.xlf", 2, "unknown XLIFF version '3.0': XLIFF 1.2, 2.0 and 2.1 are read")]],
    *[Case(f"subtitles/{name}", [f"subtitles/{name}"], [*TRANSLATE, "{in}", "--to", "es", "-o", "out"], 3,
           f"{{in}}:{line}: invalid {'SRT' if name.endswith('.srt') else 'WebVTT'}: {message}")
      for name, line, message in [
          ("bad_number.srt", 5, "cue number expected, found 'deux'"),
          ("broken_timestamp.srt", 6, "invalid timing '00:00:04,000 -> 00:00:06,000' for cue 2: expected "
                                      "HH:MM:SS,mmm --> HH:MM:SS,mmm"),
          ("missing_number.srt", 5, "a cue without its number"),
          ("negative_duration.srt", 6, "cue 2 ends (00:00:04,000) before it starts (00:00:06,000)"),
          ("out_of_time_order.srt", 6, "cue 2 starts (00:00:01,000) before cue 1 (00:00:05,000)"),
          ("overlapping.srt", 6, "cue 2 starts (00:00:04,000) before cue 1 ends (00:00:05,000)"),
          ("seconds_over_59.srt", 6, "cue 2: invalid timestamp '00:01:75,000': minutes and seconds go up to 59"),
          ("text_outside_a_cue.srt", 5, "cue number expected, found 'La mer est calme.'"),
          ("broken_timestamp.vtt", 6, "invalid cue timing '00:04.000 --> 00:06,000'"),
          ("negative_duration.vtt", 3, "cue 1 ends (00:00:01.000) before it starts (00:00:03.000)"),
          ("no_header.vtt", 1, "no WEBVTT header, found '00:01.000 --> 00:03.000': a WebVTT file starts with"),
          ("out_of_time_order.vtt", 6, "cue 2 starts (00:00:01.000) before cue 1 (00:00:05.000)")]],
    # recovered as players recover: numbers kept as written, a warning per cue, the file translated
    Case("subtitles/numbering_out_of_sequence.srt", ["subtitles/numbering_out_of_sequence.srt"],
         [*TRANSLATE, "{in}", "--to", "es", "--from", "fr", "-o", "out", "-q"], 0,
         "{in}:5: warning: cue number 3 after 1: kept as written (players go by the timings)", one_line=False,
         apertium=True, allowed=("out", "out/numbering_out_of_sequence.es.srt")),
    # Word documents: the start of each file's one line after "NAME: " (the bomb: 20 MB of XML
    # in 20 kB, refused over 10 times --max-size uncompressed)
    *[Case(f"docx/{name}", [f"docx/{name}"], [*TRANSLATE, "{in}", "--to", "es", "--max-size", "1000000", "-o", "out"],
           3, f"{{in}}: {prefix}") for name, prefix in {
        "renamed-text.docx": "not a Word document: not a zip archive",
        "truncated.docx": "damaged Word document (File is not a zip file)",
        "no-document.docx": "not a Word document: the zip archive has no word/document.xml",
        "missing-main-part.docx": "not a Word document: the zip archive has no word/document.xml",
        "encrypted.docx": "an encrypted or password-protected Word document",
        "spreadsheet.docx": "not a Word document: its main part xl/workbook.xml is",
        "malformed-xml.docx": "word/document.xml: not well-formed XML",
        "entity-bomb.docx": "word/document.xml: a DTD in a Word document part: refused",
        "zip-bomb.docx": "over 10000000 bytes once uncompressed",
    }.items()],
    *[Case(f"html/{name}", [f"html/{name}"], [*TRANSLATE, "{in}", "--to", "es", "-o", "out"], 3, prefix)
      for name, prefix in (
          ("unclosed_comment.html", "{in}:5: a comment (<!--) is never closed: a browser hides the rest of the page"),
          ("truncated_script.html", "{in}:4: <script> is never closed: the file looks truncated"),
          ("broken_quote.html", "{in}:4: malformed tag '<a href=\"/ciel.html>': close its quotes"),
          ("only_markup.html", "{in}: no text to translate outside the markup"),
          ("empty.html", "{in}: empty file: nothing to translate"),
          ("damaged_utf8.html", "{in}:5: not UTF-8 (byte 69: 0xE9)"),
          ("image.html", "{in}: a PNG image: not a supported document type"))],
]


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*")) if not p.is_fifo()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path, isolated_home):
    if case.apertium and not _apertium_ready():
        pytest.skip("Apertium with apertium-fr-es not installed (make setup)")
    folder, outside = tmp_path / "case", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("untouched", encoding="utf-8")
    for rel in case.inputs:
        shutil.copy(HOSTILE / rel, folder / Path(rel).name)
    if case.setup:
        case.setup(folder)
    before, before_outside, before_home = _snapshot(folder), _snapshot(outside), _home(isolated_home)
    first = Path(case.inputs[0]).name if case.inputs else ""
    args = [a.replace("{in}", first) for a in case.args]
    try:
        done = subprocess.run(args, cwd=folder, capture_output=True, text=True, timeout=case.timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.id}: hung for {case.timeout} s")
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert done.returncode == case.code, done.stderr
    prefix = case.prefix.replace("{in}", first).replace("{case}", str(folder))
    assert (lines and lines[0].startswith(prefix)) if prefix else not lines, lines
    if case.one_line and prefix:
        assert len(lines) == 1, lines
    after = {k: v for k, v in _snapshot(folder).items() if k not in case.allowed}
    assert after == before, "a file was written or changed in the case folder"
    assert _snapshot(outside) == before_outside, "something was written outside the case folder"
    assert _home(isolated_home) == before_home, "something was written in the user's folders"


def _home(home: Path) -> dict[str, str]:
    """The user's folders, less the package lock (taken by every models command), our cache
    (Apertium's package versions) and empty folders."""
    return {k: v for k, v in _snapshot(home).items()
            if v != "dir" and not k.endswith(".translator-lock") and not k.startswith("cache/translator/")}
