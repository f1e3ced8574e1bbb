import pytest

from translator.errors import GlossaryError
from translator.glossary import load
from translator.tbx import read_tbx, write_csv, write_tbx

WEBLATE = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="fr-FR">
<text><body>
<termEntry id="1"><descrip type="definition">talks</descrip>
 <langSet xml:lang="fr-FR"><tig><term>pourparlers</term></tig></langSet>
 <langSet xml:lang="en"><ntig><termGrp><term>talks</term></termGrp></ntig></langSet>
 <langSet xml:lang="pt_BR"><tig><term>conversações</term></tig></langSet>
</termEntry>
<termEntry id="2">
 <langSet xml:lang="fr-FR"><tig><term>Kyiv</term></tig><tig><term>Kiev</term></tig></langSet>
 <langSet xml:lang="en"><tig><term>Kyiv</term></tig></langSet>
</termEntry>
</body></text></martif>
"""


def test_round_trip_of_the_news_glossary(tmp_path):
    news = load("news")
    path = tmp_path / "news.tbx"
    path.write_text(write_tbx(news), encoding="utf-8")
    back = read_tbx(path)
    assert back.source_language == "fr" and len(back.concepts) == len(news.concepts)
    assert [m.required("de") for m in back.find("Le Kremlin et la Maison-Blanche.", "fr")] == ["Kreml", "Weißes Haus"]
    assert write_csv(back).splitlines()[0] == "fr,de,en,es,it,pt,note,dnt,case"


def test_reads_weblate_style_tbx_with_region_codes(tmp_path):
    path = tmp_path / "weblate.tbx"
    path.write_text(WEBLATE, encoding="utf-8")
    g = read_tbx(path)
    assert g.source_language == "fr"
    assert [(m.text, m.required("en")) for m in g.find("Les pourparlers de Kiev.", "fr")] == \
        [("pourparlers", "talks"), ("Kiev", "Kyiv")]
    assert g.concepts[0].forms["pt"] == ("conversações",) and g.concepts[0].note == "talks"


def test_invalid_xml_names_the_line(tmp_path):
    path = tmp_path / "bad.tbx"
    path.write_text("<martif>\n<text>\n<body></text>", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"bad.tbx:3: invalid TBX: mismatched tag \(column \d+\)"):
        read_tbx(path)


def test_multibyte_encodings_and_utf16_entities(tmp_path):
    """Read as XML says (Shift_JIS here); an entity declaration in UTF-16 is refused too."""
    path = tmp_path / "ja.tbx"
    path.write_bytes('<?xml version="1.0" encoding="Shift_JIS"?><martif type="TBX-Basic" xml:lang="ja"><text><body>'
                     '<termEntry><langSet xml:lang="ja"><tig><term>東京</term></tig></langSet><langSet xml:lang="fr">'
                     '<tig><term>Tokyo</term></tig></langSet></termEntry></body></text></martif>'.encode("shift_jis"))
    assert read_tbx(path).concepts[0].forms == {"ja": ("東京",), "fr": ("Tokyo",)}
    lol = tmp_path / "lol16.tbx"
    lol.write_bytes('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE m [<!ENTITY a "aaaa">]><martif>&a;</martif>'
                    .encode("utf-16"))
    with pytest.raises(GlossaryError, match="lol16.tbx:1: invalid TBX: entity declarations are refused"):
        read_tbx(lol)


def test_entities_are_refused(tmp_path):
    path = tmp_path / "lol.tbx"
    path.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><martif>&a;</martif>', encoding="utf-8")
    with pytest.raises(GlossaryError, match="entity declarations are refused"):
        read_tbx(path)
