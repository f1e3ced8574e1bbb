"""``translate batch``: an archive (a folder tree, JSON Lines, Parquet) translated on Ray Data.

On one machine by default (an embedded local Ray instance, started and stopped by the
run), or on an existing Ray cluster.  Exactly once and resumable: a manifest in the
output folder records what is finished, and a run started again with the same command
continues where the last one stopped.

Modules, one concern each:

- :mod:`.parts` cuts the input into parts (the unit of reading, sealing and table shards);
- :mod:`.readers` turns a part into article rows (runs in Ray tasks);
- :mod:`.actors` translates rows with one loaded :class:`~translator.Translator` per actor;
- :mod:`.manifest` records finished articles and sealed parts (SQLite, driver only);
- :mod:`.outputs` writes translated files, table shards and ``failures.jsonl``;
- :mod:`.sink` commits each result: outputs first, then the manifest;
- :mod:`.cluster` starts or joins Ray and sizes the actor pool;
- :mod:`.progress` draws the progress bar and the summary line;
- :mod:`.job` runs it all (:func:`run`); :mod:`.command` is the ``translate batch`` command.

Ray is imported only when a run starts: ``pip install 'translator[batch]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Summary", "run"]

if TYPE_CHECKING:
    from .job import Summary, run


def __getattr__(name: str) -> Any:  # lazy: importing the package imports neither Ray nor the engines
    if name in __all__:
        from . import job

        return getattr(job, name)
    raise AttributeError(f"module 'translator.batch' has no attribute {name!r}")
