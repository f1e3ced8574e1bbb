"""Neural throughput: our Translator end to end against raw CTranslate2, same sentences.

Ours: detection + segmentation + routing + CTranslate2 + rebuilding the document.
Raw: SentencePiece encode + ``translate_batch`` + decode on the very sentences our
segmenter produced, with the same beam size, batch size and compute type, in two thread
layouts for the same cores: ``naive`` (one translator with every core) and ``best`` (one
translator per core, the fastest layout of ``bench/sweep.py`` on 2 cores).  Ours runs with
its defaults (the layout it chooses itself).  Runs alternate (naive, best, ours, naive...)
and the medians are compared; the ratio that counts is ours against the best raw layout.
"""

from __future__ import annotations

import os
import time

from common import FLORES, median, timed, unpacked_model


def run(*, lines: int, repeats: int, beam_size: int = 4, threads: int = 0) -> dict:
    packages = unpacked_model()
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
    import ctranslate2
    import sentencepiece

    from translator import Translator
    from translator.engines.argos import detokenize

    zh = (FLORES / "zho.txt").read_text(encoding="utf-8").splitlines()[:lines]
    text = "\n\n".join(zh) + "\n"
    threads = threads or os.cpu_count() or 1
    ours = Translator(engine="argos", beam_size=beam_size, threads=threads)
    prepared = ours.prepare(text, to="en")
    sentences = [s for seg in prepared.segments for s in seg.sentences]
    load_ours, (_, model) = timed(lambda: ours.engines[0]._model("zh", "en", len(sentences)))

    pkg = packages / "translate-zh_en-1_9"
    sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
    layouts = {"naive": (1, threads), "best": (threads, 1)}
    raws, loads = {}, {}
    for name, (inter, intra) in layouts.items():
        loads[name], raws[name] = timed(lambda: ctranslate2.Translator(
            str(pkg / "model"), device="cpu", compute_type="int8", inter_threads=inter, intra_threads=intra))

    def raw_run(raw):
        tokens = sp.encode(sentences, out_type=str)
        results = raw.translate_batch(tokens, beam_size=beam_size, max_batch_size=32, replace_unknowns=True)
        return [detokenize(r.hypotheses[0]) for r in results]

    # Ours' time inside the engine's decoding (SentencePiece, CTranslate2, detokenizing: what the
    # raw loop does) and outside it (detection, segmentation, routing, rebuilding the document).
    engine, decoding = ours.engines[0], []
    decode = engine._decode

    def timed_decode(*args, **kwargs):
        started = time.perf_counter()
        try:
            return decode(*args, **kwargs)
        finally:
            decoding[-1] += time.perf_counter() - started

    engine._decode = timed_decode

    def ours_run():
        decoding.append(0.0)
        return ours.translate_text(text, to="en")

    times: dict[str, list[float]] = {"naive": [], "best": [], "ours": []}
    for _ in range(repeats):
        for name, raw in raws.items():
            t, raw_out = timed(lambda: raw_run(raw))
            times[name].append(t)
        t, doc = timed(ours_run)
        times["ours"].append(t)
    # Same model, settings and sentences: the outputs must match segment by segment.
    same, pos = 0, 0
    for seg in doc.segments:
        raw_text = " ".join(raw_out[pos:pos + len(seg.sentences)])
        pos += len(seg.sentences)
        same += raw_text == seg.translations["en"].rstrip()  # we keep the source's trailing spaces
    n = len(sentences)

    def figures(name: str, load: float, **extra) -> dict:
        m = median(times[name])
        return {"median_s": round(m, 3), "sentences_per_s": round(n / m, 2), "model_load_s": round(load, 3),
                "times_s": [round(t, 3) for t in times[name]], **extra}

    layout = model.layout
    return {
        "data": f"FLORES-200 dev zho.txt, first {lines} lines ({n} sentences after segmentation)",
        "model": "translate-zh_en 1.9 (OPUS-MT, CTranslate2 int8)",
        "beam_size": beam_size, "threads": threads, "max_batch_size": 32, "repeats": repeats,
        "raw_ctranslate2": figures("naive", loads["naive"], inter_threads=1, intra_threads=threads),
        "raw_ctranslate2_best": figures("best", loads["best"], inter_threads=threads, intra_threads=1),
        "translator": figures("ours", load_ours, inter_threads=layout.inter_threads,
                              intra_threads=layout.intra_threads,
                              decoding_s=[round(d, 3) for d in decoding],
                              outside_decoding_s=[round(t - d, 3) for t, d in zip(times["ours"], decoding)]),
        "ratio_ours_over_raw": round(median(times["naive"]) / median(times["ours"]), 3),
        "ratio_ours_over_best_raw": round(median(times["best"]) / median(times["ours"]), 3),
        "identical_paragraphs": same, "paragraphs": len(doc.segments),
    }
