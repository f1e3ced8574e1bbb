"""The ``translate batch`` command: options in, :func:`translator.batch.run`, a summary out.

Importing this module imports neither Ray nor the engines, so ``translate --help`` stays
fast; Ray is imported when the command runs.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

HELP = """Translate an archive on Ray: a folder tree of articles (the files 'translate' takes), a JSON Lines
file or folder, or Parquet. Runs on this machine (a local Ray instance, started and stopped
here) or on a Ray cluster (--cluster). Run again after an interruption, it continues where it
stopped. Folder input: translations mirror the input tree in OUT; tables: shards of the input
rows with the translations added; rows with the id of an earlier row of their table are kept too,
and listed in OUT/warnings.jsonl. Exit 1 when any article failed (listed in OUT/failures.jsonl);
exit 2 when Ray is not installed (pip install 'translator[batch]'), or when a table has no
--id-field or --text-field in its first records."""


def batch(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="A folder, a .jsonl file or a .parquet file.")],
    to: Annotated[str, typer.Option("--to", "-t", metavar="LANGS", help="Target languages, comma-separated: en,es.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="OUT", help="The output folder (it also holds "
                                         "the manifest that resumes an interrupted run).")],
    source: Annotated[str, typer.Option("--from", "-f", metavar="LANG", help="Source language, or 'auto' to "
                                        "detect each article's.")] = "auto",
    engine: Annotated[str, typer.Option("--engine", "-e", metavar="ENGINE", help="auto, argos or apertium.")] = "auto",
    route: Annotated[Optional[list[str]], typer.Option(metavar="LANG=ROUTE", help="Pin a target's route, "
                                                       "such as it=fr>es>it (repeatable).")] = None,
    glossary: Annotated[Optional[list[str]], typer.Option("--glossary", "-g", metavar="NAME|FILE", help="Glossary "
                                                          "name (news) or CSV/TBX path; repeatable.")] = None,
    memory: Annotated[Optional[Path], typer.Option("--memory", "-m", metavar="PATH", help="A translation memory "
                                                   "(SQLite), shared by the actors of one machine.")] = None,
    id_field: Annotated[str, typer.Option(metavar="NAME", help="Tables: the id field.")] = "id",
    text_field: Annotated[str, typer.Option(metavar="NAME", help="Tables: the text field.")] = "text",
    recursive: Annotated[bool, typer.Option(help="Folders: also the files in subfolders.")] = True,
    include: Annotated[Optional[list[str]], typer.Option(metavar="GLOB", help="Folders: only files matching "
                                                         "this glob (repeatable).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(metavar="GLOB", help="Folders: not the files matching "
                                                         "this glob (repeatable).")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, metavar="N", help="Translating actors (default: one per "
                                                   "two cores for Argos, one per core for Apertium).")] = None,
    cluster: Annotated[Optional[str], typer.Option(metavar="ADDRESS", help="A Ray cluster to run on (default: "
                                                   "RAY_ADDRESS, else a local instance).")] = None,
    device: Annotated[str, typer.Option(metavar="DEVICE", help="cpu, or cuda: Argos actors on GPUs.")] = "cpu",
    beam_size: Annotated[int, typer.Option(min=1, metavar="N", help="Beam size for neural models.")] = 4,
    batch_size: Annotated[Optional[int], typer.Option(min=1, metavar="N", help="Articles per actor call "
                                                      "(default: 128 for neural models, 16 for Apertium).")] = None,
    content: Annotated[str, typer.Option(metavar="auto|main|all", help="HTML and plain text: main (the article, "
                                         "not the site around it), all, or auto (as 'translate').")] = "auto",
    max_size: Annotated[str, typer.Option("--max-size", metavar="SIZE", help="Largest article file read "
                                          "(units kB, MB, GB, KiB, MiB, GiB).")] = "50MB",
    part_size: Annotated[int, typer.Option(min=1, metavar="N", help="Articles per part: the rows of one output "
                                           "shard for tables; what the manifest seals at once.")] = 1000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary line.")] = False,
) -> None:
    from ..cli import _routes
    from ..progress import wanted
    from ..textio import parse_size
    from .job import run
    from .progress import BatchBar, count, summary_line

    limit, routes = parse_size(max_size), _routes(route)
    terminal = os.fdopen(os.dup(2), "w", encoding="utf-8", errors="replace")  # Ray's output goes to a log
    bar = BatchBar(terminal) if wanted(quiet) else None
    try:
        with _terminate_as_interrupt():
            summary = run(input_path, to=to, output=output, source=source, engine=engine, routes=routes,
                          glossary=glossary, memory=memory, id_field=id_field, text_field=text_field,
                          recursive=recursive, include=include or (), exclude=exclude or (), workers=workers,
                          cluster_address=cluster, device=device, beam_size=beam_size, batch_size=batch_size,
                          part_size=part_size, max_size=limit, content=content, progress=bar)
    finally:
        if bar:
            bar.close()
        terminal.close()
    if not quiet:
        print(summary_line(summary), file=sys.stderr)
        if summary.warnings:
            print(f"batch: {count(summary.warnings, 'row')} with the id of an earlier row of its table "
                  f"(both kept): listed in {summary.warnings_file}", file=sys.stderr)
    if summary.failures:
        raise typer.Exit(1)


batch.__doc__ = HELP


@contextmanager
def _terminate_as_interrupt():
    """SIGTERM stops the run as Ctrl-C does: Ray is shut down, the next run resumes."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
