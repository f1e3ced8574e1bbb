import pytest

from translator.segmentation import segment, split_sentences

from .conftest import flores, needs_flores

TEXTS = [
    "Titre\n\nUn paragraphe. Deux phrases.\n",
    "\n\n  Indenté\n\n\n\nParagraphe  avec  espaces.   \n\n",
    "Ligne Windows.\r\n\r\nAutre ligne.\r\n",
    "- premier point\n- second point.\n\n1. un\n2. deux\n",
    "Un paragraphe coupé\nen plusieurs lignes qui\ncontinue ici. Et finit.\n",
    "# Titre Markdown\n\nTexte avec [un lien](https://example.org/a_b).\n",
    "周一，科学家宣布。他们发明了新工具。\n\n第二段。",
    "\t\tTabulé\n \nligne après espace-ligne",
]


@pytest.mark.parametrize("text", TEXTS)
def test_source_rebuilds_exactly(text):
    layout = segment(text, "fr")
    assert layout.join([b.source for b in layout.blocks]) == text


@pytest.mark.parametrize("text", [t for t in TEXTS if "coupé" not in t])
def test_identity_translation_keeps_all_whitespace(text):
    layout = segment(text, "fr")
    rendered = [b.render([[s.strip() for s in u.sentences] for u in b.units]) for b in layout.blocks]
    assert layout.join(rendered) == text


def test_blank_lines_and_markers_stay_in_place_when_translated():
    text = "\n  Monde\n\n\n- premier point\n- second point.   \n\nFin.\n"
    layout = segment(text, "fr")
    out = layout.join([b.render([[s.strip().upper() for s in u.sentences] for u in b.units]) for b in layout.blocks])
    assert out == "\n  MONDE\n\n\n- PREMIER POINT\n- SECOND POINT.   \n\nFIN.\n"


def test_hard_wrapped_paragraph_is_joined_and_rewrapped():
    text = "Un paragraphe coupé\nen plusieurs lignes qui\ncontinue ici.\n"
    layout = segment(text, "fr")
    (block,) = layout.blocks
    assert len(block.units) == 1
    assert block.units[0].text == "Un paragraphe coupé en plusieurs lignes qui continue ici."
    out = block.render([["A paragraph cut over several lines that goes on here."]])
    assert all(len(line) <= 23 for line in out.splitlines())
    assert out.replace("\n", " ") == "A paragraph cut over several lines that goes on here."


def test_kinds_title_and_paragraph():
    layout = segment("Monde\n\n# Un titre\n\nLe texte. La suite.\n\nUne phrase complète.", "fr")
    assert [b.kind for b in layout.blocks] == ["title", "title", "paragraph", "paragraph"]


@pytest.mark.parametrize("text, expected", [
    ("M. Dupont est arrivé. Il pleuvait.", ["M. Dupont est arrivé.", "Il pleuvait."]),
    ("Mme Durand et Mlle Roy sont là. MM. Blanc aussi.", ["Mme Durand et Mlle Roy sont là.", "MM. Blanc aussi."]),
    ("J. K. Rowling écrit. Elle publie.", ["J. K. Rowling écrit.", "Elle publie."]),
    ("Le PIB a crû de 3,5 % et de 2.5 points. Bien.", ["Le PIB a crû de 3,5 % et de 2.5 points.", "Bien."]),
    ("Il a dit : « Je viens. » Puis il est parti.", ["Il a dit : « Je viens. »", "Puis il est parti."]),
    ("Des pommes, des poires, etc. et des fraises.", ["Des pommes, des poires, etc. et des fraises."]),
    ("Piquet Jr. s'est écrasé en 2008. Il a été limogé.", ["Piquet Jr. s'est écrasé en 2008.", "Il a été limogé."]),
    ("Le Dr. House arrive ! Vraiment ? Oui…", ["Le Dr. House arrive !", "Vraiment ?", "Oui…"]),
])
def test_french_sentences(text, expected):
    parts = split_sentences(text, "fr")
    assert "".join(parts) == text
    assert [p.strip() for p in parts] == expected


def test_other_languages_abbreviations():
    assert [s.strip() for s in split_sentences("Mr. Smith left. Mrs. Jones stayed.", "en")] == \
        ["Mr. Smith left.", "Mrs. Jones stayed."]
    assert [s.strip() for s in split_sentences("Hr. Müller kam. Dr. Weber ging.", "de")] == \
        ["Hr. Müller kam.", "Dr. Weber ging."]
    assert [s.strip() for s in split_sentences("La Sra. García llegó. El Sr. Pérez no.", "es")] == \
        ["La Sra. García llegó.", "El Sr. Pérez no."]


def test_chinese_sentences_and_translation_gap():
    layout = segment("科学家宣布。他们发明了新工具。", "zh")
    unit = layout.blocks[0].units[0]
    assert [s.strip() for s in unit.sentences] == ["科学家宣布。", "他们发明了新工具。"]
    # No space between CJK sentences; an English translation needs one.
    assert unit.render(["Scientists announced.", "They invented a tool."]) == \
        "Scientists announced. They invented a tool."


@needs_flores
def test_flores_french_boundaries_are_found():
    """Join neighbouring FLORES sentences into paragraphs and split them back."""
    lines = [line.strip() for line in flores("fra", 0, 200)]
    found = total = 0
    for i in range(0, len(lines), 4):
        group = lines[i:i + 4]
        parts = [p.strip() for p in split_sentences(" ".join(group), "fr")]
        boundaries = set()
        pos = 0
        for p in parts[:-1]:
            pos += len(p) + 1
            boundaries.add(pos)
        gold, pos = set(), 0
        for s in group[:-1]:
            pos += len(s) + 1
            gold.add(pos)
        found += len(gold & boundaries)
        total += len(gold)
    assert found / total >= 0.97
