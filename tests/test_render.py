import io

from translator.document import Document, Segment
from translator.progress import ProgressBar, wanted
from translator.render import cell_width, side_by_side, wrap_cells
from translator.segmentation import segment


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_cell_width_counts_wide_and_combining_characters():
    assert cell_width("abc") == 3
    assert cell_width("中文") == 4
    assert cell_width("e\u0301") == 1


def test_wrap_cells_breaks_cjk_anywhere_and_latin_at_spaces():
    assert all(cell_width(line) <= 10 for line in wrap_cells("周一斯坦福大学医学院的科学家宣布", 10))
    assert wrap_cells("the quick brown fox", 10) == ["the quick", "brown fox"]
    assert wrap_cells("anticonstitutionnellement", 10)[0] == "anticonsti"


def test_side_by_side_aligns_columns_with_wide_text():
    layout = segment("科学家宣布了一种新型诊断工具。\n\n第二段。", "zh")
    segs = [Segment(1, "paragraph", "zh", 1.0, "科学家宣布了一种新型诊断工具。", [], {"en": "Scientists announced a new diagnostic tool."}),
            Segment(2, "paragraph", "zh", 1.0, "第二段。", [], {"en": "Second paragraph."})]
    doc = Document("x", "zh", 1.0, ["en"], segs, layout)
    lines = side_by_side(doc, width=40).splitlines()
    bars = {cell_width(line.split("│")[0]) for line in lines if "│" in line}
    assert len(bars) == 1  # the separator sits in the same terminal column on every row
    assert lines[0].startswith("Chinese (zh)")


def test_progress_bar_only_on_a_terminal_and_not_when_quiet():
    tty, pipe = FakeTTY(), io.StringIO()
    assert wanted(False, tty) and not wanted(True, tty) and not wanted(False, pipe)
    bar = ProgressBar(tty)
    bar(5, 10)
    bar(10, 10)
    bar.close()
    out = tty.getvalue()
    assert "10/10" in out and out.startswith("\rtranslating [")
