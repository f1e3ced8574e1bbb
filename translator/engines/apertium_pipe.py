"""Long-lived Apertium pipelines in null-flush mode, as Apertium-APy runs them.

``apertium -f html MODE`` is a shell script that starts a dozen processes, each
loading its transducer, for every call.  A :class:`ModePipeline` starts the
programs of a mode once, with ``-z`` (``apertium-wblank-mode -z`` writes that
pipeline), and then translates any number of documents: each is deformatted
(``apertium-deshtml``), written followed by a NUL byte, read back up to the NUL
the pipeline flushes, and reformatted (``apertium-rehtml``).

Most documents are plain paragraphs (no markup, entity, tab or double space); for
those the two format programs' work is a few escapes, done here byte for byte as
they do it (tested against them on FLORES), which saves starting two programs per
document.  Anything else goes through the programs.
"""

from __future__ import annotations

import os
import re
import select
import shlex
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from ..errors import EngineError

_TIMEOUT = 600
_SMALL = 16384  # documents written without a thread (a pipe holds 64 KiB)


def pipeline_commands(mode: Path) -> list[list[str]]:
    """The null-flush programs of *mode*, as the ``apertium`` script would run them.

    ``$1`` is the generator option (``-g``: mark words that could not be generated)
    and ``$2`` the tagger's extra option (none).
    """
    tool = shutil.which("apertium-wblank-mode")
    if tool is None:
        raise EngineError("apertium-wblank-mode not found: install apertium 3.8 or later")
    try:
        text = subprocess.run([tool, "-z", str(mode)], capture_output=True, text=True,
                              check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineError(f"{mode}: cannot read the Apertium mode: {exc}") from None
    commands = []
    for part in text.strip().split("|"):
        words = [w for w in shlex.split(part.replace("$1", "-g").replace("$2", "")) if w]
        if words:
            commands.append(words)
    if not commands:
        raise EngineError(f"{mode}: empty Apertium mode")
    return commands


_ESCAPED = frozenset("\\[]{}/^$@")  # escaped by apertium-deshtml, unescaped by apertium-rehtml
_TEXT = r"[^<>&~ \t\n\r\f\v\x00\x85\u2028\u2029]+"  # deshtml keeps other spaces (no-break...) as text
_PLAIN = re.compile(f"<p>({_TEXT}(?: {_TEXT})*)</p>")
_STREAM = re.compile(r"\.\[\]|\[\]|\[((?:[^\]\\]|\\.)*)\]|\\(.)|[^\[\\.]+|\.", re.S)


def plain_paragraphs(document: str) -> list[str] | None:
    """The texts of a document made only of ``<p>TEXT</p>`` lines whose text needs no
    HTML deformatting (no markup, entity, ``~``, tab, newline or repeated space); else None."""
    texts = []
    for line in document.split("\n"):
        m = _PLAIN.fullmatch(line)
        if m is None:
            return None
        texts.append(m.group(1))
    return texts


def deformat(texts: list[str]) -> str:
    """What ``apertium-deshtml`` makes of ``"\\n".join("<p>TEXT</p>")`` for plain texts."""
    body = ".[][<\\/p>\n<p>]".join("".join("\\" + c if c in _ESCAPED else c for c in t) for t in texts)
    return ".[][<p>]" + body + ".[][<\\/p>]"


def reformat(stream: str) -> str:
    """What ``apertium-rehtml`` prints for a pipeline's output without word-bound blanks:
    blanks' contents, ``.[]`` (the deformatter's sentence end) dropped, and only the
    escapes the deformatter adds undone."""
    out = []
    for m in _STREAM.finditer(stream):
        blank, escaped = m.group(1), m.group(2)
        if blank is not None:
            out.append(re.sub(r"\\(.)", lambda e: e.group(1) if e.group(1) in _ESCAPED else e.group(0), blank))
        elif escaped is not None:
            out.append(escaped if escaped in _ESCAPED else "\\" + escaped)
        elif m.group(0) not in (".[]", "[]"):
            out.append(m.group(0))
    return "".join(out)


_TAGGER = "apertium-tagger"
_NEW_CLASS = b"New ambiguity class"  # what ``apertium-tagger -d`` says when it changes its state
_MAX_ERRORS = 1 << 20


class _Tagger:
    """``apertium-tagger -d``, fed and read by us between the two halves of a pipeline."""

    def __init__(self, command: list[str]) -> None:
        self.command = command if "-d" in command else [command[0], "-d", *command[1:]]
        self.errors = tempfile.TemporaryFile()
        self._seen = 0
        try:
            self.proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self.errors)
        except OSError:
            self.errors.close()
            raise

    def changed(self) -> bool:
        """True when the tagger met an ambiguity class its model lacks since last asked.

        Only called between documents, while the tagger waits for input, so reading
        its error file (whose offset it shares) leaves the offset at the end."""
        size = os.fstat(self.errors.fileno()).st_size
        if size == self._seen:
            return False
        self.errors.seek(self._seen)
        news = self.errors.read()
        self._seen = size
        if size > _MAX_ERRORS:  # -d also warns about tags; keep the file small
            self.errors.seek(0)
            self.errors.truncate()
            self._seen = 0
        return _NEW_CLASS in news

    def end(self) -> None:
        _end([self.proc])
        self.errors.close()


