"""pre-commit hooks for content repositories: ``translate-sync``, ``translate-check``
and ``glossary-check``.  Each is ``main(argv) -> int``, prints one line per file or
problem (file name first), and goes through every file before exiting.

The lock file (``.translator/lock.json``, see :mod:`translator.lockfile`) records, for
each generated file, the hash of the source it came from and its own hash.  A generated
file whose hash changed was edited by a person: ``translate-sync`` never overwrites it.
When its source changed too, the fresh machine translation goes beside it (``NAME.new``)
for the editor to merge; ``translate-sync --accept FILE`` then records the edited file
as approved and harvests the sentences the person changed into the memory as human
translations.  ``--force`` overwrites.

pre-commit passes the staged files: sources, translations, or both.  Each hook works
from the sources concerned: a source itself, or the source of a staged translation.
"""

from __future__ import annotations

import argparse
import sys

from . import config as config_module
from .errors import ExitCode, TranslatorError
from .lockfile import LockFile, ensure_ignored, sha256_of, sha256_text


def _lock(cfg) -> LockFile:
    return LockFile(cfg.root, cfg.lock)


def _sources(cfg, argv_files: list[str]) -> list[str]:
    """The sources concerned by the files pre-commit passed (every source if none): a
    source itself, or the source of a translation (or of its ``.new``) given instead."""
    if not argv_files:
        return cfg.source_files()
    found: set[str] = set()
    outputs = cfg.mapping()
    for name in argv_files:
        rel = cfg.relative(name)
        if rel is None:
            continue
        if cfg.is_source(rel):
            found.add(rel)
        elif rel.removesuffix(".new") in outputs:
            found.add(outputs[rel.removesuffix(".new")][0])
    return sorted(found)


def _translate(cfg, translator, sources: list[str],
               targets: list[str] | None = None) -> dict[tuple[str, str], str | bytes]:
    """(source, lang) -> translated file (bytes for the types that keep their encoding: Word,
    HTML, XLIFF), each source through its document type; plain text files batched together."""
    from . import documents
    from .textio import decode, read_bytes

    targets = targets or cfg.targets
    results, docs = {}, []
    for source in sources:
        data = read_bytes(cfg.root / source)
        doctype, _ = documents.for_file(source, data[:8192])
        if doctype.name == "text":
            text, _ = decode(data, name=source)
            # As `translate FILE` does: with source_language = "auto", each paragraph's language too
            docs.append((source, translator.prepare(text, to=targets, source=cfg.source_language, name=source)))
            continue
        done = doctype.translate(translator, data, name=source, to=targets, source=cfg.source_language,
                                 options=documents.Options())
        results.update({(source, o.target): o.data for o in done.outputs})
    translator.translate_documents([d for _, d in docs])
    for source, doc in docs:
        for target in targets:
            results[(source, target)] = doc.text(target)
    return results


def _translator(cfg, memory):
    from .pipeline import Translator

    return Translator(engine=cfg.engine, glossary=cfg.glossaries or None, memory=memory,
                      apertium_server=cfg.apertium_server, routes=cfg.routes)


def sync(cfg, files: list[str], *, force: bool = False, out=None) -> int:
    """Create or refresh translations; 1 when files were written (pre-commit convention)."""
    out = out or sys.stdout
    from .memory import Memory

    lock = _lock(cfg)
    entries = lock.read()
    todo, beside, notes, hashes = [], [], [], {}
    for source in _sources(cfg, files):
        source_hash = hashes[source] = sha256_of(cfg.root / source)
        for target in cfg.targets:
            output = cfg.output_for(source, target)
            entry = entries.get(output)
            current = sha256_of(cfg.root / output)
            edited = current is not None and (entry is None or current != entry.get("output_sha256"))
            fresh = entry is not None and entry.get("source_sha256") == source_hash
            if current is not None and not edited and fresh:
                continue  # up to date
            if edited and not force:
                if fresh:
                    continue  # a human edit of an up-to-date translation: nothing to do
                beside.append((source, target, output))
                continue
            todo.append((source, target, output))
    needed = sorted({s for s, _, _ in todo + beside})
    if not needed:
        if lock.interrupted():
            with lock.writing():  # a stopped run's outputs are all in place: record them
                pass
        return 0
    memory_path = cfg.root / cfg.memory
    for ignore in ensure_ignored(cfg.root, [(lock.path.parent, lock.ignored_names()),
                                            (memory_path.parent, [memory_path.name, f"{memory_path.name}-*"])]):
        notes.append(f"{ignore}: lists the local files not to commit (the memory, the lock's helpers)")
    memory = Memory(memory_path)
    with _translator(cfg, memory) as translator:
        results = _translate(cfg, translator, needed)
    with lock.writing() as tx:
        planned = {output: {"source": source, "language": target, "source_sha256": hashes[source],
                            "output_sha256": sha256_text(results[(source, target)])}
                   for source, target, output in todo}
        tx.plan(planned)
        for source, target, output in todo:
            tx.write(output, results[(source, target)], protect=(cfg.root / source,))
            tx.record(output, planned[output])
            notes.append(f"{output}: translated from {source}")
        for source, target, output in beside:
            tx.write(output + ".new", results[(source, target)], protect=(cfg.root / source,))
            notes.append(f"{output}: edited by hand and {source} changed: kept the edit, fresh machine "
                         f"translation in {output}.new; merge it, delete it, then run 'translate-sync --accept {output}'")
    for line in notes:
        print(line, file=out)
    c = memory.counters
    written = len(todo) + len(beside)
    print(f"translate-sync: {written} file{'s' if written != 1 else ''} written; sentences: {c.translated} translated, "
          f"{c.reused} from memory ({c.human} human)", file=out)
    return 1


