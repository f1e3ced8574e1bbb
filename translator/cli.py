"""The ``translate`` command: a thin layer over the library.

It parses arguments, calls :mod:`translator`, prints, and turns exceptions into
the exit codes of :class:`translator.errors.ExitCode`.  ``translate FILE ...`` is
short for ``translate run FILE ...``.
"""

from __future__ import annotations

import copy
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .batch.command import batch
from .cli_params import EngineChoice, lighten
from .console import version_line
from .documents import MODULES
from .errors import ExitCode, InputError, TranslatorError
from .service.command import serve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Offline translation for newsrooms. 'translate FILE --to es,en' is short for "
                       "'translate run FILE --to es,en'.")
models_app = typer.Typer(no_args_is_help=True, help="List, install and remove translation models.")
app.add_typer(models_app, name="models")
glossary_app = typer.Typer(no_args_is_help=True, help="Validate glossaries, check translations against them, "
                                                       "convert CSV and TBX.")
app.add_typer(glossary_app, name="glossary")
memory_app = typer.Typer(no_args_is_help=True, help="The translation memory: stats, TMX export and import, prune.")
app.add_typer(memory_app, name="memory")
server_app = typer.Typer(no_args_is_help=True, help="The per-user Apertium server that hooks can share "
                                                    "(apertium_server = true): status, stop.")
app.add_typer(server_app, name="apertium-server")
app.add_typer(server_app, name="server", hidden=True)  # its name until 0.2; kept for one release

COMMANDS = ("run", "detect", "serve", "batch", "models", "glossary", "memory", "apertium-server", "server")
ROOT_OPTIONS = ("--help", "-h", "--version", "--install-completion", "--show-completion")
MaxSizeOption = Annotated[str, typer.Option("--max-size", metavar="SIZE", help="Largest input read "
                                            "(units kB, MB, GB, KiB, MiB, GiB).")]
MemoryOption = Annotated[Path, typer.Option("--memory", "-m", metavar="PATH", help="The memory database.")]
GlossaryOption = Annotated[Optional[list[str]], typer.Option(
    "--glossary", "-g", metavar="NAME|FILE",
    help="Glossary name (news) or CSV/TBX path; repeat to combine, later ones win.")]


class Format(str, Enum):
    text = "text"
    side_by_side = "side-by-side"
    json = "json"
    html = "html"
    markdown = "markdown"
    tmx = "tmx"
    xliff = "xliff"
    po = "po"


InputFormat = Enum("InputFormat", {name: name for name in ("auto", *MODULES)}, type=str)


class Content(str, Enum):
    auto = "auto"
    main = "main"
    all = "all"




def _report(error: TranslatorError) -> None:
    from .cli_run import report

    report(error)


def _each(items, action) -> None:
    """Run *action* on every item, reporting each problem on one line and going on;
    then exit with the first problem's code (pre-commit-hooks style)."""
    failures = []
    for item in items:
        try:
            action(item)
        except TranslatorError as exc:
            _report(exc)
            failures.append(exc)
    if failures:
        raise typer.Exit(int(failures[0].exit_code))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(version_line())
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False) -> None:
    """Offline translation for newsrooms."""


