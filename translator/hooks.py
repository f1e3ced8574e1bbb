"""pre-commit hooks for content repositories: ``translate-sync``, ``translate-check``
and ``glossary-check``.  Each is ``main(argv) -> int``, prints one line per file or
problem (file name first), and goes through every file before exiting.

The lock file (``.translator/lock.json``) records, for each generated file, the hash
of the source it came from and its own hash.  A generated file whose hash changed was
edited by a person: ``translate-sync`` never overwrites it.  When its source changed
too, the fresh machine translation goes beside it (``NAME.new``) for the editor to
merge; ``translate-sync --accept FILE`` then records the edited file as approved and
harvests its sentences into the memory as human translations.  ``--force`` overwrites.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import sys
from pathlib import Path

from . import config as config_module
from .errors import ExitCode, TranslatorError

LOCK_VERSION = 1


def sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def locked(path: Path):
    """Read-modify-write of the lock file under an exclusive file lock (parallel hooks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(path) + ".flock", "a+") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        except (OSError, ValueError):
            data = {}
        files = data.get("files", {}) if isinstance(data, dict) else {}
        yield files
        from .textio import write_atomic

        write_atomic(path, json.dumps({"version": LOCK_VERSION, "files": dict(sorted(files.items()))},
                                      indent=2, ensure_ascii=False) + "\n")


def _read_lock(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}


def _sources(cfg, argv_files: list[str]) -> list[str]:
    """The configured sources among the files pre-commit passed (all of them if none)."""
    if not argv_files:
        return cfg.source_files()
    return sorted({cfg.relative(f) for f in argv_files if cfg.is_source(f) and Path(f).is_file()})


def _translate(cfg, translator, sources: list[str]) -> dict[tuple[str, str], str]:
    """(source, lang) -> translated text, Markdown with the parser, the rest batched together."""
    from .markdown import translate_markdown
    from .textio import read_text

    results, docs = {}, []
    for source in sources:
        text, _ = read_text(cfg.root / source)
        lang = cfg.source_language
        if lang == "auto":
            from .detection import detect

            lang = detect(text, name=source).language
        if source.endswith((".md", ".markdown")):
            for target, out in translate_markdown(translator, text, to=cfg.targets, source=lang, name=source).items():
                results[(source, target)] = out
        else:
            docs.append((source, translator.prepare(text, to=cfg.targets, source=lang, name=source)))
    translator.translate_documents([d for _, d in docs])
    for source, doc in docs:
        for target in cfg.targets:
            results[(source, target)] = doc.text(target)
    return results


def sync(cfg, files: list[str], *, force: bool = False, out=None) -> int:
    """Create or refresh translations; 1 when files were written (pre-commit convention)."""
    out = out or sys.stdout
    from .memory import Memory
    from .pipeline import Translator
    from .textio import write_atomic

    lock_path = cfg.root / cfg.lock
    lock = _read_lock(lock_path)
    todo, beside, notes = [], [], []
    for source in _sources(cfg, files):
        source_hash = sha256(cfg.root / source)
        for target in cfg.targets:
            output = cfg.output_for(source, target)
            entry = lock.get(output)
            current = sha256(cfg.root / output)
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
        return 0
    memory = Memory(cfg.root / cfg.memory)
    with Translator(engine=cfg.engine, glossary=cfg.glossaries or None, memory=memory,
                    apertium_server=cfg.apertium_server) as translator:
        results = _translate(cfg, translator, needed)
    wrote = 0
    with locked(lock_path) as entries:
        for source, target, output in todo:
            write_atomic(cfg.root / output, results[(source, target)], protect=(cfg.root / source,))
            entries[output] = {"source": source, "language": target, "source_sha256": sha256(cfg.root / source),
                               "output_sha256": sha256(cfg.root / output)}
            notes.append(f"{output}: translated from {source}")
            wrote += 1
        for source, target, output in beside:
            new = output + ".new"
            write_atomic(cfg.root / new, results[(source, target)], protect=(cfg.root / source,))
            notes.append(f"{output}: edited by hand and {source} changed: kept the edit, fresh machine "
                         f"translation in {new}; merge it, delete it, then run 'translate-sync --accept {output}'")
            wrote += 1
    for line in notes:
        print(line, file=out)
    c = memory.counters
    print(f"translate-sync: {wrote} files written; sentences: {c.translated} translated, {c.reused} from memory "
          f"({c.human} human)", file=out)
    return 1 if wrote else 0


