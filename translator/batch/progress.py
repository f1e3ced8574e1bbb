"""The progress bar of a batch run (articles, sentences, rate, ETA) and its summary line.

Ray Data's own progress bars are switched off (:mod:`.cluster`); this one is drawn by
the driver from the results it commits, so it counts what is really finished.
"""

from __future__ import annotations

import time
from typing import TextIO


def duration(seconds: float) -> str:
    """``3725`` -> ``1:02:05``."""
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class BatchBar:
    """Call with ``(done, total, sentences, seconds)``; draws at most twice a second."""

    def __init__(self, stream: TextIO, width: int = 24) -> None:
        self.stream = stream
        self.width = width
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int, sentences: int, seconds: float) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.5:
            return
        self._last = now
        self.stream.write("\r\x1b[K" + line(done, total, sentences, seconds, self.width))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def line(done: int, total: int, sentences: int, seconds: float, width: int = 24) -> str:
    filled = width * done // max(total, 1)
    rate = sentences / seconds if seconds > 0 else 0.0
    left = f"ETA {duration(seconds * (total - done) / done)}" if done else "ETA --:--:--"
    return (f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} articles, {sentences:,} sentences, "
            f"{rate:.1f} sentences/s, {left}")


def summary_line(summary) -> str:
    """The last line of a run: articles, sentences, failures, time, rate."""
    failed = f", {summary.failed:,} failed" if summary.failed else ""
    before = f", {summary.skipped:,} done by an earlier run" if summary.skipped else ""
    listed = f"; {summary.failures:,} failures in {summary.failures_file}" if summary.failures else ""
    return (f"batch: {summary.articles:,} articles: {summary.translated:,} translated{failed}{before}; "
            f"{summary.sentences:,} sentences in {duration(summary.seconds)} "
            f"({summary.sentences_per_s:.1f} sentences/s, {summary.workers} workers){listed}")
