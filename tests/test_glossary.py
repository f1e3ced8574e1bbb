from pathlib import Path

import pytest

from translator.errors import GlossaryError
from translator.glossary import Glossary, contains, load, load_csv, parse_rows

BAD = Path(__file__).parent / "glossaries" / "bad"

EXPECTED = {
    "unknown_language.csv": ":1: column 3: unknown language code 'xx'",
    "conflict.csv": ":3: fr: 'Poutine' is also on line 2 with other translations",
    "duplicate_row.csv": ":3: row: duplicate of line 2",
    "empty_required.csv": ":2: fr: empty required cell",
    "stray_whitespace.csv": ":2: fr: stray whitespace in 'Kremlin '",
    "stray_whitespace_variant.csv": ":2: fr: stray whitespace in 'cessez-le-feu| cessez le feu'",
    "empty_variant.csv": ":2: fr: empty variant in 'cessez-le-feu||cessez le feu'",
    "wrong_cell_count.csv": ":2: row: 3 cells, the header has 2",
    "duplicate_column.csv": ":1: column 3: duplicate column 'fr'",
    "bad_dnt.csv": ":2: dnt: 'maybe' is not yes or no",
    "bad_case.csv": ":2: case: 'upper' is not sensitive or insensitive",
    "single_language.csv": ":2: row: only one language filled",
    "empty.csv": ":1: header: empty file",
    "not_utf8.csv": ":2: file: not UTF-8 (byte 8)",
}


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in BAD.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_glossary(name):
    path = BAD / name
    with pytest.raises(GlossaryError) as err:
        load_csv(path)
    assert err.value.problems[0] == f"{path}{EXPECTED[name]}" or \
        err.value.problems[0].startswith(f"{path}{EXPECTED[name]}")


def test_all_problems_are_reported_not_only_the_first(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("fr,en\nKremlin ,Kremlin\n,Moscow\nParis,Paris\nParis,Paris\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as err:
        load_csv(path)
    assert [p.split(": ", 1)[0] for p in err.value.problems] == [f"{path}:2", f"{path}:3", f"{path}:5"]


def test_builtin_news_glossary_is_valid_and_broad():
    g = load("news")
    assert g.names == ["translator/glossaries/news.csv"] and g.source_language == "fr"
    assert all(c.origin.startswith("translator/glossaries/news.csv:") for c in g.concepts)
    assert len(g.concepts) >= 80
    assert {"fr", "en", "es", "de", "it", "pt"} <= g.languages
    full = [c for c in g.concepts if not c.dnt]
    assert all(set(c.forms) == {"fr", "en", "es", "de", "it", "pt"} for c in full)
    by_fr = {c.forms["fr"][0]: c for c in g.concepts}
    assert by_fr["Kremlin"].forms["de"] == ("Kreml",)
    assert by_fr["Poutine"].forms["en"] == ("Putin",) and by_fr["Poutine"].forms["de"] == ("Wladimir Putin",)
    assert by_fr["cessez-le-feu"].forms["es"] == ("alto el fuego",)
    assert by_fr["Maison-Blanche"].forms["de"] == ("Weißes Haus",)


def test_unknown_glossary_name():
    with pytest.raises(GlossaryError, match="no such glossary file, nor a built-in glossary"):
        load("sports-2031")


def _g(*rows, header=("fr", "en", "de", "case", "dnt")) -> Glossary:
    return parse_rows([list(header)] + [list(r) for r in rows], "t.csv")


NEWS = _g(("Poutine", "Putin", "Wladimir Putin", "sensitive", ""),
          ("Vladimir Poutine", "Vladimir Putin", "Wladimir Putin", "", ""),
          ("cessez-le-feu|cessez le feu", "ceasefire", "Waffenstillstand", "", ""),
          ("OTAN", "NATO", "NATO", "", ""),
          ("Kremlin", "Kremlin", "Kreml", "", ""),
          ("Anchorage", "Anchorage", "Anchorage", "", ""),
          ("sommet|sommets", "summit", "Gipfel", "", ""),
          ("Le Monde", "", "", "", "yes"))


def found(text, g=NEWS, lang="fr"):
    return [(m.text, m.required("de")) for m in g.find(text, lang)]


def test_longest_match_first():
    assert found("Vladimir Poutine a parlé.") == [("Vladimir Poutine", "Wladimir Putin")]
    assert found("Poutine a parlé.") == [("Poutine", "Wladimir Putin")]


def test_whole_words_only():
    assert found("La kremlinologie et le Kremlinois.") == []
    assert found("Le Kremlin, le Kremlin.") == [("Kremlin", "Kreml"), ("Kremlin", "Kreml")]


@pytest.mark.parametrize("text", ["l'OTAN", "l’OTAN", "d'Anchorage", "d’Anchorage", "qu'OTAN"])
def test_french_elision_and_apostrophes(text):
    assert len(found(text)) == 1


@pytest.mark.parametrize("text", ["cessez-le-feu", "cessez le feu", "Cessez-le-feu", "cessez\u00a0le\u00a0feu", "cessez-le feu"])
def test_hyphen_and_space_variants(text):
    assert found(f"Un {text} fragile.") == [(text, "Waffenstillstand")]


def test_case_rules_per_entry():
    assert found("la poutine québécoise") == []  # "Poutine" is case-sensitive
    assert found("l'otan") == []  # acronyms are case-sensitive by default
    assert found("le KREMLIN") == [("KREMLIN", "Kreml")]  # other terms are not


def test_listed_inflections():
    assert found("Deux sommets et un sommet.") == [("sommets", "Gipfel"), ("sommet", "Gipfel")]


def test_do_not_translate_keeps_the_source_form():
    assert [(m.text, m.required("en")) for m in NEWS.find("Selon Le Monde.", "fr")] == [("Le Monde", "Le Monde")]


def test_chinese_terms_match_without_word_spaces():
    zh = _g(("基辅", "Kyiv"), ("加拿大", "Canada"), header=("zh", "en"))
    assert [m.text for m in zh.find("基辅和莫斯科同意。", "zh")] == ["基辅"]
    # ... but not a name inside a longer word: 加拿大人 is "Canadians".
    assert [m.text for m in zh.find("加拿大人喜欢加拿大。", "zh")] == ["加拿大"]
    assert zh.find("加拿大人", "zh")[:1] == []


def test_later_glossaries_take_precedence():
    first = _g(("Kremlin", "Kremlin", "Kreml", "", ""))
    second = _g(("Kremlin", "the Kremlin", "der Kreml", "", ""))
    both = Glossary.combine([first, second])
    assert [m.required("de") for m in both.find("Le Kremlin.", "fr")] == ["der Kreml"]


def test_output_check_is_exact_but_for_the_first_letter():
    assert contains("Alto el fuego : ...", "alto el fuego")
    assert contains("La Casa Blanca ha", "Casa Blanca")
    assert not contains("La Casa-Blanca ha", "Casa Blanca")
    assert not contains("el banco Central europeo", "Banco Central Europeo")
    assert not contains("ceasefires", "ceasefire")


def test_matching_a_long_article_with_a_large_glossary_is_one_pass():
    rows = [(f"terme{i}", f"term{i}", f"Begriff{i}", "", "") for i in range(5000)] + list(NEWS_ROWS)
    g = _g(*rows)
    text = "Le Kremlin et terme4999 puis terme12. " * 500
    matches = g.find(text, "fr")
    assert len(matches) == 1500 and matches[1].required("en") == "term4999"


NEWS_ROWS = [("Kremlin", "Kremlin", "Kreml", "", "")]
