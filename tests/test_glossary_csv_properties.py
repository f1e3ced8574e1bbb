"""Property-based tests of the CSV glossary loader: generated glossaries load back to the
concepts they were written from (line numbers included), and broken ones give
``path:line: column: problem`` lines, never another exception.

Fixed seed (derandomize), bounded examples, no example database: deterministic and fast.
"""

from __future__ import annotations

import csv
import io
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from translator.errors import GlossaryError
from translator.glossary import load_csv
from translator.languages import canonical

PROPERTY = settings(derandomize=True, max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# Each example writes then reads the same file in the test's tmp_path: no state is carried over.
LANGUAGES = ["fr", "en", "es", "de", "it"]
PROBLEM = r":\d+: [^:\n]+: [^\n]+"

# A term: letters, inner single spaces, apostrophes, hyphens, commas and quotes (CSV must
# quote those); a note may also hold line breaks.
_chars = st.sampled_from(list("abcéÉKzZ'’-,\"") + ["ab", "Kr", "ç"])
_inner = st.sampled_from([" ", ",", "\"", "-"])


@st.composite
def term(draw, breaks: bool = False) -> str:
    words = draw(st.lists(st.lists(_chars, min_size=1, max_size=4).map("".join), min_size=1, max_size=3))
    glue = st.sampled_from([" ", "\n", " "]) if breaks else st.just(" ")
    return "".join(w + draw(glue) for w in words[:-1]) + words[-1]


@st.composite
def glossaries(draw):
    """(header, rows, expected concepts): a valid glossary and what loading it must give."""
    langs = draw(st.lists(st.sampled_from(LANGUAGES), min_size=2, max_size=4, unique=True))
    extras = draw(st.lists(st.sampled_from(["note", "dnt", "case"]), unique=True))
    header = list(langs)
    for extra in extras:
        header.insert(draw(st.integers(0, len(header))), extra)
    rows, expected = [], []
    for i in range(draw(st.integers(0, 6))):
        source = [f"{v}{i}" for v in draw(st.lists(term(), min_size=1, max_size=2))]  # unique per row
        forms = {langs[0]: tuple(source)}
        for lang in langs[1:]:
            if draw(st.booleans()):
                forms[lang] = tuple(draw(st.lists(term(), min_size=1, max_size=2)))
        dnt = len(forms) < 2 or ("dnt" in extras and draw(st.booleans()))
        if dnt and "dnt" not in extras:
            forms[langs[1]] = (draw(term()),)
            dnt = False
        case = draw(st.sampled_from(["", "sensitive", "insensitive", "Sensitive"])) if "case" in extras else ""
        values = {lang: "|".join(forms.get(lang, ())) for lang in langs}
        values |= {"note": draw(term(breaks=True)) if draw(st.booleans()) else "",
                   "dnt": draw(st.sampled_from(["yes", "X", "true", "1"])) if dnt else draw(st.sampled_from(["", "no"])),
                   "case": case}
        rows.append([values[col] for col in header])
        expected.append((forms, values["note"] if "note" in extras else "", dnt,
                         None if not case else case.lower() == "sensitive"))
    return header, rows, expected


def _csv(header, rows, *, blank_every: int = 0) -> tuple[str, list[int]]:
    """The CSV text and the line each row starts on (a blank line after every *blank_every* rows)."""
    out, lines, line = [], [], 1
    for n, row in enumerate([header] + rows):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(row)
        lines.append(line)
        out.append(buffer.getvalue())
        line += buffer.getvalue().count("\n")
        if blank_every and n % blank_every == blank_every - 1:
            out.append("\n")
            line += 1
    return "".join(out), lines


@PROPERTY
@given(glossaries(), st.integers(0, 3), st.booleans())
def test_a_written_glossary_loads_back_to_its_concepts(tmp_path, case, blank_every, bom):
    header, rows, expected = case
    text, lines = _csv(header, rows, blank_every=blank_every)
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8-sig" if bom else "utf-8")
    loaded = load_csv(path)
    assert loaded.names == [str(path)] and loaded.source_language == header[[h in LANGUAGES for h in header].index(True)]
    got = [(c.forms, c.note, c.dnt, c.case_sensitive) for c in loaded.concepts]
    assert got == expected
    assert [c.origin for c in loaded.concepts] == [f"{path}:{line}" for line in lines[1:]]


def _mutate(kind: str, header: list[str], rows: list[list[str]], target: int):
    """Break row *target* (or the header, or the bytes) in one way; return the rows, the
    line index (0: header) the problem is on and the start of its message, or None when
    the problem is not tied to one row."""
    rows = [list(r) for r in rows]
    row = rows[target] if rows else None
    src = next(i for i, h in enumerate(header) if h in LANGUAGES)
    if kind == "unknown language":
        return [header[:-1] + ["xx"]] + rows, 0, f"column {len(header)}: unknown language code 'xx'"
    if row is None:
        return None
    if kind == "stray whitespace":
        row[src] += " "
        return [header] + rows, target + 1, f"{header[src]}: stray whitespace"
    if kind == "empty variant":
        row[src] += "||x"
        return [header] + rows, target + 1, f"{header[src]}: empty variant"
    if kind == "empty required":
        row[src] = ""
        return [header] + rows, target + 1, f"{header[src]}: empty required cell"
    if kind == "cell count":
        rows[target] = row[:-1]
        return [header] + rows, target + 1, f"row: {len(row) - 1} cells, the header has {len(header)}"
    if kind == "control character":
        row[src] += "\x00"
        return [header] + rows, target + 1, f"{header[src]}: control character U+0000"
    if kind == "duplicate":
        rows.insert(target + 1, list(row))
        return [header] + rows, target + 2, f"row: duplicate of line"
    if kind == "conflict":
        other = next(i for i, h in enumerate(header) if h in LANGUAGES and i != src)
        copy = list(row)
        copy[other] = "Autre"
        rows.insert(target + 1, copy)
        return [header] + rows, target + 2, f"{header[src]}: "
    raise AssertionError(kind)


KINDS = ["unknown language", "stray whitespace", "empty variant", "empty required", "cell count",
         "control character", "duplicate", "conflict"]


@PROPERTY
@given(glossaries(), st.sampled_from(KINDS), st.integers(0, 5))
def test_a_broken_row_is_one_line_naming_it(tmp_path, case, kind, which):
    header, rows, _ = case
    broken = _mutate(kind, header, rows, which % len(rows) if rows else 0)
    if broken is None:
        return
    all_rows, index, message = broken
    text, lines = _csv(all_rows[0], all_rows[1:])
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8")
    try:
        load_csv(path)
    except GlossaryError as exc:
        problems = exc.problems
    else:
        raise AssertionError(f"{kind}: loaded")
    assert all(re.fullmatch(re.escape(str(path)) + PROBLEM, p) for p in problems), problems
    assert f"{path}:{lines[index]}: {message}" in "\n".join(problems)


@PROPERTY
@given(st.binary(max_size=300) | st.text(alphabet="fren,\"|\n\r x\x00é'", max_size=120).map(str.encode))
@example(b'fr,en\n"Kremlin,Kremlin\nParis,Paris\n').via("a quote left open")
@example(b"\xef\xbb\xbf").via("a BOM alone")
@example(b"fr,en\r\nA,B\rC,D\n").via("mixed line ends")
def test_any_bytes_load_or_give_problem_lines(tmp_path, data):
    path = tmp_path / "g.csv"
    path.write_bytes(data)
    try:
        glossary = load_csv(path)
    except GlossaryError as exc:
        assert exc.problems and all(re.fullmatch(re.escape(str(path)) + PROBLEM, p) for p in exc.problems), \
            exc.problems
    else:
        assert canonical(glossary.source_language)


def test_a_cell_over_the_csv_field_limit_is_one_line_and_the_limit_is_left_alone(tmp_path):
    limit = csv.field_size_limit()
    path = tmp_path / "g.csv"
    path.write_text("fr,en\nKremlin,Kremlin\n\"Paris,Paris\n" + "Lyon,Lyon\n" * 15000, encoding="utf-8")
    try:
        load_csv(path)
    except GlossaryError as exc:
        assert exc.problems == [f"{path}:3: cell: over {limit:,} characters: a glossary cell holds terms, "
                                "not texts (is a quote left open?)"]
    else:
        raise AssertionError("loaded")
    assert csv.field_size_limit() == limit


def test_glossary_check_reports_a_huge_cell_in_one_line_exit_8(tmp_path, capsys):
    from translator.cli import main
    from translator.errors import ExitCode

    path = tmp_path / "g.csv"
    path.write_text("fr,en\nKremlin,Kremlin\nParis," + "x" * 200_000 + "\n", encoding="utf-8")
    assert main(["glossary", "check", str(path)]) == ExitCode.GLOSSARY == 8
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [f"{path}:3: cell: over {csv.field_size_limit():,} characters: "
                                         "a glossary cell holds terms, not texts (is a quote left open?)"]
