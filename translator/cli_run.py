"""The work of ``translate run``: each file read once, its document type picked
(:mod:`translator.documents`), translated, and its outputs written or printed.

Plain-text files of one run are translated together (every engine step receives every
sentence of every file at once); each structured file (Markdown, PO, ...) is translated
on its own with its structure kept.  A file that fails is reported on one line and the
others go on; no output is written for it.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError, TranslatorError


@dataclass(frozen=True)
class Job:
    """What every file of a ``translate run`` shares."""

    targets: list[str]
    source: str
    fmt: str  # "text", "side-by-side", "json", or a review format ("html", "tmx", ...)
    output_dir: Path | None
    inputs: frozenset[Path]  # never written over (resolved: textio.protected)
    width: int
    quiet: bool
    strict: bool
    input_format: str  # "auto" or a document type
    options: object  # translator.documents.Options
    several: bool = False  # more than one file: side by side names each


def report(error: TranslatorError) -> None:
    for line in getattr(error, "problems", None) or [str(error)]:
        print(line, file=sys.stderr)


def run_files(translator, names: list[str], job: Job) -> list[TranslatorError]:
    """Translate every file of *names*; return the problems (each already reported)."""
    from . import documents
    from .chunks import THRESHOLD
    from .textio import decode, read_bytes

    failures: list[TranslatorError] = []
    plain = []
    for name in names:
        try:
            if name != "-" and not Path(name).exists():
                raise InputError("no such file: check the path", path=name)
            data = read_bytes(name, max_size=job.options.max_size)
            doctype, warning = documents.for_file(name, data[:8192], forced=job.input_format)
            if warning and not job.quiet:
                print(f"{_label(name)}: warning: {warning}", file=sys.stderr)
            this = job if job.targets else replace(job, targets=_declared_targets(doctype, data, name, job))
            if doctype.name == "text" and len(data) > THRESHOLD and job.fmt == "text":
                text, _ = decode(data, name=_label(name), encoding=job.options.encoding)
                data = b""  # the bytes are no longer needed: only the text is held
                _large(translator, name, text, this)
            elif doctype.name == "text":
                plain.append((name, data))  # translated together below
            else:
                _structured(translator, name, data, doctype, this)
        except TranslatorError as exc:
            report(exc)
            failures.append(exc)
    return failures + _plain(translator, plain, job)


def _declared_targets(doctype, data: bytes, name: str, job: Job) -> list[str]:
    """A run without ``--to``: the target languages the file names (XLIFF), else a usage error."""
    from .errors import UsageError

    declared = getattr(doctype, "declared_targets", None)
    found = declared(data, name=_label(name), options=job.options) if declared else []
    if not found:
        hint = "; this file names no target language" if declared else ""
        raise UsageError(f"no target language: pass --to (for example --to en,es){hint}", path=_label(name))
    return found


def _label(name: str) -> str:
    return "<stdin>" if name == "-" else name


def _plain(translator, files: list[tuple[str, bytes]], job: Job) -> list[TranslatorError]:
    """Plain text: prepared one by one, translated together."""
    from .documents.text import site_summary
    from .progress import ProgressBar, wanted
    from .textio import decode

    failures: list[TranslatorError] = []
    docs = []
    for name, data in files:
        try:
            text, used = decode(data, name=_label(name), encoding=job.options.encoding)
            doc = translator.prepare(text, to=job.targets, source=job.source, name=_label(name),
                                     content=job.options.content)
            doc.encoding = used
            docs.append((name, doc))
        except TranslatorError as exc:
            report(exc)
            failures.append(exc)
    bar = ProgressBar() if docs and wanted(job.quiet) else None
    try:
        translator.translate_documents([d for _, d in docs], progress=bar)
    finally:
        if bar:
            bar.close()
    for name, doc in docs:
        try:
            if job.strict:
                _check_terms(doc)
            if job.fmt == "text":
                if not job.quiet:
                    _notes(doc)
                _write(name, [(lang, doc.text(lang), f".{lang}{Path(name).suffix}", site_summary(doc, lang))
                              for lang in doc.targets], job)
            else:
                _emit(name, doc, job, several=job.several)
        except TranslatorError as exc:
            report(exc)
            failures.append(exc)
    return failures


def _large(translator, name: str, text: str, job: Job) -> None:
    """A large plain-text file translated piece by piece (:mod:`translator.chunks`), each
    target written as it goes to a file that appears whole at the end, or not at all."""
    from .chunks import translate_in_pieces
    from .textio import AtomicWriter, derived_path

    if name == "-":
        several = len(job.targets) > 1
        if several:  # standard output cannot interleave targets: one pass per target
            for target in job.targets:
                print(f"==> {target} <==", flush=True)
                translate_in_pieces(translator, text, to=[target], source=job.source, name=_label(name),
                                    write=lambda _, piece: sys.stdout.write(piece))
            return
        notes = translate_in_pieces(translator, text, to=job.targets, source=job.source, name=_label(name),
                                    write=lambda _, piece: sys.stdout.write(piece))
    else:
        paths = {t: derived_path(name, f".{t}{Path(name).suffix}", job.output_dir) for t in job.targets}
        writers = {t: AtomicWriter(p, protect=job.inputs) for t, p in paths.items()}
        try:
            notes = translate_in_pieces(translator, text, to=job.targets, source=job.source, name=_label(name),
                                        write=lambda target, piece: writers[target].write(piece))
            if job.strict and notes.required != notes.present:
                from .errors import TermError

                raise TermError([f"{name}: {notes.required - notes.present} glossary terms could not be enforced"])
        except BaseException:
            for writer in writers.values():
                writer.discard()
            raise
        for writer in writers.values():
            writer.commit()
    if not job.quiet:
        _print_notes(notes.name, notes.warnings, notes.required, notes.present, notes.unknown, job.targets)
        if name != "-":
            print(f"{name}: wrote {', '.join(str(p) for p in paths.values())}", file=sys.stderr)


def _structured(translator, name: str, data: bytes, doctype, job: Job) -> None:
    """A Markdown, PO... file: translated with its structure kept; review formats and JSON
    are made from its units."""
    done = doctype.translate(translator, data, name=_label(name), to=job.targets, source=job.source,
                             options=job.options)
    for line in done.problems:
        print(line, file=sys.stderr)
    if job.strict and done.document is not None:
        _check_terms(done.document)
    if job.fmt != "text":
        _emit(name, done.document, job, several=job.several)
        return
    if not job.quiet and done.document is not None:
        _notes(done.document)
    _write(name, [(o.target, o.data, o.ending, o.summary) for o in done.outputs], job)


def _write(name: str, outputs: list[tuple[str, str | bytes, str, str]], job: Job) -> None:
    """Write each (target, data, ending, summary) beside the input or under -o; to standard
    output for ``-`` (each preceded by ``==> LANG <==`` when there are several)."""
    from .textio import derived_path, write_atomic

    if name == "-":
        for target, data, _, _ in outputs:
            if len(outputs) > 1:
                print(f"==> {target} <==", flush=True)
            if isinstance(data, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
            else:
                sys.stdout.write(data)
        return
    written = []
    for target, data, ending, summary in outputs:
        path = derived_path(name, ending, job.output_dir)
        _refuse_input(name, target, path, job)
        write_atomic(path, data, protect=job.inputs)
        written.append(str(path))
        if summary and not job.quiet:
            print(f"{name}: {summary}; wrote {path}", file=sys.stderr)
    if not job.quiet and not any(summary for *_, summary in outputs):
        print(f"{name}: wrote {', '.join(written)}", file=sys.stderr)


def _refuse_input(name: str, target: str, path: Path, job: Job) -> None:
    """An output that is one of the run's inputs is refused, naming the file whose
    translation it is (write_atomic refuses it too, naming only the path)."""
    from .errors import OutputError
    from .textio import is_protected

    if is_protected(path, job.inputs):
        where = "another -o DIR" if job.output_dir is None else "another -o DIR than " + str(job.output_dir)
        raise OutputError(f"its {target} translation would be written over the input {path}: choose {where}",
                          path=name)


def check_output_dir(output_dir: Path | None, names: list[str]) -> None:
    """Refuse, before anything is translated, an -o that cannot be what was meant: a file,
    a name with a document's ending that does not exist yet (it would become a folder),
    or an -o for standard input alone (its translation goes to standard output)."""
    from .documents import MODULES
    from .errors import UsageError

    if output_dir is None:
        return
    if names and all(n == "-" for n in names):
        raise UsageError("-o with standard input: its translation goes to standard output; redirect it "
                         "(> FILE) or leave -o out", path=str(output_dir))
    hint = "-o names the folder translations are written to (as NAME.LANG.EXT inside it)"
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(f"a file, not a folder: {hint}", path=str(output_dir))
    endings = tuple(e for extensions, _ in MODULES.values() for e in extensions)
    if not output_dir.exists() and output_dir.suffix.lower() in endings:
        raise UsageError(f"looks like a file name, and would become a folder: {hint}; pass a folder name",
                         path=str(output_dir))


def _emit(name: str, doc, job: Job, several: bool) -> None:
    """JSON, side by side, or a review format."""
    from .formats import FORMATS
    from .render import side_by_side, to_json

    if not job.quiet:
        _notes(doc)
    if job.fmt == "json":
        print(to_json(doc))
    elif job.fmt == "side-by-side":
        if several:
            print(f"==> {doc.name} <==")
        print(side_by_side(doc, width=job.width or shutil.get_terminal_size((100, 24)).columns), end="")
    else:
        _emit_review(name, doc, FORMATS[job.fmt], job)


def _emit_review(name: str, doc, form, job: Job) -> None:
    from .textio import derived_path, write_atomic

    groups = [[lang] for lang in doc.targets] if form.per_target else [doc.targets]
    written = []
    for targets in groups:
        text = form.write(doc, targets)
        if name == "-":
            sys.stdout.write(text)
            continue
        ending = f".{targets[0]}{form.suffix}" if form.per_target else form.suffix
        path = derived_path(name, ending, job.output_dir)
        _refuse_input(name, ",".join(targets), path, job)
        write_atomic(path, text, protect=job.inputs)
        written.append(str(path))
    if written and not job.quiet:
        print(f"{name}: wrote {', '.join(written)}", file=sys.stderr)


def _check_terms(doc) -> None:
    from .errors import TermError

    from .glossary import should_be

    missing = [f"{doc.name}: segment {seg.id}: {lang}: {should_be(t['term'], t['required'])}"
               for seg in doc.segments for lang, terms in seg.terms.items() for t in terms if not t["ok"]]
    if missing:
        raise TermError(missing)


def _notes(doc) -> None:
    unknown = {lang: {w for s in doc.segments for w in s.unknown_words.get(lang, [])} for lang in doc.targets}
    _print_notes(doc.name, doc.warnings, *doc.term_counts(), unknown, doc.targets)


def _print_notes(name: str, warnings: list[str], required: int, present: int, unknown: dict[str, set[str]],
                 targets: list[str]) -> None:
    for warning in warnings:
        print(f"{name}: warning: {warning}", file=sys.stderr)
    if required:
        print(f"{name}: glossary: {present}/{required} terms in their required form", file=sys.stderr)
    for lang in targets:
        words = sorted(unknown.get(lang, ()))
        if words:
            shown = ", ".join(words[:8]) + (", ..." if len(words) > 8 else "")
            print(f"{name}: {lang}: {len(words)} unknown words kept as is: {shown}", file=sys.stderr)
