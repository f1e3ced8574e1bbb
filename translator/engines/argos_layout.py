"""How an Argos model runs on this machine: device, threads and batches, from the core
count and the size of the work (measured with ``bench/sweep.py`` on the shared zh->en
model and FLORES zh, 2 cores).

- Many sentences: one translator per core (CTranslate2's ``inter_threads``), one thread
  each, the batches spread over them: 47 sentences/s against 29 for one translator with
  two threads.  Each translator keeps its own work buffers: the peak memory grows with
  them (514 -> 783 MB for two on that model); ``inter_threads=1`` keeps it low.
- Few sentences (one short document): one translator with every core (``intra_threads``),
  since a single batch cannot be spread over several translators.

The thread layout does not change any output (tests/test_argos_layout.py).  The batch a
sentence is in can, rarely: ``bench/batch_independence.py`` on 300 FLORES zh sentences (beam 4,
int8) finds 2 whose output in batches of 32 differs from their output alone, the same 2 in
every order and thread layout (CTranslate2 sorts a call's sentences by length, so the batches
depend on which sentences are in the call, not on their order); none in batches of 1,024
tokens or of 8 sentences.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import UsageError

#: Below this many sentences per core, one translator with every core beats one per core.
MIN_SENTENCES_PER_WORKER = 8
#: CTranslate2's batch size in examples (when no token budget is given).
MAX_BATCH_SIZE = 32
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class Layout:
    """CTranslate2's settings for one loaded model."""

    device: str = "cpu"
    device_index: int = 0
    inter_threads: int = 1
    intra_threads: int = 1
    max_batch_size: int = MAX_BATCH_SIZE
    batch_type: str = "examples"


def parse_device(device: str) -> tuple[str, int]:
    """``auto``, ``cpu``, ``cuda`` or ``cuda:N`` as (device, device index); raise :class:`UsageError`."""
    name, _, index = device.strip().lower().partition(":")
    if name not in DEVICES or (index and (name != "cuda" or not index.isdigit())):
        raise UsageError(f"--device: {device!r} is not one of auto, cpu, cuda, cuda:N")
    return name, int(index or 0)


def resolve_device(device: str) -> tuple[str, int]:
    """The device a model loads on: ``auto`` is the first GPU when CTranslate2 sees one, else the CPU."""
    name, index = parse_device(device)
    if name == "auto":
        import ctranslate2  # lazy: heavy

        name = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return name, index


def choose(sentences: int, *, device: str = "cpu", device_index: int = 0, threads: int = 0,
           inter_threads: int = 0, batch_tokens: int = 0, cores: int | None = None) -> Layout:
    """The layout for translating *sentences* sentences with *threads* CPU threads (0: every core).

    *inter_threads* (0: chosen from the work) fixes the number of parallel translators;
    *batch_tokens* (0: batches of :data:`MAX_BATCH_SIZE` sentences) batches by tokens."""
    if threads < 0 or inter_threads < 0 or batch_tokens < 0:
        raise UsageError("--threads, --inter-threads, --batch-tokens: a number of 0 or more")
    threads = threads or cores or os.cpu_count() or 1
    if device == "cuda":  # one translator per GPU; CPU threads only feed it
        inter = inter_threads or 1
    elif inter_threads:
        inter = min(inter_threads, threads)
    else:
        inter = threads if sentences >= MIN_SENTENCES_PER_WORKER * threads else 1
    batch = (batch_tokens, "tokens") if batch_tokens else (MAX_BATCH_SIZE, "examples")
    return Layout(device, device_index, inter, max(1, threads // inter), batch[0], batch[1])