def accept(cfg, outputs: list[str], *, out=None) -> int:
    """Record edited translations as approved, and harvest their sentences as human ones."""
    out = out or sys.stdout
    from .alignment import sentence_pairs
    from .memory import HUMAN, Memory
    from .textio import read_text

    memory = Memory(cfg.root / cfg.memory)
    problems = 0
    with locked(cfg.root / cfg.lock) as entries:
        for output in outputs:
            rel = cfg.relative(output) or output
            entry = entries.get(rel)
            if entry is None:
                print(f"{rel}: not a translation this repository generated", file=out)
                problems += 1
                continue
            source_text, _ = read_text(cfg.root / entry["source"])
            target_text, _ = read_text(cfg.root / rel)
            src_lang = cfg.source_language if cfg.source_language != "auto" else "fr"
            pairs = sentence_pairs(_sentences(source_text, src_lang), _sentences(target_text, entry["language"]))
            memory.store("", "", src_lang, entry["language"], pairs, origin=HUMAN)
            entry["source_sha256"] = sha256(cfg.root / entry["source"])
            entry["output_sha256"] = sha256(cfg.root / rel)
            print(f"{rel}: accepted; {len(pairs)} sentences harvested into the memory", file=out)
    return 1 if problems else 0


def _sentences(text: str, lang: str) -> list[list[str]]:
    """The non-empty paragraphs of *text* as lists of sentences."""
    from .segmentation import segment

    paragraphs = [[s.strip() for u in block.units for s in u.sentences if s.strip()]
                  for block in segment(text, lang).blocks]
    return [p for p in paragraphs if p]


def check(cfg, files: list[str], *, out=None) -> int:
    """No engine: every source has an up-to-date translation per target, obeying the glossary."""
    out = out or sys.stdout
    lock = _read_lock(cfg.root / cfg.lock)
    glossary = None
    if cfg.glossaries:
        from .glossary import load

        glossary = load(cfg.glossaries)
    problems = []
    for source in _sources(cfg, files):
        source_hash = sha256(cfg.root / source)
        for target in cfg.targets:
            output = cfg.output_for(source, target)
            entry = lock.get(output)
            if not (cfg.root / output).exists():
                problems.append(f"{source}: no {target} translation ({output}): run translate-sync")
                continue
            if entry is None or entry.get("source_sha256") != source_hash:
                problems.append(f"{output}: out of date with {source}: run translate-sync")
            if (cfg.root / (output + ".new")).exists():
                problems.append(f"{output}: a fresh machine translation waits in {output}.new: merge it")
            if glossary:
                from .lint import lint_files

                src_lang = cfg.source_language if cfg.source_language != "auto" else "fr"
                try:
                    problems += [str(p).replace(str(cfg.root) + os.sep, "")
                                 for p in lint_files(glossary, str(cfg.root / source), str(cfg.root / output),
                                                     source_lang=src_lang, target=target)]
                except TranslatorError as exc:
                    problems.append(str(exc).replace(str(cfg.root) + os.sep, ""))
    for line in problems:
        print(line, file=out)
    return 1 if problems else 0


def _run(action, argv) -> int:
    try:
        return action(argv)
    except TranslatorError as exc:
        for line in getattr(exc, "problems", None) or [str(exc)]:
            print(line, file=sys.stderr)
        return int(exc.exit_code)


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