@app.command()
def run(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Documents (text, Markdown, PO, HTML, Word, "
                                               "XLIFF, SRT, WebVTT), or folders of them; '-' reads stdin and "
                                               "writes stdout.")],
    to: Annotated[Optional[str], typer.Option("--to", "-t", metavar="LANGS", help="Target languages, comma-separated: "
                                              "en,es,de (XLIFF: default, the file's target language).")] = None,
    source: Annotated[str, typer.Option("--from", "-f", metavar="LANG", help="Source language, or 'auto' to detect.")] = "auto",
    engine: Annotated[EngineChoice, typer.Option("--engine", "-e", help="auto picks the best installed route.")] = EngineChoice.auto,
    route: Annotated[Optional[list[str]], typer.Option(metavar="LANG=ROUTE", help="Pin a target's route, such as "
                                                       "it=fr>es>it (repeatable); see 'translate models routes'.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text: NAME.<lang>.<ext>; side-by-side, json: stdout; "
                                        "html, markdown, tmx: NAME.review.html, NAME.review.md, NAME.tmx; "
                                        "xliff, po: NAME.<lang>.xlf, NAME.<lang>.po.")] = Format.text,
    output_dir: Annotated[Optional[Path], typer.Option("--output-dir", "-o", metavar="DIR",
                                                       help="Write translations here.")] = None,
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Folders: also the files in their "
                                            "subfolders.")] = False,
    include: Annotated[Optional[list[str]], typer.Option(metavar="GLOB", help="Folders: only files matching "
                                                         "this glob (repeatable).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(metavar="GLOB", help="Folders: not the files matching "
                                                         "this glob (repeatable).")] = None,
    encoding: Annotated[Optional[str], typer.Option(metavar="NAME", help="Input encoding (default: UTF-8, "
                                                    "Windows-1252 detected).")] = None,
    max_size: MaxSizeOption = "50MB",
    input_format: Annotated[InputFormat, typer.Option(help="The document type (auto: from the file's name, "
                                                      "else its content).")] = InputFormat.auto,
    beam_size: Annotated[int, typer.Option(min=1, metavar="N", help="Beam size for neural models.")] = 4,
    threads: Annotated[int, typer.Option(min=0, metavar="N", help="CPU threads for neural models (0: all cores).")] = 0,
    inter_threads: Annotated[int, typer.Option(min=0, metavar="N", help="Neural models: translators run in parallel, "
                                               "each with threads/N threads (0: one per core for many sentences, "
                                               "one with every core for a few; each costs memory).")] = 0,
    batch_tokens: Annotated[int, typer.Option(min=0, metavar="N", help="Neural models: batches of N tokens "
                                              "(0: of 32 sentences).")] = 0,
    device: Annotated[str, typer.Option(metavar="auto|cpu|cuda", help="Neural models: where they run (auto: a GPU "
                                        "when CTranslate2 sees one; cuda:N for the Nth GPU).")] = "auto",
    width: Annotated[int, typer.Option(min=0, metavar="COLUMNS", help="Width for side-by-side (0: the terminal's).")] = 0,
    glossary: GlossaryOption = None,
    strict: Annotated[bool, typer.Option(help="A glossary term that could not be enforced is an error: "
                                              "exit 1, no output for that file.")] = False,
    overwrite: Annotated[bool, typer.Option(help="PO, XLIFF: translate entries that already have a translation.")] = False,
    content: Annotated[Content, typer.Option(help="HTML and plain text: main (the article, not the site "
                                             "around it), all, or auto (HTML: main for pages, all for "
                                             "fragments; text: all).")] = Content.auto,
    fuzzy: Annotated[bool, typer.Option(help="PO/POT: flag machine translations fuzzy.")] = True,
    front_matter_fields: Annotated[str, typer.Option(metavar="FIELDS", help="Markdown: front-matter fields to "
                                                     "translate.")] = "title,description",
    memory: Annotated[Optional[Path], typer.Option("--memory", "-m", metavar="PATH", help="A translation memory "
                                                   "(SQLite): known sentences are not translated again.")] = None,
    apertium_server: Annotated[bool, typer.Option("--apertium-server", envvar="TRANSLATOR_APERTIUM_SERVER",
                                                  help="Apertium: through the per-user server that keeps its "
                                                  "programs loaded between runs (for editors and scripts that "
                                                  "call translate often); started if needed, it exits after 15 "
                                                  "minutes idle.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no notes on stderr.")] = False,
) -> None:
    """Translate FILES into every --to language."""
    from . import languages
    from .cli_run import Job, check_output_dir, run_files
    from .documents import Options
    from .glossary import load
    from .pipeline import Translator
    from .textio import parse_size, protected

    options = Options(encoding=encoding, max_size=parse_size(max_size), overwrite=overwrite, fuzzy=fuzzy,
                      fields=tuple(f.strip() for f in front_matter_fields.split(",") if f.strip()),
                      content=content.value)
    targets = languages.normalize_list(to) if to is not None else []
    if source != "auto":
        source = languages.normalize(source, option="--from")
    terms = load(glossary) if glossary else None
    tm = None
    if memory is not None:
        from .memory import Memory

        tm = Memory(memory)
    names = _expanded(files, recursive=recursive, include=include or (), exclude=exclude or ())
    check_output_dir(output_dir, names)
    job = Job(targets, source, fmt.value, output_dir, protected(n for n in names if n != "-"), width, quiet,
              strict, input_format.value, options, several=len(names) > 1)
    with Translator(engine=engine.value, beam_size=beam_size, threads=threads, glossary=terms, memory=tm,
                    routes=_routes(route), device=device, inter_threads=inter_threads,
                    batch_tokens=batch_tokens, apertium_server=apertium_server, start_early=True) as translator:
        failures = run_files(translator, names, job)
    if failures:
        raise typer.Exit(int(failures[0].exit_code))


