"""The benchmark code runs (on tiny slices), so it cannot rot.  No timing is asserted."""

import sys

import pytest

from .conftest import FLORES, MODEL, ROOT, needs_model

sys.path.insert(0, str(ROOT / "bench"))


@pytest.mark.skipif(not FLORES.exists(), reason="FLORES-200 dev absent")
def test_segmentation_bench_smoke():
    import segmentation

    result = segmentation.run(lines=8)
    assert set(result["languages"]) == {"fr", "en", "es", "de", "it", "pt"}
    assert 0 <= result["languages"]["fr"]["translator"]["boundary_recall"] <= 1


@pytest.mark.skipif(not MODEL.exists(), reason="shared Argos package absent")
def test_throughput_bench_smoke(tmp_path, monkeypatch):
    import common
    import throughput

    monkeypatch.setattr(common, "WORK", tmp_path)
    monkeypatch.setattr(throughput, "unpacked_model", common.unpacked_model)
    result = throughput.run(lines=2, repeats=1)
    assert result["ratio_ours_over_raw"] > 0
    assert result["identical_paragraphs"] == 2  # same sentences, same settings: same output


@pytest.mark.skipif(not FLORES.exists(), reason="FLORES-200 dev absent")
def test_terminology_bench_smoke(tmp_path, monkeypatch):
    import common
    import terminology

    monkeypatch.setattr(terminology, "WORK", tmp_path)
    path, stats = terminology.build_glossary(count=200)
    assert path.exists() and 0 < stats["concepts_kept"] <= stats["candidates"]
    speed = terminology.matching_speed(terms=200, words=300, repeats=1)
    assert speed["matches_2x"] == 2 * speed["matches_1x"]


@pytest.mark.skipif(not FLORES.exists(), reason="FLORES-200 dev absent")
def test_repository_bench_smoke():
    import shutil

    if not shutil.which("apertium"):
        pytest.skip("Apertium not installed (make setup)")
    import incremental

    row = incremental.incremental("fr", "fra.txt", ["es"], "apertium")
    assert "from memory" in row["rerun"] and row["first_s"] > 0
    check = incremental.check_speed(files=5, repeats=1)
    assert check["exit_code"] == 0 and check["files"] == 5


@pytest.mark.skipif(not FLORES.exists(), reason="FLORES-200 dev absent")
def test_harvest_bench_smoke():
    import alignment

    r = alignment.run(quick=True)
    now, before = r["methods"]["aligned"], r["methods"]["in order"]
    assert now["harvested"] > 0 and 0 < now["precision"] <= 1 and 0 < now["recall"] <= 1
    assert before["harvested"] > 0


@pytest.mark.skipif(not (FLORES.parent / "langid").exists(), reason="langid data absent")
def test_langid_bench_smoke():
    import langid

    result = langid.run(count=3)
    assert set(result["sets"]) == {"single-words", "word-pairs", "sentences"}
    assert 0 <= result["sets"]["sentences"]["ours_in_document"] <= 1


def test_startup_bench_smoke():
    import shutil

    if not shutil.which("apertium"):
        pytest.skip("Apertium not installed (make setup)")
    import startup

    result = startup.run(repeats=1)
    assert result["python_pass_s"] > 0 and result["multi_target_ratio"] > 0


def test_compare_bench_renders():
    """The three-way comparison needs its own virtualenv (minutes to build): its report
    rendering is checked on a result of the real shape."""
    import run

    result = {"data": "x", "beam": 4, "threads": 2, "ours_over_raw": 0.99, "ours_over_argostranslate": 5.2,
              "systems": {"raw_ctranslate2": {"sentences_per_s": 7.0, "target_tokens_per_s": 437.6, "load_s": 0.3,
                                              "peak_rss_mb": 244.0}}}
    text = "\n".join(run.render_compare(result))
    assert "| raw_ctranslate2 | 7.0 | 437.6 | 0.3 | 244.0 |" in text and "**5.2x**" in text


def test_plots_are_written(tmp_path):
    import json

    import plots

    results = json.loads((ROOT / "docs" / "bench-results.json").read_text(encoding="utf-8"))
    assert plots.throughput(results, tmp_path / "t.png").stat().st_size > 1000
    assert plots.quality(results, tmp_path / "q.png").stat().st_size > 1000


def test_sweep_marks_our_layout_and_renders(tmp_path):
    import sweep

    ours = sweep.our_config(997, 2)
    assert (ours.inter_threads, ours.intra_threads) == (2, 1)
    assert ours in sweep.configurations(2, ours=ours) and ours in sweep.quick_configurations(2, ours)
    row = {**sweep.asdict(ours), "label": ours.label(), "median_s": 20.0, "sentences_per_s": 49.9,
           "target_tokens_per_s": 1200.0, "ours": True}
    result = {"data": "x", "device": "cpu", "cores": 2, "repeats": 1, "results": [row],
              "best_by_beam": {"4": row}, "ours": sweep.asdict(ours)}
    text = "\n".join(sweep.render(result))
    assert "inter 2 x intra 1, batch 32 examples, as is, int8, beam 4 **(ours)** | 49.9 | 1200.0 | 20.0 |" in text
    assert sweep.plot(result, tmp_path / "s.png").stat().st_size > 1000


@needs_model
def test_peak_memory_bench_measures_both_layouts():
    import shutil

    if not shutil.which("time", path="/usr/bin"):
        pytest.skip("/usr/bin/time absent (apt-get install time)")
    import peak_memory

    result = peak_memory.run(lines=6)
    rows = result["rows"]
    assert [(r["inter_threads"], r["intra_threads"]) for r in rows] == [(1, 2), (2, 1)]
    assert all(50 < r["raw_mb"] < r["ours_detecting_mb"] + 1000 and r["ours_mb"] > 50 for r in rows)
    text = "\n".join(peak_memory.render(result))
    assert "| inter 2 x intra 1 |" in text and "The layout's cost" in text
