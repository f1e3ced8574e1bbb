import os

import pytest

from translator.errors import InputError, OutputError
from translator.textio import decode, output_path, read_text, write_atomic


def test_utf8_with_and_without_bom():
    assert decode("élan".encode(), name="a") == ("élan", "utf-8")
    assert decode("\ufeffélan".encode(), name="a") == ("élan", "utf-8")


def test_utf16_with_bom():
    assert decode("élan vital".encode("utf-16"), name="a")[0] == "élan vital"


def test_windows_1252_french_is_detected():
    text, enc = decode("Le cessez-le-feu « fragile » coûte 3 €.".encode("cp1252"), name="a")
    assert enc == "cp1252" and "« fragile »" in text and "€" in text


def test_other_encodings_are_refused_with_the_fix():
    with pytest.raises(InputError, match="not UTF-8.*iconv") as err:
        decode("日本語のテキストです".encode("shift_jis"), name="jp.txt")
    assert str(err.value).startswith("jp.txt:1: not UTF-8 (byte ")


def test_explicit_encoding():
    assert decode("日本語".encode("shift_jis"), name="a", encoding="shift_jis")[0] == "日本語"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(0, 32)) * 20])
def test_binary_is_refused(data):
    with pytest.raises(InputError, match="binary"):
        decode(data, name="img.png")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t"])
def test_empty_is_refused(data):
    with pytest.raises(InputError, match="empty"):
        decode(data, name="e.txt")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_output_path():
    assert str(output_path("news/article.txt", "es")) == "news/article.es.txt"
    assert str(output_path("news/article.md", "en", "out")) == "out/article.en.md"
    assert str(output_path("README", "de")) == "README.de"


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "a.es.txt"
    write_atomic(target, "hola\n")
    assert target.read_text(encoding="utf-8") == "hola\n"
    assert os.listdir(target.parent) == ["a.es.txt"]


def test_never_overwrites_an_input(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("original", encoding="utf-8")
    with pytest.raises(OutputError, match="overwrite an input"):
        write_atomic(src, "x", protect=(src,))
    assert src.read_text(encoding="utf-8") == "original"