def _end(procs: list[subprocess.Popen]) -> None:
    """End *procs* at once: every answer has been read, nothing is lost (rather than
    waiting for end-of-input to travel down a dozen of them).  Ended before their
    pipes are closed, so that a thread still writing into one fails instead of hanging."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            try:
                if pipe and not pipe.closed:
                    pipe.close()
            except OSError:
                pass  # unwritten input of a program that has ended


def _write_all(stdin, streams: list[bytes]) -> None:
    for data in streams:
        stdin.write(data)
        stdin.flush()


def _thread(work, failures: list[BaseException]) -> threading.Thread:
    """Run *work* in a daemon thread; what it raises goes to *failures*."""
    def run() -> None:
        try:
            work()
        except (OSError, ValueError, EngineError) as exc:
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _format(program: str, data: bytes) -> bytes:
    try:
        proc = subprocess.run([program], input=data, capture_output=True, timeout=_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineError(f"{program} failed: {exc}") from None
    if proc.returncode != 0:
        detail = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        raise EngineError(f"{program} failed: {detail}")
    return proc.stdout


class ModePipeline:
    """The programs of one Apertium mode, started once, translating HTML documents.

    Each document is translated as a fresh ``apertium -f html MODE`` would translate
    it alone: null-flush mode resets the programs at each NUL, except
    ``apertium-tagger``, which overwrites its open word class for good when it meets
    an ambiguity class its model lacks (``find_similar_ambiguity_class`` assigns
    through a reference), so that every later document would be tagged differently.
    So the tagger runs with ``-d``, which reports exactly those words on its own error
    file, and we pass each document from the programs before it to the tagger and on
    to the programs after it; after a document that met such a word, a spare tagger,
    started and loaded beforehand, takes over.  Documents stream through both halves
    while the tagger takes them one by one.
    """

    def __init__(self, mode: str | os.PathLike[str]) -> None:
        self.mode = Path(mode)
        stat = self.mode.stat()
        self.identity = (stat.st_size, stat.st_mtime_ns)
        self.tagger_restarts = 0
        self._lock = threading.Lock()
        self._stderr = tempfile.TemporaryFile()
        self._procs: list[subprocess.Popen] = []
        self._pending: dict[int, bytes] = {}
        self._tagger: _Tagger | None = None
        self._spare: _Tagger | None = None
        try:
            commands = pipeline_commands(self.mode)
            at = next((i for i, c in enumerate(commands[1:-1], 1) if Path(c[0]).name == _TAGGER), None)
            if at is None:
                self._halves = [self._chain(commands)]
            else:
                self._halves = [self._chain(commands[:at]), self._chain(commands[at + 1:])]
                self._tagger, self._spare = _Tagger(commands[at]), _Tagger(commands[at])
        except OSError as exc:
            self._stop()
            raise EngineError(f"cannot start the Apertium mode {self.mode.stem}: {exc}") from None

    def _chain(self, commands: list[list[str]]) -> tuple[subprocess.Popen, subprocess.Popen]:
        """Start *commands* piped into each other; return the first and the last."""
        procs: list[subprocess.Popen] = []
        for cmd in commands:
            proc = subprocess.Popen(cmd, stdin=procs[-1].stdout if procs else subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=self._stderr)
            if procs:
                procs[-1].stdout.close()  # the next program owns the read end now
            procs.append(proc)
            self._procs.append(proc)
        return procs[0], procs[-1]

    @property
    def alive(self) -> bool:
        taggers = [t.proc for t in (self._tagger, self._spare) if t is not None]
        return bool(self._procs) and all(p.poll() is None for p in self._procs + taggers)

    def translate(self, document: str) -> str:
        """Translate one HTML *document* (what ``apertium -f html MODE`` prints for it alone)."""
        return self.translate_each([document])[0]

    def translate_each(self, documents: list[str]) -> list[str]:
        """Translate each of *documents* on its own, as :meth:`translate` would."""
        streams = []
        for document in documents:
            texts = plain_paragraphs(document)
            if texts is not None:
                stream = deformat(texts).encode("utf-8")
            else:
                stream = _format("apertium-deshtml", document.encode("utf-8"))
            streams.append((texts is not None, stream.replace(b"\0", b"") + b"\0"))
        with self._lock:
            raws = self._translate_streams([stream for _, stream in streams])
        return [reformat(raw.decode("utf-8")) if plain and b"[[" not in raw
                else _format("apertium-rehtml", raw).decode("utf-8") for (plain, _), raw in zip(streams, raws)]

    def _translate_streams(self, streams: list[bytes]) -> list[bytes]:
        """Each NUL-ended stream through the programs; the outputs in order.  A thread
        writes them all into the first half; we take each from it through the tagger
        into the second half, where a thread reads the outputs."""
        if not self.alive:
            raise EngineError(f"apertium {self.mode.stem} stopped: {self._last_error()}")
        first, middle = self._halves[0]
        last = middle if self._tagger is None else self._halves[1][1]
        outputs: list[bytes] = []
        failures: list[BaseException] = []
        feeder = _thread(lambda: _write_all(first.stdin, streams), failures)
        reader = _thread(lambda: outputs.extend(self._read(last.stdout) for _ in streams), failures)
        try:
            if self._tagger is not None:
                second = self._halves[1][0]
                for _ in streams:
                    tagged = self._tag(self._tagger, self._read(middle.stdout) + b"\0")
                    _write_all(second.stdin, [tagged + b"\0"])
            feeder.join()
            reader.join()
        except (OSError, EngineError) as exc:
            failures.append(exc)
        if failures or len(outputs) != len(streams):
            self._stop()
            feeder.join(5)
            reader.join(5)
            detail = failures[0] if failures else "no output"
            raise EngineError(f"apertium {self.mode.stem} failed: {detail}; {self._last_error()}")
        return outputs

    def _exchange(self, data: bytes) -> bytes:
        """One NUL-ended stream through the programs (no formatting)."""
        return self._translate_streams([data])[0]

    def _tag(self, tagger: _Tagger, data: bytes) -> bytes:
        """One document through *tagger*; the spare takes over if it changed."""
        writer = _thread(lambda: _write_all(tagger.proc.stdin, [data]), []) if len(data) > _SMALL else None
        if writer is None:
            _write_all(tagger.proc.stdin, [data])
        out = self._read(tagger.proc.stdout)
        if writer is not None:
            writer.join()
        if tagger.changed() and self._spare is not None:
            self._tagger = self._spare
            self._spare = _Tagger(tagger.command)
            tagger.end()
            self.tagger_restarts += 1
        return out

    def _read(self, stdout) -> bytes:
        """The next NUL-ended output of *stdout*, empty ones skipped (stray NULs a
        program flushes late); EngineError at end of file."""
        fd = stdout.fileno()
        out = self._pending.get(fd, b"")
        # poll(), not select(): a server holding many connections gives the programs'
        # pipes descriptors above 1023, which select() refuses (ValueError).
        waiting = select.poll()
        waiting.register(fd, select.POLLIN)
        while b"\0" not in out.lstrip(b"\0"):
            ready = waiting.poll(_TIMEOUT * 1000)
            chunk = os.read(fd, 65536) if ready else b""
            if not chunk:
                raise EngineError("a program stopped")
            out += chunk
        result, _, self._pending[fd] = out.lstrip(b"\0").partition(b"\0")
        return result

    def _last_error(self) -> str:
        lines: list[str] = []
        for file in [self._stderr] + ([self._tagger.errors] if self._tagger else []):
            try:
                file.seek(0)
                lines = file.read().decode("utf-8", "replace").strip().splitlines()
            except (OSError, ValueError):
                continue
            if lines:
                break
        return lines[-1] if lines else "no message"

    def close(self) -> None:
        """Stop the programs once the current document is done."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        procs, self._procs = self._procs, []
        taggers = [t for t in (self._tagger, self._spare) if t is not None]
        _end(procs)
        for tagger in taggers:
            tagger.end()
        if not self._stderr.closed:
            self._stderr.close()

    def __enter__(self) -> ModePipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
