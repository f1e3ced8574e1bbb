"""Raw CTranslate2 configuration sweep on the shared zh->en model and FLORES zh.

What is the fastest way to run this model on this machine?  Every configuration gets
the same sentences (SentencePiece-encoded once), a model loaded with its threads and
compute type, a warm-up call on 64 of them, then timed ``translate_batch`` calls (median).

Swept (one factor at a time around a base, plus the threads x beam grid, so the run
stays bounded on any machine):

- ``inter_threads`` x ``intra_threads`` with a product up to the core count;
- ``max_batch_size`` in examples and in tokens (``batch_type``);
- length sorting before ``translate_batch`` (CTranslate2 also sorts inside a call);
- ``compute_type`` int8 / int8_float32 / float32 (and float16 variants on a GPU);
- beam size 1 / 2 / 4.

On a GPU machine, ``--device cuda`` sweeps the same factors with the GPU's compute types.
"""

from __future__ import annotations

import functools
import itertools
import os
import statistics
import time
from dataclasses import asdict, dataclass, replace

from common import FLORES, unpacked_model


@dataclass(frozen=True)
class Config:
    inter_threads: int = 1
    intra_threads: int = 2
    max_batch_size: int = 32
    batch_type: str = "examples"
    sort: bool = False
    compute_type: str = "int8"
    beam_size: int = 4

    def label(self) -> str:
        sort = "sorted" if self.sort else "as is"
        return (f"inter {self.inter_threads} x intra {self.intra_threads}, batch {self.max_batch_size} "
                f"{self.batch_type}, {sort}, {self.compute_type}, beam {self.beam_size}")


def configurations(cores: int, device: str = "cpu", ours: Config | None = None) -> list[Config]:
    """The configurations to time: the thread layouts x beams, and one factor at a time."""
    layouts = [(i, j) for i in range(1, cores + 1) for j in range(1, cores + 1) if i * j <= cores and
               (i * j == cores or (i, j) == (1, 1))]
    base = Config(inter_threads=1, intra_threads=cores)
    found = [replace(base, inter_threads=i, intra_threads=j, beam_size=b)
             for (i, j), b in itertools.product(layouts, (1, 2, 4))]
    for layout in layouts:
        start = replace(base, inter_threads=layout[0], intra_threads=layout[1])
        found += [replace(start, max_batch_size=n) for n in (8, 16, 64)]
        found += [replace(start, batch_type="tokens", max_batch_size=n) for n in (512, 1024, 2048, 4096)]
        found += [replace(start, sort=True)]
        types = ("int8_float16", "float16", "int8") if device == "cuda" else ("int8_float32", "float32")
        found += [replace(start, compute_type=t) for t in types]
    if ours is not None:
        found.append(ours)
    return list(dict.fromkeys(found))


def our_config(sentences: int, cores: int, device: str = "cpu") -> Config:
    """What ``translator`` chooses itself for this work (:func:`translator.engines.argos_layout.choose`)."""
    from translator.engines.argos_layout import choose

    layout = choose(sentences, device=device, cores=cores)
    return Config(inter_threads=layout.inter_threads, intra_threads=layout.intra_threads,
                  max_batch_size=layout.max_batch_size, batch_type=layout.batch_type)


def quick_configurations(cores: int, ours: Config) -> list[Config]:
    """A smoke run: the two extreme thread layouts, one token batch, ours."""
    base = Config(inter_threads=1, intra_threads=cores)
    return list(dict.fromkeys([base, replace(base, inter_threads=cores, intra_threads=1),
                               replace(base, batch_type="tokens", max_batch_size=1024), ours]))


