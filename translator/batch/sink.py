"""Committing results on the driver: outputs first, then the manifest, then sealed parts.

The order makes a run killed at any moment safe to start again: an article's files are
in place before the manifest says it is finished (else the restart translates it again
and writes the same bytes over them), and a table shard is written whole, from the
recorded results, before its part is sealed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import outputs
from .manifest import Manifest
from .parts import FILES, PARQUET


@dataclass
class Counts:
    """What this run did (the progress bar and the summary read it)."""

    total: int = 0  # articles this run had to do
    translated: int = 0
    failed: int = 0
    sentences: int = 0


@dataclass
class Sink:
    manifest: Manifest
    kind: str  # FILES, JSONL or PARQUET
    root: Path  # the input folder the parts' paths start from
    out: Path
    columns: tuple[str, ...]  # the output columns of table rows
    counts: Counts = field(default_factory=Counts)
    parts: dict[int, dict] = field(default_factory=dict)  # the parts not sealed yet

    @property
    def tmp(self) -> Path:
        return self.out / ".batch" / "tmp"

    def open(self, parts: list[dict]) -> None:
        """Take the unsealed parts; seal those a killed run had finished but not sealed."""
        self.parts = {p["part"]: p for p in parts}
        for number in list(self.parts):
            self._seal_if_done(number)
        self.counts.total = sum(p["count"] - len(p["skip"]) for p in self.parts.values())

    def take(self, results: list[dict]) -> None:
        """Commit a batch of results from the actors."""
        # A result delivered twice (a retried task) or for a part already sealed is written once only.
        fresh = [r for r in results if r["part"] in self.parts and not self.manifest.known(r)]
        if self.kind == FILES:
            for r in fresh:
                if r["status"] == "ok":
                    outputs.write_article(self.out, r["id"], json.loads(r["result"])["outputs"], self.tmp)
        self.manifest.record(fresh, keep_results=self.kind != FILES)
        for r in fresh:
            ok = r["status"] == "ok"
            self.counts.translated += ok
            self.counts.failed += not ok
            self.counts.sentences += r["sentences"]
        for number in sorted({r["part"] for r in fresh}):
            self._seal_if_done(number)

    def _seal_if_done(self, number: int) -> None:
        part = self.parts.get(number)
        if part is None or self.manifest.done(number) < part["count"]:
            return
        if self.kind != FILES:
            results = self.manifest.results(number)
            if self.kind == PARQUET:
                outputs.write_parquet_shard(self.out, self.root, part, results, self.tmp, self.columns)
            else:
                outputs.write_jsonl_shard(self.out, self.root, part, results, self.tmp)
        self.manifest.seal(number)
        del self.parts[number]

    def finish(self) -> int:
        """Write ``failures.jsonl``; return how many articles failed, all runs together."""
        return outputs.write_failures(self.out, self.manifest.failures(), self.tmp)
