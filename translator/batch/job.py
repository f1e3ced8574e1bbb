"""``translator.batch.run``: an archive translated on Ray Data, exactly once, resumable.

The driver plans the input into parts (:mod:`.parts`), records the plan in the manifest,
and builds one Ray Data pipeline: part descriptors -> ``map_batches(read_parts)`` (tasks)
-> ``map_batches(ArticleTranslator)`` (a fixed pool of actors, each holding one loaded
Translator) -> streamed back to the driver (``iter_batches``), which commits each batch
(:mod:`.sink`).  Ray Data streams with back-pressure: neither the driver nor the object
store ever holds the whole input, and actors that die are restarted with their tasks.

Ids of tables: two translated rows of one table (one file: the files of a folder may
share ids) with the same id (``1`` and ``"1"`` are the same id: outputs and
``failures.jsonl`` write ids as strings) are both kept, each in its shard as it was in the
input: failing the second would lose a row the input holds, and which one is right is the
user's call.  Each row that repeats the id of an earlier row of its table is listed in
``OUT/warnings.jsonl`` (``{"id", "name", "warning"}``, naming the first row, in input
order; removed when there is none), and the command says how many; the exit code is not
changed.  Failed rows are not counted (they are in ``failures.jsonl``).
The driver keeps no set of ids: they go, batch by batch, to ``OUT/.batch/ids.sqlite``
(keyed by part and row, written before the manifest records the rows, so the ids of every
finished row are there when a resumed run ends), and SQLite finds the repeats at the end.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import cluster, outputs
from .actors import ArticleTranslator, Settings, output_columns
from .ids import WARNINGS, Ids, write_warnings
from .manifest import Manifest
from .parts import DEFAULT_SIZE, FILES, Filter, plan
from .readers import Reading, read_parts
from .sink import Sink
from ..errors import EngineError, OutputError, TranslatorError, UsageError
from ..documents.markdown import DEFAULT_FIELDS
from ..textio import DEFAULT_MAX_SIZE

#: ``progress(done, total, sentences, seconds)`` after each committed batch.
Progress = Callable[[int, int, int, float], None]
DEFAULT_BATCH = 16  # articles per actor call
#: For neural models: larger calls keep CTranslate2's parallel translators busy to the end of
#: each call and sort more sentences by length (on 2 cores, 249 Chinese articles, one worker:
#: 52.9 s with 64 against 61.9 s with 16; 997 articles: 193.1 s with 128, two calls at a time,
#: against 202.4 s with 64 one at a time, means of two alternated runs).
NEURAL_BATCH = 128


@dataclass(frozen=True)
class Summary:
    """What a run did.  ``failed`` counts this run; ``failures`` every line of failures.jsonl."""

    output: Path
    articles: int  # in the input
    translated: int
    failed: int
    skipped: int  # finished by earlier runs
    sentences: int
    seconds: float
    workers: int
    failures: int
    warnings: int = 0  # lines of warnings.jsonl: rows with the id of an earlier row of their table

    @property
    def sentences_per_s(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0

    @property
    def articles_per_s(self) -> float:
        return (self.translated + self.failed) / self.seconds if self.seconds else 0.0

    @property
    def failures_file(self) -> Path:
        return self.output / outputs.FAILURES

    @property
    def warnings_file(self) -> Path:
        return self.output / WARNINGS


def run(input_path: str | os.PathLike[str], *, to: str | Sequence[str], output: str | os.PathLike[str],
        source: str = "auto", engine: str = "auto", routes: dict[str, str] | None = None,
        glossary: str | Sequence[str] | None = None,
        memory: str | os.PathLike[str] | None = None, id_field: str = "id", text_field: str = "text",
        recursive: bool = True, include: Sequence[str] = (), exclude: Sequence[str] = (),
        workers: int | None = None, cluster_address: str | None = None, device: str = "cpu",
        beam_size: int = 4, batch_size: int | None = None, part_size: int = DEFAULT_SIZE,
        front_matter_fields: Sequence[str] = DEFAULT_FIELDS, max_size: int = DEFAULT_MAX_SIZE,
        content: str = "auto", progress: Progress | None = None, ray_log: bool = True) -> Summary:
    """Translate every article of *input_path* (a folder, a .jsonl or a .parquet file) into
    every language of *to*, writing to the folder *output*; see ``translate batch --help``.

    Run again with the same arguments after an interruption, it continues: finished
    articles are skipped, and the outputs end byte-identical to an uninterrupted run's.
    Failed articles do not stop the run: they are counted and listed in
    ``OUTPUT/failures.jsonl``.  Table rows with an id already used by an earlier row of their
    table are translated and kept all the same, and listed in ``OUTPUT/warnings.jsonl``
    (``Summary.warnings``).  *ray_log*: Ray's own messages go to
    ``OUTPUT/.batch/ray.log``: while Ray runs, file descriptors 1 and 2 point there, so a
    *progress* callback (``progress(done, total, sentences, seconds)`` after each committed
    batch) writes to a stream opened before the run, as the command does.
    """
    started = time.monotonic()
    job = _Job.make(input_path, to=to, output=output, source=source, engine=engine, routes=routes,
                    glossary=glossary, memory=memory, id_field=id_field, text_field=text_field, device=device,
                    beam_size=beam_size, fields=tuple(front_matter_fields), max_size=max_size,
                    content=content)
    where = Filter(recursive, tuple(include), tuple(exclude), (str(job.out),))
    layout = plan(input_path, size=part_size, where=where, id_field=id_field, text_field=text_field,
                  reserved=job.columns)
    manifest = Manifest(job.out / ".batch", job.options(layout.kind, part_size, where))
    ids = None
    try:
        sink = Sink(manifest, layout.kind, layout.root, job.out, job.columns)
        outputs.clean_tmp(sink.tmp)
        ids = Ids(job.out / ".batch", layout.parts) if layout.kind != FILES else None  # paths are unique
        sink.open(manifest.register(layout.parts))
        pool = None
        if sink.parts:
            reading = Reading(str(layout.root), _prefix(input_path, job.input.is_dir()), where,
                              id_field, text_field, job.columns)
            pool = _translate(job, sink, reading, workers=workers, address=cluster_address,
                              batch_size=block_size(batch_size, neural=job.neural), progress=progress,
                              log=job.out / ".batch" / "ray.log" if ray_log else None, ids=ids)
        failures = sink.finish()
        warnings = write_warnings(job.out, ids.repeats(), sink.tmp) if ids is not None else 0
        translated, _, failed_all = manifest.totals()
    finally:
        if ids is not None:
            ids.close()
        manifest.close()
    counts = sink.counts
    return Summary(job.out, layout.articles, counts.translated, counts.failed,
                   translated + failed_all - counts.translated - counts.failed, counts.sentences,
                   time.monotonic() - started, pool.workers if pool else 0, failures, warnings)


def _prefix(input_path, is_folder: bool) -> str:
    """The input folder as the user wrote it, for messages (``archive/2019/a.txt:3``)."""
    given = Path(input_path) if is_folder else Path(input_path).parent
    return "" if str(given) == "." else str(given)


@dataclass(frozen=True)
class _Job:
    """The checked options of a run."""

    input: Path
    out: Path
    settings: Settings
    neural: bool  # Argos translates (at least some of) it: actors get two cores each

    @property
    def columns(self) -> tuple[str, ...]:
        return output_columns(self.settings.text_field, self.settings.targets)

    @classmethod
    def make(cls, input_path, *, to, output, source, engine, routes, glossary, memory, id_field, text_field, device,
             beam_size, fields, max_size, content) -> _Job:
        from .. import languages
        from ..glossary import load

        targets = tuple(languages.normalize_list(to, option="--to"))
        if source != "auto":
            source = languages.normalize(source, option="--from")
        if content not in ("auto", "main", "all"):
            raise UsageError(f"--content: {content!r}: choose auto, main or all")
        if device not in ("cpu", "cuda"):
            raise UsageError(f"--device: {device!r}: choose cpu or cuda")
        if not id_field or not text_field:
            raise UsageError("--id-field and --text-field need a name")
        inp, out = Path(input_path).resolve(), Path(output).resolve()
        if out == inp or (out.exists() and not out.is_dir()):
            raise OutputError("the output must be a folder other than the input", path=str(output))
        terms = load(glossary if isinstance(glossary, str) else list(glossary)) if glossary else None
        settings = Settings(targets, source, engine, beam_size, 0, terms,
                            str(Path(memory).resolve()) if memory else None, device, text_field, fields,
                            max_size, tuple(sorted((routes or {}).items())), content)
        return cls(inp, out, settings, _neural(settings))

    def options(self, kind: str, part_size: int, where: Filter) -> dict:
        """What the outputs depend on: a restart must give the same."""
        from ..memory import glossary_identity

        s = self.settings
        return {"input": str(self.input), "kind": kind, "to": list(s.targets), "from": s.source, "engine": s.engine,
                "routes": dict(s.routes), "glossary": glossary_identity(s.glossary), "beam_size": s.beam_size,
                "device": s.device, "text_field": s.text_field, "front_matter_fields": list(s.fields),
                "content": s.content, "part_size": part_size, "recursive": where.recursive, "include": list(where.include), "exclude": list(where.exclude)}


def _neural(settings: Settings) -> bool:
    """Whether Argos (not Apertium) will translate; with --from, also checks every route now."""
    from ..engines import no_route
    from ..pipeline import Translator

    probe = Translator(engine=settings.engine, routes=dict(settings.routes))  # checks the pinned routes too
    if settings.source == "auto":
        return any(e.name == "argos" and e.pairs() for e in probe.engines)
    neural = False
    for target in settings.targets:
        if target == settings.source:
            continue
        route = probe.route(settings.source, target)
        if route is None:
            raise no_route(settings.source, target, settings.engine)
        neural = neural or "argos" in route.engine
    return neural


def block_size(batch_size: int | None, *, neural: bool) -> int:
    """Articles per actor call: *batch_size*, else the default for the engine."""
    if batch_size is not None:
        return batch_size
    return NEURAL_BATCH if neural else DEFAULT_BATCH


def _translate(job: _Job, sink: Sink, reading: Reading, *, workers: int | None, address: str | None,
               batch_size: int, progress: Progress | None, log: Path | None, ids: Ids | None = None) -> cluster.Pool:
    if (workers is not None and workers < 1) or batch_size < 1:
        raise UsageError("--workers and the batch size must be at least 1")
    if progress is not None:  # shown while Ray starts
        progress(0, sink.counts.total, 0, 0.0)
    with cluster.session(address, log=log) as resources:
        if job.settings.memory and not resources.one_host:
            raise UsageError("--memory: the translation memory is an SQLite file that only processes of one "
                             "machine can share; leave --memory out on a cluster of several machines")
        pool = cluster.size_pool(resources, neural=job.neural, workers=workers, device=job.settings.device,
                                 memory=bool(job.settings.memory))
        settings = replace(job.settings, threads=pool.threads)
        started = time.monotonic()
        try:
            for batch in _dataset(sink.parts.values(), reading, settings, pool, batch_size).iter_batches(
                    batch_size=None, batch_format="pyarrow"):
                results = batch.to_pylist()
                if ids is not None:
                    ids.record(results)
                sink.take(results)
                if progress is not None:
                    c = sink.counts
                    progress(c.translated + c.failed, c.total, c.sentences, time.monotonic() - started)
        except Exception as exc:
            raise _ray_failure(exc, log) from None
    return pool


def _dataset(parts, reading: Reading, settings: Settings, pool: cluster.Pool, batch_size: int):
    import ray
    from ray.data import ActorPoolStrategy, TaskPoolStrategy

    items = [{"part": json.dumps(p)} for p in parts]
    ds = ray.data.from_items(items, override_num_blocks=len(items))
    # Reading is light: no CPU reserved (the actors hold them all), two tasks at a time.
    ds = ds.map_batches(read_parts, fn_kwargs={"reading": reading}, batch_size=1, batch_format="pyarrow",
                        num_cpus=0, compute=TaskPoolStrategy(size=min(2, len(items))))
    return ds.map_batches(ArticleTranslator, fn_constructor_args=(settings,), batch_size=batch_size,
                          batch_format="pyarrow", compute=_actors(ActorPoolStrategy, pool),
                          num_cpus=pool.cpus, num_gpus=pool.gpus or None,
                          **({"max_concurrency": pool.calls} if pool.calls > 1 else {}))


def _actors(strategy, pool: cluster.Pool):
    """A fixed pool whose actors run *pool.calls* calls at once, sharing the actor's Translator
    (see :data:`cluster.NEURAL_CALLS`).  Ray Data runs them one at a time unless told otherwise
    (``enable_true_multi_threading``, in newer Ray versions; without it, calls only overlap their
    batching: slower, not wrong)."""
    import inspect

    if pool.calls > 1 and "enable_true_multi_threading" in inspect.signature(strategy).parameters:
        return strategy(size=pool.workers, enable_true_multi_threading=True)
    return strategy(size=pool.workers)


def _ray_failure(exc: Exception, log: Path | None) -> Exception:
    """A TranslatorError raised in a task (a folder changed under the run) as it is; Ray's own
    failures as one line saying that the same command resumes the run."""
    seen = exc
    while seen is not None:
        if isinstance(seen, TranslatorError):
            return seen
        seen = getattr(seen, "cause", None) or seen.__cause__
    if not type(exc).__module__.startswith("ray"):
        return exc
    where = f" (Ray's messages: {log})" if log else ""
    first = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return EngineError(f"the run stopped: {first.strip()[:300]}{where}; run the same command again to "
                       "continue where it stopped")
