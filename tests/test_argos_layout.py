"""How Argos models run: threads and batches from the cores and the work, the overrides,
the device option, and outputs that do not depend on the layout or the rest of the run."""

from __future__ import annotations

import pytest

from translator import Translator
from translator.engines.argos import ArgosEngine, _batch_size
from translator.engines.argos_layout import MIN_SENTENCES_PER_WORKER, Layout, choose, parse_device, resolve_device
from translator.errors import UsageError

from .conftest import flores, needs_flores


def test_many_sentences_get_one_translator_per_core():
    assert choose(997, cores=2) == Layout(inter_threads=2, intra_threads=1)
    assert choose(2 * MIN_SENTENCES_PER_WORKER, cores=2).inter_threads == 2
    assert choose(1000, cores=8) == Layout(inter_threads=8, intra_threads=1)


def test_a_few_sentences_get_one_translator_with_every_core():
    assert choose(1, cores=2) == Layout(inter_threads=1, intra_threads=2)
    assert choose(2 * MIN_SENTENCES_PER_WORKER - 1, cores=2) == Layout(inter_threads=1, intra_threads=2)
    assert choose(40, cores=8) == Layout(inter_threads=1, intra_threads=8)
    assert choose(1000, cores=1) == Layout(inter_threads=1, intra_threads=1)


def test_threads_inter_threads_and_batch_tokens_override():
    assert choose(1000, cores=8, threads=2) == Layout(inter_threads=2, intra_threads=1)
    assert choose(1000, cores=8, inter_threads=2) == Layout(inter_threads=2, intra_threads=4)
    assert choose(1, cores=4, inter_threads=4) == Layout(inter_threads=4, intra_threads=1)
    assert choose(1000, cores=2, inter_threads=1) == Layout(inter_threads=1, intra_threads=2)  # less memory
    assert choose(1000, cores=2, inter_threads=5).inter_threads == 2  # never more translators than threads
    tokens = choose(1000, cores=2, batch_tokens=1024)
    assert (tokens.batch_type, tokens.max_batch_size) == ("tokens", 1024)
    with pytest.raises(UsageError):
        choose(10, inter_threads=-1)


def test_a_gpu_gets_one_translator():
    assert choose(1000, device="cuda", device_index=1, cores=8) == Layout("cuda", 1, 1, 8)


@pytest.mark.parametrize("text,expected", [("auto", ("auto", 0)), ("CPU", ("cpu", 0)), ("cuda", ("cuda", 0)),
                                           ("cuda:1", ("cuda", 1))])
def test_devices(text, expected):
    assert parse_device(text) == expected


@pytest.mark.parametrize("text", ["gpu", "cpu:1", "cuda:x", "", "cuda:-1"])
def test_an_unknown_device_is_a_usage_error(text):
    with pytest.raises(UsageError, match="--device"):
        parse_device(text)
    with pytest.raises(UsageError):
        ArgosEngine(device=text)


def test_auto_is_the_cpu_without_a_gpu():
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        assert resolve_device("auto") == ("cuda", 0)
    else:
        assert resolve_device("auto") == ("cpu", 0)


def test_the_engine_keeps_its_batch_size_and_chooses_from_the_first_work():
    engine = ArgosEngine(threads=2, max_batch_size=16)
    assert engine.layout(500) == Layout(inter_threads=2, intra_threads=1, max_batch_size=16)
    assert engine.layout(3) == Layout(inter_threads=1, intra_threads=2, max_batch_size=16)
    assert ArgosEngine(threads=2, batch_tokens=2048).layout(500).batch_type == "tokens"


def test_every_translator_gets_a_batch():
    assert _batch_size(Layout(inter_threads=2, intra_threads=1), 20) == 10
    assert _batch_size(Layout(inter_threads=2, intra_threads=1), 997) == 32
    assert _batch_size(Layout(inter_threads=4, intra_threads=1, max_batch_size=16), 5) == 2
    assert _batch_size(Layout(inter_threads=1, intra_threads=2), 20) == 32
    assert _batch_size(Layout(inter_threads=2, intra_threads=1, max_batch_size=512, batch_type="tokens"), 20) == 512


def _translate(zh_en_dir, sentences: list[str], **options) -> tuple[list[str], Layout]:
    engine = ArgosEngine(dirs=[zh_en_dir], beam_size=2, **options)
    out = engine.translate(sentences, "zh", "en").texts
    return out, next(iter(engine._models.values())).layout


@needs_flores
def test_a_sentence_translates_the_same_alone_in_any_layout_and_batch(zh_en_dir):
    """Each sentence alone (one translator, every thread) against all of them together in
    the layouts the defaults and overrides give, and with neighbours in another order."""
    sentences = flores("zho", 0, 24)
    alone = [_translate(zh_en_dir, [s], threads=2)[0][0] for s in sentences]
    parallel, layout = _translate(zh_en_dir, sentences, threads=2)
    assert layout.inter_threads == 2  # 24 sentences on 2 threads: two translators
    assert parallel == alone
    assert _translate(zh_en_dir, sentences[::-1], threads=2, inter_threads=1)[0] == alone[::-1]
    assert _translate(zh_en_dir, sentences, threads=2, batch_tokens=256)[0] == alone
    assert _translate(zh_en_dir, sentences, threads=1, max_batch_size=5)[0] == alone


def test_a_model_loads_on_the_cpu_when_asked(zh_en_dir):
    out, layout = _translate(zh_en_dir, ["今天天气很好。"], device="cpu", threads=1)
    assert layout.device == "cpu" and out[0].strip()


def test_a_model_loads_on_a_gpu_when_one_is_there(zh_en_dir):
    import ctranslate2

    if ctranslate2.get_cuda_device_count() == 0:
        pytest.skip("no CUDA device visible to CTranslate2 on this machine")
    out, layout = _translate(zh_en_dir, ["今天天气很好。"], device="auto")
    assert layout.device == "cuda" and out[0].strip()


def test_translator_takes_the_same_keywords(zh_en_dir):
    with Translator(engine="argos", argos_dirs=[zh_en_dir], threads=2, inter_threads=1, batch_tokens=512,
                    device="cpu") as t:
        engine = t.engines[0]
        assert engine.layout(1000) == Layout(inter_threads=1, intra_threads=2, max_batch_size=512,
                                             batch_type="tokens")
    with pytest.raises(UsageError):
        Translator(engine="argos", argos_dirs=[zh_en_dir], device="tpu")


def test_the_command_line_documents_and_checks_the_options(capsys, tmp_path):
    from translator.cli import main

    assert main(["run", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    for option in ("--threads", "--inter-threads", "--batch-tokens", "--device auto|cpu|cuda"):
        assert option in shown
    text = tmp_path / "a.txt"
    text.write_text("Le ciel est bleu.\n", encoding="utf-8")
    assert main([str(text), "--to", "es", "--device", "tpu", "-o", str(tmp_path / "out")]) == 2
    assert "--device: 'tpu' is not one of auto, cpu, cuda, cuda:N" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