def accept(cfg, outputs: list[str], *, out=None) -> int:
    """Record edited translations as approved; harvest the sentences a person changed
    (those that differ from the machine translation) into the memory as human ones."""
    out = out or sys.stdout
    from .harvest import edited_pairs
    from .memory import HUMAN, Memory
    from .textio import read_bytes

    memory = Memory(cfg.root / cfg.memory)
    lock = _lock(cfg)
    problems, wanted = 0, []
    entries, generated = lock.read(), cfg.mapping()
    for output in outputs:
        rel = cfg.relative(output) or output
        if rel not in entries or rel not in generated:
            print(f"{rel}: not a translation this repository generated", file=out)
            problems += 1
        elif (cfg.root / (rel + ".new")).exists():  # accepting now would leave it, unmerged, for ever
            print(f"{rel}: {rel}.new is still there: merge it into {rel} (or discard it), delete it, "
                  "then accept", file=out)
            problems += 1
        else:
            wanted.append(rel)
    harvests = []
    with _translator(cfg, memory) as translator:
        for rel in wanted:
            source, language = generated[rel]  # from the configuration, never from the lock file's text
            entry = {**entries[rel], "source": source, "language": language}
            machine = _translate(cfg, translator, [source], [language])[(source, language)]
            found = edited_pairs(source, read_bytes(cfg.root / source), read_bytes(cfg.root / rel), machine,
                                 source_lang=cfg.source_language, target=language)
            src_lang, edited, _ = found
            memory.store("", "", src_lang, language, edited, origin=HUMAN)
            harvests.append((rel, entry, found))
    with lock.writing() as tx:
        for rel, entry, found in harvests:
            tx.record(rel, {**entry, "source_sha256": sha256_of(cfg.root / entry["source"]),
                            "output_sha256": sha256_of(cfg.root / rel)})
            print(f"{rel}: accepted; {len(found[1])} of {found[2]} aligned sentences were edited by hand "
                  "and go into the memory as human translations", file=out)
    return 1 if problems else 0


def check(cfg, files: list[str], *, out=None) -> int:
    """No engine: every source concerned has an up-to-date translation per target, obeying
    the glossary (given translations only, their sources are found and checked)."""
    out = out or sys.stdout
    entries = _lock(cfg).read()
    glossary = None
    if cfg.glossaries:
        from .glossary import load

        glossary = load(cfg.glossaries)
    problems = []
    for source in _sources(cfg, files):
        source_hash = sha256_of(cfg.root / source)
        for target in cfg.targets:
            output = cfg.output_for(source, target)
            entry = entries.get(output)
            if not (cfg.root / output).exists():
                problems.append(f"{source}: no {target} translation ({output}): run translate-sync")
                continue
            if entry is None or entry.get("source_sha256") != source_hash:
                problems.append(f"{output}: out of date with {source}: run translate-sync")
            if (cfg.root / (output + ".new")).exists():
                problems.append(f"{output}: a fresh machine translation waits in {output}.new: merge it into "
                                f"{output}, delete {output}.new, then run 'translate-sync --accept {output}'")
            if glossary:
                problems += _lint(cfg, glossary, source, output, target)
    for line in problems:
        print(line, file=out)
    return 1 if problems else 0


def _lint(cfg, glossary, source: str, output: str, target: str) -> list[str]:
    from .lint import lint_files

    prefix = str(cfg.root) + "/"
    src_lang = cfg.source_language if cfg.source_language != "auto" else "fr"
    try:
        return [str(p).replace(prefix, "") for p in lint_files(glossary, str(cfg.root / source),
                                                                str(cfg.root / output), source_lang=src_lang,
                                                                target=target)]
    except TranslatorError as exc:
        return [str(exc).replace(prefix, "")]


def _run(action, argv) -> int:
    try:
        return action(argv)
    except TranslatorError as exc:
        for line in getattr(exc, "problems", None) or [str(exc)]:
            print(line, file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:  # what was written is journaled: the next run converges
        print("interrupted", file=sys.stderr)
        if argv is None:  # the whole command: do not wait for a CTranslate2 call left running
            from .console import exit_now_if_interrupted

            return exit_now_if_interrupted(130)
        return 130


def sync_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="translate-sync", description=sync.__doc__)
    parser.add_argument("files", nargs="*")
    parser.add_argument("--force", action="store_true", help="overwrite translations edited by hand")
    parser.add_argument("--accept", action="store_true", help="FILES are edited translations to approve")
    args = parser.parse_args(argv)

    def action(_):
        cfg = config_module.load()
        return accept(cfg, args.files) if args.accept else sync(cfg, args.files, force=args.force)

    return _run(action, argv)


def check_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="translate-check", description=check.__doc__)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    return _run(lambda _: check(config_module.load(), args.files), argv)


def glossary_main(argv: list[str] | None = None) -> int:
    """Validate the glossary files given (or the configured ones)."""
    parser = argparse.ArgumentParser(prog="glossary-check", description=glossary_main.__doc__)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)

    def action(_):
        from .glossary import load

        specs = args.files or config_module.load().glossaries
        failures = 0
        for spec in specs:
            try:
                load(spec)
            except TranslatorError as exc:
                for line in exc.problems:
                    print(line)
                failures += 1
        return int(ExitCode.GLOSSARY) if failures else 0

    return _run(action, argv)