@app.command()
def detect(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Files or folders of them to inspect; "
                                               "'-' reads stdin.")],
    paragraphs: Annotated[bool, typer.Option("--paragraphs", "-p", help="Also one line per paragraph, "
                                             "as FILE:LINE: (the line it starts on).")] = False,
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Folders: also the files in their "
                                            "subfolders.")] = False,
    max_size: MaxSizeOption = "50MB",
) -> None:
    """Print the language and confidence of each file (and of each paragraph): of the text a
    reader sees, not of the markup (HTML, XLIFF, subtitles... are read by their document type)."""
    from . import detection, documents
    from .textio import decode, parse_size, read_bytes

    limit = parse_size(max_size)

    def show(name: str) -> None:
        label = "<stdin>" if name == "-" else name
        data = read_bytes(name, max_size=limit)
        doctype, _ = documents.for_file(label, data[:8192])
        if doctype.name == "text":
            text, _ = decode(data, name=label)
            pieces = _paragraphs(text, label)
        else:
            parsed = doctype.read(data, name=label, options=documents.Options(max_size=limit))
            text = parsed.sample
            pieces = [(u.line or u.id, "".join(u.texts)) for u in parsed.units if u.translate]
        found = detection.detect(text, name=label)
        print(f"{label}: {found.language} {found.confidence:.2f}")
        for where, piece in pieces if paragraphs else ():
            par = detection.detect_paragraph(piece, found, detection.SHORT_LINE_CANDIDATES)
            note = " (document's)" if par.inherited else ""
            excerpt = " ".join(piece.split())
            excerpt = excerpt if len(excerpt) <= 50 else excerpt[:49] + "…"
            print(f"{label}:{where}: {par.language} {par.confidence:.2f}{note} {excerpt}")

    _each(_expanded(files, recursive=recursive), show)


def _expanded(files: list[str], **options) -> list[str]:
    """*files* with folders replaced by the supported files in them; InputError when that
    leaves nothing."""
    from .inputs import expand, supported

    names = expand(files, **options)
    if not names:
        raise InputError(f"no supported file ({', '.join(supported())}) in the folders given", path=", ".join(files))
    return names


def _paragraphs(text: str, name: str) -> list[tuple[int, str]]:
    """(line it starts on, text) of each paragraph of the plain text of file *name*."""
    from . import detection
    from .segmentation import segment

    layout = segment(text, detection.detect(text, name=name).language) if text.strip() else None
    return list(zip(layout.start_lines(), (b.text for b in layout.blocks))) if layout else []


app.command("serve")(serve)  # the HTTP service, in translator/service/command.py (cheap to import)
app.command("batch")(batch)  # archives on Ray, in translator/batch/command.py (Ray imported when it runs)


def _routes(options: list[str] | None) -> dict[str, str]:
    """``--route it=fr>ca>it`` options as ``{"it": "fr>ca>it"}``."""
    from .errors import UsageError

    routes = {}
    for option in options or []:
        target, sep, route = option.partition("=")
        if not sep or not target.strip() or not route.strip():
            raise UsageError(f"--route {option!r}: write it as LANG=ROUTE, such as it=fr>es>it")
        routes[target.strip()] = route.strip()
    return routes


@models_app.command("routes")
def models_routes(
    source: Annotated[Optional[str], typer.Option("--from", "-f", metavar="LANG", help="Only routes from this "
                                                  "language.")] = None,
    engine: Annotated[EngineChoice, typer.Option("--engine", "-e", help="Only this engine's routes.")] = EngineChoice.auto,
    route: Annotated[Optional[list[str]], typer.Option(metavar="LANG=ROUTE", help="Show a pinned route, as "
                                                       "'translate --route' takes it.")] = None,
) -> None:
    """Every installed route per pair, its measured quality (chrF), and which one auto takes."""
    from . import languages
    from .engines import make_engines, pinned_routes, route_choices
    from .engines.routes import format_route_choices

    engines = make_engines(engine.value)
    code = languages.normalize(source, option="--from") if source else None
    rows = route_choices(engines, code, pinned=pinned_routes(engines, _routes(route)))
    if not rows:
        print("no installed route" + (f" from {code}" if code else "") + ": see 'translate models list'",
              file=sys.stderr)
        raise typer.Exit(int(ExitCode.NO_ROUTE))
    print(format_route_choices(rows))


@models_app.command("list")
def models_list() -> None:
    """Every installed route of both engines, with versions."""
    from .engines import make_engines
    from .engines.argos import package_dirs

    rows = [("ENGINE", "PAIR", "NAME", "VERSION", "LOCATION")]
    for engine in make_engines("auto"):
        for pair in sorted(engine.pairs().values(), key=lambda p: (p.source, p.target)):
            rows.append((pair.engine, f"{pair.source}->{pair.target}", pair.name, pair.version, pair.location))
    if len(rows) == 1:
        print("no models installed: 'translate models install FILE.argosmodel' or "
              "'apt-get install apertium-fr-es'", file=sys.stderr)
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4])
    print(f"# Argos packages folder: {package_dirs()[0]}", file=sys.stderr)