def run(*, lines: int = 997, repeats: int = 3, device: str = "cpu", ours: Config | None = None,
        only: list[Config] | None = None, quick: bool = False) -> dict:
    import ctranslate2
    import sentencepiece

    package = unpacked_model() / "translate-zh_en-1_9"
    zh = (FLORES / "zho.txt").read_text(encoding="utf-8").splitlines()[:lines]
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    tokens = sp.encode(zh, out_type=str)
    cores = os.cpu_count() or 1
    ours = ours or our_config(len(tokens), cores, device)
    supported = ctranslate2.get_supported_compute_types(device)
    results = []
    for config in only or (quick_configurations(cores, ours) if quick else configurations(cores, device, ours)):
        if config.compute_type not in supported:
            continue
        translator = ctranslate2.Translator(str(package / "model"), device=device, compute_type=config.compute_type,
                                            inter_threads=config.inter_threads, intra_threads=config.intra_threads)
        batch = sorted(tokens, key=len) if config.sort else tokens

        once = functools.partial(translator.translate_batch, batch, beam_size=config.beam_size,
                                 max_batch_size=config.max_batch_size, batch_type=config.batch_type,
                                 replace_unknowns=True)

        # Warm-up (allocators, caches, the threads' pools) on the first 64 sentences: a second
        # whole call would double the run for nothing the timed calls need.
        translator.translate_batch(batch[:64], beam_size=config.beam_size, max_batch_size=config.max_batch_size,
                                   batch_type=config.batch_type, replace_unknowns=True)
        times, out = [], None
        for _ in range(repeats):
            start = time.perf_counter()
            out = once()
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        target_tokens = sum(len(r.hypotheses[0]) for r in out)
        results.append({**asdict(config), "label": config.label(), "median_s": round(seconds, 3),
                        "sentences_per_s": round(len(tokens) / seconds, 2),
                        "target_tokens_per_s": round(target_tokens / seconds, 1), "ours": config == ours})
        del once, translator  # free the model before the next one loads
    by_beam = {}
    for r in results:
        best = by_beam.get(r["beam_size"])
        if best is None or r["sentences_per_s"] > best["sentences_per_s"]:
            by_beam[r["beam_size"]] = r
    return {"data": f"FLORES-200 dev zho.txt, first {lines} lines", "device": device, "cores": cores,
            "repeats": repeats, "results": sorted(results, key=lambda r: -r["sentences_per_s"]),
            "best_by_beam": {str(k): v for k, v in sorted(by_beam.items())}, "ours": asdict(ours)}


def render(r: dict) -> list[str]:
    """The sweep as a Markdown table, best first, our default marked."""
    out = ["", "## Raw CTranslate2 configurations on this machine", "",
           f"Data: {r['data']}; device {r['device']}, {r['cores']} cores; a warm-up call on 64 sentences, then "
           + ("one timed `translate_batch` call" if r["repeats"] == 1 else
              f"the median of {r['repeats']} timed `translate_batch` calls")
           + " per configuration (`bench/sweep.py`). **ours**: the "
           "layout `translator` chooses itself for this work.", "",
           "| configuration | sentences/s | target tokens/s | median (s) |", "|---|---:|---:|---:|"]
    for row in r["results"]:
        mark = " **(ours)**" if row["ours"] else ""
        out.append(f"| {row['label']}{mark} | {row['sentences_per_s']} | {row['target_tokens_per_s']} | "
                   f"{row['median_s']} |")
    out += ["", "Best per beam size: " + "; ".join(f"beam {b}: {v['label']} ({v['sentences_per_s']} sentences/s)"
                                                   for b, v in r["best_by_beam"].items()) + "."]
    if r["repeats"] == 1:
        out += ["", "One timed call per configuration: gaps of a few percent between configurations are within "
                "this machine's run-to-run spread (see the spread of the same layout under the throughput table). "
                "The sweep ranks the thread layouts; the throughput section settles ours against the best layout "
                "in alternating runs. For this model `int8` and `int8_float32` are the same computation "
                "(CTranslate2 keeps the weights it does not quantize in float32), so their gap is noise."]
    return out


def plot(r: dict, path):
    """Sentences/s of every configuration (beam 4), ours in another colour."""
    import plots

    rows = [x for x in r["results"] if x["beam_size"] == 4]
    plt = plots._pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(rows) + 1.2))
    bars = ax.barh([x["label"] for x in rows], [x["sentences_per_s"] for x in rows],
                   color=["#1d4ed8" if x["ours"] else "#9ca3af" for x in rows])
    ax.bar_label(bars, fmt="%.1f", padding=3, fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel(f"sentences per second (zh->en, beam 4, {r['device']}, {r['cores']} cores; ours in blue)")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=997)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--quick", action="store_true", help="a few configurations only (smoke run)")
    args = parser.parse_args()
    print(json.dumps(run(lines=args.lines, repeats=args.repeats, device=args.device, quick=args.quick), indent=2))
