"""Our detection with profiles from the compact cache against langdetect's own loading,
on every line of ../shared/data/langid (fr en es de it pt ru uk; single words, word pairs,
sentences): the probabilities (no prior, and the two priors detect_paragraph uses) and the
decisions of ``detect`` and ``detect_paragraph`` must be identical.  Also times the loading.

    .venv/bin/python bench/detection_check.py [--count 1000]
"""

from __future__ import annotations

import time

from langid import LANGID, LANGS, SETS, _lines


def _answers(detection, lines: list[tuple[str, str]], documents: dict) -> list:
    from langdetect.lang_detect_exception import LangDetectException

    out = []
    for lang, line in lines:
        probabilities = []
        for prior in (None, {lang: 1.0, "en": 1.0}, {lang: 0.6, "en": 0.4}):
            detector = detection._detector_class()(detection._get_factory())
            if prior:
                detector.set_prior_map(prior)
            detector.append(line)
            try:
                probabilities.append([(c.lang, c.prob) for c in detector.get_probabilities()])
            except LangDetectException:
                probabilities.append(None)
        out.append((probabilities, detection.detect_paragraph(line, documents[lang], ("en",)),
                    detection.detect_paragraph(line, documents[lang], LANGS)))
    return out


def run(*, count: int = 1000) -> dict:
    from langdetect.detector import Detector
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    from translator import detection

    start = time.perf_counter()
    detection._get_factory()
    ours_load = time.perf_counter() - start
    lines = [(lang, line) for kind in SETS for lang in LANGS for line in _lines(kind, lang, count)]
    documents = {lang: detection.detect(" ".join(_lines("sentences", lang, 30))) for lang in LANGS}
    ours = _answers(detection, lines, documents)

    start = time.perf_counter()
    reference = DetectorFactory()
    reference.load_profile(PROFILES_DIRECTORY)
    reference.set_seed(0)
    their_load = time.perf_counter() - start
    detection._factory, detection._languages, detection._answers = reference, None, {}
    detection._detector_class = lambda: Detector
    theirs = _answers(detection, lines, {lang: detection.detect(" ".join(_lines("sentences", lang, 30)))
                                          for lang in LANGS})
    differ = [line for (_, line), a, b in zip(lines, ours, theirs) if a != b]
    return {"data": f"{LANGID} ({', '.join(LANGS)}; {', '.join(SETS)}; {count} lines each)", "lines": len(lines),
            "identical": len(lines) - len(differ), "differ": differ[:20],
            "load_s": {"ours": round(ours_load, 4), "langdetect": round(their_load, 4)}}


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    print(json.dumps(run(count=parser.parse_args().count), indent=2))