@models_app.command("install")
def models_install(specs: Annotated[list[str], typer.Argument(metavar="PACKAGE...",
        help="A .argosmodel file, an unpacked package folder, or a name such as translate-fr_en.")]) -> None:
    """Install Argos packages (checked before anything is extracted)."""
    from . import models

    def install(spec: str) -> None:
        pkg = models.install(spec)
        print(f"installed {pkg.name} {pkg.version} ({pkg.source}->{pkg.target}) in {pkg.path}")

    _each(specs, install)


@models_app.command("remove")
def models_remove(names: Annotated[list[str], typer.Argument(metavar="NAME...", help="Package names, e.g. translate-zh_en.")]) -> None:
    """Remove installed Argos packages."""
    from . import models

    def remove(spec: str) -> None:
        pkg = models.remove(spec)
        print(f"removed {pkg.name} {pkg.version}")

    _each(names, remove)


@glossary_app.command("check")
def glossary_check(files: Annotated[list[str], typer.Argument(metavar="GLOSSARY...", help="Glossary files or built-in names.")]) -> None:
    """Validate glossaries: one line per problem, 'path:line: column: problem'."""
    from .glossary import load

    def check(spec: str) -> None:
        g = load(spec)
        print(f"{spec}: ok, {len(g.concepts)} concepts in {', '.join(sorted(g.languages))}")

    _each(files, check)


@glossary_app.command("lint")
def glossary_lint(
    paths: Annotated[list[str], typer.Argument(metavar="FILE...", help="SOURCE TRANSLATION, or .po files, or our .json, .tmx, .xlf outputs.")],
    to: Annotated[Optional[str], typer.Option("--to", "-t", metavar="LANG", help="Language of the translation.")] = None,
    source: Annotated[str, typer.Option("--from", "-f", metavar="LANG", help="Language of the source.")] = "fr",
    glossary: GlossaryOption = None,
) -> None:
    """Check translations against the glossary (no engine): exit 1 on any problem."""
    from . import languages
    from .glossary import load
    from .lint import lint

    terms = load(glossary or ["news"])
    target = languages.normalize(to, option="--to") if to else None
    problems = lint(terms, paths, source_lang=languages.normalize(source, option="--from"), target=target)
    for problem in problems:
        print(problem)
    if problems:
        raise typer.Exit(int(ExitCode.FAILURE))


