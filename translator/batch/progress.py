"""The progress bar of a batch run (articles, sentences, rate, ETA) and its summary line.

Ray Data's own progress bars are switched off (:mod:`.cluster`); this one is drawn by
the driver from the results it commits, so it counts what is really finished.
"""

from __future__ import annotations

from typing import TextIO

from ..progress import ProgressBar


def duration(seconds: float) -> str:
    """``3725`` -> ``1:02:05``."""
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class BatchBar(ProgressBar):
    """The terminal's bar, called with ``(done, total, sentences, seconds)``: articles on the
    bar, sentences, rate and ETA before it."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream, label="")

    def __call__(self, done: int, total: int, sentences: int = 0, seconds: float = 0.0) -> None:
        self.label = status(done, total, sentences, seconds)
        super().__call__(done, total)


def status(done: int, total: int, sentences: int, seconds: float) -> str:
    """``12,345 sentences, 41.3 sentences/s, ETA 0:35:10``, padded to keep the bar in place."""
    rate = sentences / seconds if seconds > 0 else 0.0
    left = duration(seconds * (total - done) / done) if done else "--:--:--"
    return f"{sentences:>10,} sentences, {rate:7.1f} sentences/s, ETA {left:>8}"


def summary_line(summary) -> str:
    """The last line of a run: articles, sentences, failures, time, rate."""
    failed = f", {summary.failed:,} failed" if summary.failed else ""
    before = f", {summary.skipped:,} done by an earlier run" if summary.skipped else ""
    listed = f"; {count(summary.failures, 'failure')} listed in {summary.failures_file}" if summary.failures else ""
    return (f"batch: {count(summary.articles, 'article')}: {summary.translated:,} translated{failed}{before}; "
            f"{count(summary.sentences, 'sentence')} in {duration(summary.seconds)} "
            f"({summary.sentences_per_s:.1f} sentences/s, {count(summary.workers, 'worker')}){listed}")


def count(n: int, word: str) -> str:
    """``1 article``, ``1,200 articles``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
