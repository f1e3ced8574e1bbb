"""Every document translated on its own terms: what else is in the run changes nothing."""

from __future__ import annotations

import html
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from translator import Translator
from translator.engines.apertium_pipe import ModePipeline

from .conftest import SAMPLES, flores, needs_apertium, needs_flores

MODES = Path("/usr/share/apertium/modes")
ALL = "es,en,it,pt,ca"
pytestmark = needs_apertium


def _installed(*modes: str):
    return pytest.mark.skipif(not all((MODES / f"{m}.mode").exists() for m in modes),
                              reason=f"Apertium modes {', '.join(modes)} not installed (make setup)")


# Apertium's tagger, once it meets an ambiguity class its model lacks ("deu": numeral, noun
# or verb), overwrites its open class for the rest of the process: "Un agent" then becomes
# "One agent" in every later document.
TRIGGER = "Aproximadament deu minuts abans d'haver d'aterrar, ha desaparegut en el moment de la seva segona temptativa."
VICTIM = "Un agent de la companyia de gas ha arribat sobre els llocs després que un veí hagi cridat."


@_installed("cat-eng")
def test_the_tagger_state_does_not_flow_from_one_document_to_the_next():
    raw = subprocess.run(["apertium", "cat-eng"], input=f"{TRIGGER}\n{VICTIM}\n", capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert raw[1].startswith("One agent")  # the plain command: the first line changed the second
    with ModePipeline(MODES / "cat-eng.mode") as pipe:
        alone = pipe.translate(f"<p>{VICTIM}</p>")
        both = pipe.translate_each([f"<p>{TRIGGER}</p>", f"<p>{VICTIM}</p>", f"<p>{VICTIM}</p>"])
        assert pipe.tagger_restarts >= 1
    assert alone.startswith("<p>An agent") and both[1] == both[2] == alone


def _segments(doc, target: str) -> list[str]:
    return [seg.translations[target] for seg in doc.segments]


@needs_flores
@_installed("fra-cat", "cat-ita", "cat-por")
def test_a_document_alone_and_inside_a_batch_gives_the_same_output():
    text = "Les scientifiques ont découvert un vaccin.\n\nLe vote doit encore être ratifié par le CIO."
    neighbours = ["Les chercheuses sont arrivées.", "Les chercheuses ont publié leurs résultats.",
                  *flores("fra", 0, 40)]
    with Translator(engine="apertium") as t:
        alone = t.translate_text(text, to=ALL, source="fr")
        assert alone.text("es").startswith("Los científicos han descubierto")
        others = [t.prepare(s, to=ALL, source="fr") for s in neighbours]
        mine = t.prepare(text, to=ALL, source="fr")
        t.translate_documents(others[:20] + [mine] + others[20:])
        restarts = sum(p.tagger_restarts for p in t.engines[0]._pipes.values())
    assert restarts > 0  # the batch did disturb Apertium's state, and it was reset
    for target in ALL.split(","):
        assert mine.text(target) == alone.text(target), target
        assert _segments(mine, target) == _segments(alone, target)


def test_the_spanish_is_the_same_whatever_the_other_targets():
    path = SAMPLES / "diplomatie.txt"
    with Translator(engine="apertium") as t:
        docs = {to: t.translate_file(path, to=to) for to in ("es", "es,en", "en,es,it,pt")}
    spanish = {to: doc.text("es") for to, doc in docs.items()}
    assert len(set(spanish.values())) == 1, spanish
    for doc in docs.values():  # the English boilerplate line is English for every run
        assert doc.segments[-1].source == "Click to comment" and doc.segments[-1].language == "en"
    assert not spanish["es"].rstrip().endswith("Click to comment")


def _raw_alone(modes: list[str], sentence: str) -> str:
    """``apertium -f html`` started afresh on this sentence alone (a paragraph, as the
    engine gives it), for each step; its marks removed by a plain pattern."""
    text = sentence
    for mode in modes:
        out = subprocess.run(["apertium", "-f", "html", mode], input=f"<p>{html.escape(text, quote=False)}</p>",
                             capture_output=True, text=True, check=True).stdout
        text = re.sub(r"[*#@]+(?=\w)", "", html.unescape(re.sub(r"</?p>", "", out)))
    return re.sub(r"\s+", " ", text).strip()


@needs_flores
@_installed("fra-cat", "cat-ita")
def test_the_pipeline_equals_the_raw_engine_on_held_out_sentences():
    sentences = flores("fra", 600, 12)  # held out from tuning (lines 1-200)
    with Translator(engine="apertium", routes={"it": "fr>ca>it"}) as t:
        doc = t.translate_text("\n\n".join(sentences), to="it", source="fr")
        steps = [s["pair"] for s in doc.engine["it"]["steps"]]
    ours = [re.sub(r"\s+", " ", s).strip() for s in _segments(doc, "it")]
    with ThreadPoolExecutor(2) as pool:
        raw = list(pool.map(lambda s: _raw_alone(steps, s), sentences))
    same = sum(a == b for a, b in zip(ours, raw))
    assert same / len(sentences) >= 0.99, [(a, b) for a, b in zip(ours, raw) if a != b]