@glossary_app.command("export")
def glossary_export(
    spec: Annotated[str, typer.Argument(metavar="GLOSSARY", help="A glossary name or CSV file.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="The .tbx (or .csv) file to write.")],
) -> None:
    """Write a glossary as TBX (ISO 30042), for Weblate and CAT tools."""
    _convert(spec, output)


@glossary_app.command("import")
def glossary_import(
    spec: Annotated[str, typer.Argument(metavar="FILE.tbx", help="A .tbx file.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="The .csv file to write.")],
) -> None:
    """Read a TBX glossary, validate it, and write our CSV layout."""
    _convert(spec, output)


def _convert(spec: str, output: Path) -> None:
    from .glossary import load
    from .tbx import write_csv, write_tbx
    from .textio import write_atomic

    g = load(spec)
    text = write_tbx(g) if output.suffix.lower() == ".tbx" else write_csv(g)
    write_atomic(output, text, protect=(Path(spec),))
    print(f"wrote {output}: {len(g.concepts)} concepts")


@memory_app.command("stats")
def memory_stats(memory: MemoryOption = Path(".translator/memory.sqlite")) -> None:
    """Segments per origin and language pair, with how often they were reused."""
    from .memory import Memory

    stats = Memory(memory).stats()
    print(f"{stats['path']}: {stats['segments']} segments")
    for row in stats["by_pair"]:
        print(f"  {row['origin']:8} {row['source']}->{row['target']}  {row['segments']} segments, {row['hits']} reuses")


@memory_app.command("export")
def memory_export(output: Annotated[Path, typer.Argument(metavar="FILE.tmx", help="The .tmx file to write.")],
                  memory: MemoryOption = Path(".translator/memory.sqlite")) -> None:
    """Write the whole memory as TMX 1.4b."""
    from .memory import Memory, export_tmx
    from .textio import write_atomic

    tm = Memory(memory)
    write_atomic(output, export_tmx(tm), protect=(memory,))
    print(f"wrote {output}: {tm.stats()['segments']} segments")


@memory_app.command("import")
def memory_import(files: Annotated[list[str], typer.Argument(metavar="FILE.tmx...", help="TMX files from translators or other tools.")],
                  memory: MemoryOption = Path(".translator/memory.sqlite"),
                  source: Annotated[Optional[str], typer.Option("--from", "-f", metavar="LANG", help="Source language when "
                                                                 "the TMX says srclang=*all*.")] = None) -> None:
    """Import TMX as human-approved translations: they win over machine output."""
    from . import languages
    from .memory import Memory, import_tmx

    if source is not None:  # checked once, not once per file
        source = languages.normalize(source, option="--from")
    tm = Memory(memory)

    def one(path: str) -> None:
        print(f"{path}: {import_tmx(tm, path, source_lang=source)} human segments imported")

    _each(files, one)


@memory_app.command("prune")
def memory_prune(memory: MemoryOption = Path(".translator/memory.sqlite"),
                 older_than: Annotated[Optional[float], typer.Option(metavar="DAYS", help="Only machine segments unused for "
                                                                      "this many days.")] = None) -> None:
    """Delete machine segments (all, or those unused for --older-than days); human ones stay."""
    from .memory import Memory

    print(f"pruned {Memory(memory).prune(older_than_days=older_than)} machine segments")


def _ask_server(command: str) -> tuple[Path, dict | None]:
    """The server's socket and its answer to *command* (None when no server runs)."""
    from .engines import apertium_server

    path = apertium_server.socket_path()
    try:
        return path, apertium_server.request({"command": command}, path=path, timeout=5)
    except OSError:
        print(f"no Apertium server at {path}")
        return path, None


@server_app.command("status")
def server_status() -> None:
    """Whether the Apertium server runs, and what it has loaded; exit 1 when it does not run."""
    path, info = _ask_server("status")
    if info is None:
        raise typer.Exit(int(ExitCode.FAILURE))
    modes = ", ".join(Path(m).stem for m in info["modes"]) or "none yet"
    print(f"Apertium server {info['pid']} at {path}: {info['requests']} requests "
          f"({info.get('detections', 0)} of language detection) in {info['uptime']} s, "
          f"modes loaded: {modes}; exits after {info['idle_timeout']:g} s idle")


@server_app.command("stop")
def server_stop() -> None:
    """Stop the Apertium server (the next run that wants it starts it again)."""
    path, answer = _ask_server("stop")
    if answer is not None:
        print(f"stopped the Apertium server at {path}")


def _tree(name: str | None) -> typer.Typer:
    """The command tree this call needs: the root with only the command *name* (turning
    every command's signature into click parameters is most of typer's start), else all."""
    commands = [c for c in app.registered_commands if (c.name or c.callback.__name__) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    tree = copy.copy(app)
    tree.registered_commands, tree.registered_groups = commands, groups
    return tree


def _click_exceptions(command):
    """The click exceptions module typer uses (typer 0.2x vendors its own click)."""
    import importlib

    core = next(c.__module__ for c in type(command).__mro__ if c.__module__.endswith("click.core"))
    return importlib.import_module(core.rsplit(".", 1)[0] + ".exceptions")


def _plain_arguments(command) -> None:
    """Arguments shown by their metavar alone ('FILE...'), without typer's type label
    ('<list[str]>') beside them in help."""
    for param in getattr(command, "params", []):
        if param.param_type_name == "argument" and param.metavar:
            shown = param.metavar
            param.display_type_rich = lambda ctx: ""
            param._usage_display_name = lambda shown=shown: shown
    for sub in getattr(command, "commands", {}).values():
        _plain_arguments(sub)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (never raises for user errors)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in COMMANDS and args[0] not in ROOT_OPTIONS:
        args.insert(0, "run")
    command = typer.main.get_command(_tree(args[0] if args else None))
    _plain_arguments(command)
    lighten(command)  # option values checked without importing pydantic
    click_errors = _click_exceptions(command)
    try:
        code = command.main(args=args, prog_name="translate", standalone_mode=False)
        if code == 130:  # typer turns Ctrl-C into Exit(130), silently
            print("interrupted", file=sys.stderr)
    except TranslatorError as exc:
        _report(exc)
        return int(exc.exit_code)
    except click_errors.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except (typer.Abort, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (| head): not an error of ours
        return int(ExitCode.OK)
    except SystemExit as exc:  # typer exits by itself on a closed pipe
        return exc.code if isinstance(exc.code, int) else int(ExitCode.FAILURE)
    return int(code) if isinstance(code, int) else int(ExitCode.OK)
