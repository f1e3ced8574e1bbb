"""Does a sentence's CTranslate2 output depend on its batch neighbours or the thread layout?

The shared zh->en model on FLORES zh: every sentence translated alone (a batch of one),
then all together in several orders, batch sizes, batch types and thread layouts, with
the same beam size and compute type.  Prints, per setting, how many sentences differ from
the sentence translated alone (and which).

    .venv/bin/python bench/batch_independence.py [--lines 997] [--beam 4]
"""

from __future__ import annotations

import random

from common import FLORES, unpacked_model

SETTINGS = {
    "sorted by text, batch 32 examples (1x2)": dict(order="text", inter=1, intra=2, batch=32, kind="examples"),
    "shuffled, batch 32 examples (1x2)": dict(order="shuffle", inter=1, intra=2, batch=32, kind="examples"),
    "as is, batch 32 examples (2x1)": dict(order="as is", inter=2, intra=1, batch=32, kind="examples"),
    "as is, batch 1024 tokens (2x1)": dict(order="as is", inter=2, intra=1, batch=1024, kind="tokens"),
    "as is, batch 8 examples (1x1)": dict(order="as is", inter=1, intra=1, batch=8, kind="examples"),
}


def run(*, lines: int = 997, beam: int = 4, compute_type: str = "int8") -> dict:
    import ctranslate2
    import sentencepiece

    package = unpacked_model() / "translate-zh_en-1_9"
    zh = (FLORES / "zho.txt").read_text(encoding="utf-8").splitlines()[:lines]
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    tokens = sp.encode(zh, out_type=str)
    models: dict[tuple[int, int], object] = {}

    def model(inter: int, intra: int):
        if (inter, intra) not in models:
            models.clear()
            models[(inter, intra)] = ctranslate2.Translator(str(package / "model"), compute_type=compute_type,
                                                            inter_threads=inter, intra_threads=intra)
        return models[(inter, intra)]

    alone = [model(1, 2).translate_batch([t], beam_size=beam)[0].hypotheses[0] for t in tokens]
    report = {"data": f"FLORES-200 dev zho.txt, first {lines} lines", "beam_size": beam,
              "compute_type": compute_type, "reference": "each sentence alone, 1x2 threads", "settings": {}}
    for name, s in SETTINGS.items():
        order = list(range(len(tokens)))
        if s["order"] == "text":
            order.sort(key=lambda i: zh[i])
        elif s["order"] == "shuffle":
            random.Random(0).shuffle(order)
        results = model(s["inter"], s["intra"]).translate_batch(
            [tokens[i] for i in order], beam_size=beam, max_batch_size=s["batch"], batch_type=s["kind"])
        differ = [i for i, r in zip(order, results) if r.hypotheses[0] != alone[i]]
        report["settings"][name] = {"differ": len(differ), "lines": sorted(differ)[:20]}
    return report


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=997)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--compute-type", default="int8")
    args = parser.parse_args()
    print(json.dumps(run(lines=args.lines, beam=args.beam, compute_type=args.compute_type), indent=2))
