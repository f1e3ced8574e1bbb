"""Neural throughput: our Translator end to end against raw CTranslate2, same sentences.

Ours: detection + segmentation + routing + CTranslate2 + rebuilding the document.
Raw: SentencePiece encode + ``translate_batch`` + decode on the very sentences our
segmenter produced, with the same beam size, threads, batch size and compute type.
Runs alternate (raw, ours, raw, ours...) and the medians are compared.
"""

from __future__ import annotations

import os

from common import FLORES, median, timed, unpacked_model


def run(*, lines: int, repeats: int, beam_size: int = 4, threads: int = 2) -> dict:
    packages = unpacked_model()
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
    import ctranslate2
    import sentencepiece

    from translator import Translator
    from translator.engines.argos import detokenize

    zh = (FLORES / "zho.txt").read_text(encoding="utf-8").splitlines()[:lines]
    text = "\n\n".join(zh) + "\n"
    ours = Translator(engine="argos", beam_size=beam_size, threads=threads)
    load_ours, _ = timed(lambda: ours.engines[0]._model("zh", "en"))
    prepared = ours.prepare(text, to="en")
    sentences = [s for seg in prepared.segments for s in seg.sentences]

    pkg = packages / "translate-zh_en-1_9"
    load_raw, raw = timed(lambda: ctranslate2.Translator(str(pkg / "model"), device="cpu", compute_type="int8",
                                                         inter_threads=1, intra_threads=threads))
    sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))

    def raw_run():
        tokens = sp.encode(sentences, out_type=str)
        results = raw.translate_batch(tokens, beam_size=beam_size, max_batch_size=32, replace_unknowns=True)
        return [detokenize(r.hypotheses[0]) for r in results]

    def ours_run():
        return ours.translate_text(text, to="en")

    raw_times, our_times = [], []
    for _ in range(repeats):
        t, raw_out = timed(raw_run)
        raw_times.append(t)
        t, doc = timed(ours_run)
        our_times.append(t)
    # Same model, settings and sentences: the outputs must match segment by segment.
    same, pos = 0, 0
    for seg in doc.segments:
        raw_text = " ".join(raw_out[pos:pos + len(seg.sentences)])
        pos += len(seg.sentences)
        same += raw_text == seg.translations["en"].rstrip()  # we keep the source's trailing spaces
    n = len(sentences)
    return {
        "data": f"FLORES-200 dev zho.txt, first {lines} lines ({n} sentences after segmentation)",
        "model": "translate-zh_en 1.9 (OPUS-MT, CTranslate2 int8)",
        "beam_size": beam_size, "threads": threads, "max_batch_size": 32, "repeats": repeats,
        "raw_ctranslate2": {"median_s": round(median(raw_times), 3), "sentences_per_s": round(n / median(raw_times), 2),
                            "model_load_s": round(load_raw, 3)},
        "translator": {"median_s": round(median(our_times), 3), "sentences_per_s": round(n / median(our_times), 2),
                       "model_load_s": round(load_ours, 3)},
        "ratio_ours_over_raw": round(median(raw_times) / median(our_times), 3),
        "identical_paragraphs": same, "paragraphs": len(doc.segments),
        "raw_times_s": [round(t, 3) for t in raw_times], "our_times_s": [round(t, 3) for t in our_times],
    }
