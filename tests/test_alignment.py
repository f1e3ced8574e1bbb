"""Sentence alignment for harvesting human edits (Gale-Church on lengths)."""

from __future__ import annotations

from translator.alignment import align, sentence_pairs

from .conftest import flores, needs_flores


def test_equal_lengths_align_one_to_one():
    src = ["Le Kremlin a confirmé la nouvelle.", "La Maison-Blanche a réagi hier.", "Fin."]
    tgt = ["The Kremlin confirmed the news.", "The White House reacted yesterday.", "End."]
    assert align(src, tgt) == [([0], [0]), ([1], [1]), ([2], [2])]
    assert sentence_pairs([src], [tgt]) == list(zip(src, tgt))


def test_empty_sides():
    assert align([], []) == []
    assert align(["Un."], []) == [([0], [])]
    assert sentence_pairs([], [["Orphan."]]) == []


@needs_flores
def test_real_edits_merge_split_delete_and_a_dropped_paragraph():
    fr, en = flores("fra", 100, 40), flores("eng", 100, 40)
    source = [fr[i:i + 4] for i in range(0, 40, 4)]  # 10 paragraphs of 4 sentences
    target = [list(p) for p in (en[i:i + 4] for i in range(0, 40, 4))]
    target[1][0:2] = [target[1][0] + " " + target[1][1]]  # two sentences merged
    long = target[3][2]
    cut = long.index(" ", len(long) // 2)
    target[3][2:3] = [long[:cut] + ".", long[cut + 1:]]  # one split in two
    del target[5][3]  # one sentence deleted
    del target[7]  # a whole paragraph dropped
    pairs = sentence_pairs(source, target)
    truth = set(zip(fr, en))
    wrong = [p for p in pairs if p not in truth]
    assert not wrong, wrong
    # every untouched sentence is found: 40 - 2 merged - 1 split - 1 deleted - 4 dropped
    assert len(pairs) >= 32 - 1
    assert (fr[4], en[4]) not in pairs and (fr[14], en[14]) not in pairs
    assert all(f != fr[28] for f, _ in pairs)  # its paragraph is gone


@needs_flores
def test_shifted_sentences_with_equal_counts_are_not_paired_wrongly():
    fr, en = flores("fra", 300, 6), flores("eng", 300, 6)
    # the editor merged 0+1 and split 4: the counts still agree, the pairs do not
    long = en[4]
    cut = long.index(" ", len(long) // 2)
    edited = [en[0] + " " + en[1], en[2], en[3], long[:cut] + ".", long[cut + 1:], en[5]]
    pairs = sentence_pairs([fr], [edited])
    assert set(pairs) <= set(zip(fr, en))
    assert {(fr[2], en[2]), (fr[3], en[3]), (fr[5], en[5])} <= set(pairs)
