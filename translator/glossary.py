"""Domain glossaries: loading and validating CSV (and TBX), and finding terms in text.

CSV layout ("equivalent term sets", as Google and Amazon glossaries): a header row
of language codes, one concept per row.  Optional columns: ``note``, ``dnt``
(do not translate: keep the source form in every language), ``case``
(``sensitive`` or ``insensitive``; by default acronyms such as "ONU" are
case-sensitive and other terms are not), and per language the grammar of its form,
``es_gender`` (``m``, ``f`` or ``n``) and ``es_number`` (``sg`` or ``pl``), which engines
use to make the words around an enforced term agree with it.  A cell may list variants separated by
``|``: the first is the form to produce, the others are accepted source forms.

Matching is one Aho-Corasick pass (pyahocorasick) over a normalised copy of the
text of the same length: lower case, one kind of apostrophe, hyphens and spaces
alike ("cessez-le-feu" = "cessez le feu").  Whole words only, longest match first.
A text checked for many forms (an output, against every term of its sentence) is
folded once: see :class:`Haystack`.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GlossaryError, InputError
from .languages import canonical

OPTIONAL_COLUMNS = ("note", "dnt", "case")
GRAMMAR = {"gender": ("m", "f", "n"), "number": ("sg", "pl")}  # optional columns "<lang>_gender"...
_TRUE = {"yes", "true", "1", "y", "x"}
_FALSE = {"no", "false", "0", "n", ""}
_APOSTROPHES = "’ʼ‘`´"
_JOINERS = "-‐‑‒–\u00a0\u202f\u2009"
# Without word spaces, a name followed by these makes another word:
# 加拿大 (Canada) + 人 = Canadians, 法国 + 人 = French people, 英 + 语 = English.
_CJK_WORD_SUFFIXES = {"zh": "人语籍", "zt": "人語籍", "ja": "人語"}


def _fold_char(ch: str, lower: bool, joiners: bool = True) -> str:
    if ch in _APOSTROPHES:
        return "'"
    if joiners and ch in _JOINERS:
        return " "
    if lower:
        low = ch.lower()
        return low if len(low) == 1 else ch
    return ch


class _FoldTable(dict):
    """A ``str.translate`` table that folds each character the first time it is seen,
    so that folding runs at the speed of ``str.translate``, not one Python call a character."""

    def __init__(self, lower: bool, joiners: bool) -> None:
        super().__init__()
        self.lower, self.joiners = lower, joiners

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code), self.lower, self.joiners)
        if len(self) < _TABLE_SIZE:  # a bound, should a text hold every character there is
            self[code] = folded
        return folded


_TABLE_SIZE = 1 << 16


@functools.cache
def _fold_table(lower: bool, joiners: bool) -> _FoldTable:
    return _FoldTable(lower, joiners)


def fold(text: str, *, lower: bool = True, joiners: bool = True) -> str:
    """The matching form of *text*, of the same length (offsets carry over).
    With *joiners* False, hyphens and spaces stay distinct (checking an output)."""
    return text.translate(_fold_table(lower, joiners))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and unicodedata.east_asian_width(ch) not in ("W", "F")


@dataclass(frozen=True)
class Concept:
    """One row: the forms of a concept per language (preferred form first)."""

    forms: dict[str, tuple[str, ...]]
    note: str = ""
    dnt: bool = False
    case_sensitive: bool | None = None  # None: sensitive for acronyms only
    origin: str = ""  # "path:line"
    #: per language, the gender and number of its form, where the glossary says them
    grammar: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    code: bool = False  # an inline code of a document (markup), not a word

    def grammar_of(self, lang: str) -> tuple[str | None, str | None]:
        """The (gender, number) of this concept's form in *lang*; None where unknown."""
        return self.grammar.get(lang, (None, None))

    def target(self, lang: str, matched: str) -> str | None:
        """The form required in *lang* for a match of *matched*, or None if not enforced."""
        if self.dnt:
            return matched
        forms = self.forms.get(lang)
        return forms[0] if forms else None

    def is_case_sensitive(self, form: str) -> bool:
        if self.case_sensitive is not None:
            return self.case_sensitive
        letters = [c for c in form if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    def __hash__(self) -> int:
        return hash(self.origin)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    concept: Concept

    def required(self, lang: str) -> str | None:
        return self.concept.target(lang, self.text)


@dataclass
class Glossary:
    """Concepts from one or more files.  Later files take precedence for a source form."""

    concepts: list[Concept] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    source_language: str = ""  # the first language column: source forms are unique there
    _automata: dict = field(default_factory=dict, repr=False)

    @property
    def languages(self) -> set[str]:
        return {lang for c in self.concepts for lang in c.forms}

    def __bool__(self) -> bool:
        return bool(self.concepts)

    @classmethod
    def combine(cls, glossaries: list[Glossary]) -> Glossary:
        merged = cls(source_language=glossaries[0].source_language if glossaries else "")
        for g in glossaries:
            merged.concepts.extend(g.concepts)
            merged.names.extend(g.names)
        return merged

    def _automaton(self, lang: str):
        if lang not in self._automata:
            import ahocorasick  # lazy: only runs with a glossary

            automaton = ahocorasick.Automaton()
            for concept in self.concepts:  # later concepts overwrite earlier ones
                forms = concept.forms.get(lang, ())
                if concept.dnt and not forms:
                    forms = next(iter(concept.forms.values()), ())
                for form in forms:
                    key = fold(form)
                    exact = fold(form, lower=False) if concept.is_case_sensitive(form) else None
                    automaton.add_word(key, (len(key), concept, exact))
            if len(automaton):
                automaton.make_automaton()
                self._automata[lang] = automaton
            else:
                self._automata[lang] = None
        return self._automata[lang]

    def find(self, text: str, lang: str) -> list[Match]:
        """Glossary terms in *text* (in *lang*): whole words, leftmost-longest, no overlaps."""
        automaton = self._automaton(lang)
        if automaton is None or not text:
            return []
        hay = Haystack(text)
        suffixes = _CJK_WORD_SUFFIXES.get(lang, "")
        candidates = []
        for end_index, (length, concept, exact) in automaton.iter(hay.folded()):
            start, end = end_index - length + 1, end_index + 1
            if not _bounded(text, start, end) or (suffixes and end < len(text) and text[end] in suffixes):
                continue
            if exact is not None and hay.folded(lower=False)[start:end] != exact:
                continue
            candidates.append((start, -(end - start), end, concept))
        candidates.sort(key=lambda c: (c[0], c[1]))
        matches, last_end = [], 0
        for start, _, end, concept in candidates:
            if start >= last_end:
                matches.append(Match(start, end, text[start:end], concept))
                last_end = end
        return matches


def _bounded(text: str, start: int, end: int) -> bool:
    """Whole word: no letter or digit glued on either side (CJK has no word spaces)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before and _is_word_char(before) and _is_word_char(text[start]):
        return False
    if after and _is_word_char(after) and _is_word_char(text[end - 1]):
        return False
    return True


class Haystack:
    """A text to look many glossary forms up in, folded once.

    Checking every term of a sentence against one output used to fold the whole
    output again for each term: quadratic on a long sentence full of terms.  Here each
    folding is done at most once, each answer is kept per form, and :meth:`locate`
    resumes where the previous search of the same form stopped, so that walking a
    text with a growing cursor reads it once per distinct form.
    """

    __slots__ = ("text", "_folds", "_contains", "_located")

    def __init__(self, text: str) -> None:
        self.text = text
        self._folds: dict[tuple[bool, bool], str] = {}
        self._contains: dict[tuple[str, bool], bool] = {}
        self._located: dict[tuple[str, bool], tuple[int, tuple[int, int] | None]] = {}

    def folded(self, *, lower: bool = True, joiners: bool = True) -> str:
        key = (lower, joiners)
        if key not in self._folds:
            self._folds[key] = fold(self.text, lower=lower, joiners=joiners)
        return self._folds[key]

    def contains(self, form: str, *, case_sensitive: bool = False) -> bool:
        """True when *form* is in the text as whole words, as written: only the case of its
        first letter may differ (sentence starts), unless *case_sensitive*, and the
        apostrophe style.  "Casa-Blanca" or "banco Central europeo" is not "Casa Blanca"
        or "Banco Central Europeo"."""
        key = (form, case_sensitive)
        if key not in self._contains:
            self._contains[key] = self._contains_now(form, case_sensitive)
        return self._contains[key]

    def _contains_now(self, form: str, case_sensitive: bool) -> bool:
        hay, needle = self.folded(lower=False, joiners=False), fold(form, lower=False, joiners=False)
        if not needle:
            return False
        head, rest = needle[0], needle[1:]
        # A case variant of one character only: "ß".upper() is "SS", and "SS-b" is not "ß-b".
        heads = {head} if case_sensitive else {h for h in (head, head.lower(), head.upper()) if len(h) == 1}
        for first in heads:
            start = hay.find(first + rest)
            while start != -1:
                if _bounded(self.text, start, start + len(needle)):
                    return True
                start = hay.find(first + rest, start + 1)
        return False

    def locate(self, form: str, after: int = 0, *, lower: bool = True) -> tuple[int, int] | None:
        """The first whole-word occurrence of *form* at or after *after* (hyphens and
        spaces alike; the case too, if *lower*), as (start, end)."""
        key = (form, lower)
        searched, found = self._located.get(key, (-1, None))
        if 0 <= searched <= after and (found is None or found[0] >= after):
            return found  # nothing between the last search's start and what it found
        hay, needle = self.folded(lower=lower), fold(form, lower=lower)
        start = hay.find(needle, after)
        while start != -1 and not _bounded(self.text, start, start + len(needle)):
            start = hay.find(needle, start + 1)
        found = None if start == -1 else (start, start + len(needle))
        self._located[key] = (after, found)
        return found


@functools.lru_cache(maxsize=4)
def haystack(text: str) -> Haystack:
    """The :class:`Haystack` of *text*, shared by successive checks of the same text
    (callers check each term of a sentence against one output in a row)."""
    return Haystack(text)


def should_be(term: str, required: str) -> str:
    """A missing required form as reported: "term 'Maison-Blanche' should be 'Casa Blanca'",
    or, for a term translated as itself (a name), "term 'Kremlin' should be kept as it is"
    ("should be 'Kremlin'" read as if nothing were wrong)."""
    if term == required:
        return f"term {term!r} should be kept as it is"
    return f"term {term!r} should be {required!r}"


def contains(text: str, form: str, *, case_sensitive: bool = False) -> bool:
    """True when *form* is in *text* as whole words, as written (see :meth:`Haystack.contains`)."""
    return haystack(text).contains(form, case_sensitive=case_sensitive)


# -- loading and validation ---------------------------------------------------------------
def builtin_dir() -> Path:
    """The built-in glossaries, package data of ``translator`` (``translator/glossaries``)."""
    from importlib.resources import files

    return Path(str(files(__package__) / "glossaries"))


def resolve(spec: str) -> Path:
    """A built-in glossary name (``news``) or a path."""
    path = Path(spec)
    if path.exists() or os.sep in spec or spec.endswith((".csv", ".tbx")):
        return path
    folder = builtin_dir()
    builtin = folder / f"{spec}.csv"
    if builtin.exists():
        return builtin
    names = ", ".join(sorted(p.stem for p in folder.glob("*.csv"))) or "none"
    raise GlossaryError([f"{spec}: no such glossary file, nor a built-in glossary (built-in: {names})"])


def load(specs: list[str] | str) -> Glossary:
    """Load and combine glossaries (names or paths); later ones take precedence."""
    specs = [specs] if isinstance(specs, str) else specs
    problems, loaded = [], []
    for spec in specs:
        try:
            path = resolve(spec)
            if path.suffix.lower() == ".tbx":
                loaded.append(load_tbx(path))
            else:  # a built-in is named by its place in the package, the same on every machine
                builtin = path.parent == builtin_dir()
                loaded.append(load_csv(path, name=f"translator/glossaries/{path.name}" if builtin else None))
        except GlossaryError as exc:
            problems.extend(exc.problems)
    if problems:
        raise GlossaryError(problems)
    return Glossary.combine(loaded)


def load_csv(path: str | os.PathLike[str], *, name: str | None = None) -> Glossary:
    """Read and strictly validate a CSV glossary; raise :class:`GlossaryError` listing every
    problem.  *name* is how problems and term origins name the file (default: its path)."""
    from .textio import read_bytes

    name = name or os.fspath(path)
    if not Path(path).exists():
        raise GlossaryError([f"{name}: no such glossary file"])
    try:
        raw = read_bytes(path)  # a regular file, under the size cap (never a FIFO)
    except InputError as exc:
        raise GlossaryError([f"{name}: {exc.message}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise GlossaryError([f"{name}:{line}: file: not UTF-8 (byte {exc.start}): save it as UTF-8"]) from None
    rows, lines = _read_rows(text, name)
    return parse_rows(rows, name, lines)


def _read_rows(text: str, name: str) -> tuple[list[list[str]], list[int]]:
    """The CSV records of *text* and the line each starts on (a cell may hold line breaks).

    A record the csv module refuses (a cell over its field size limit, which is
    process-wide and left as it is) is one :class:`GlossaryError` line naming where it starts.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            problem = (f"cell: over {csv.field_size_limit():,} characters: a glossary cell holds terms, "
                       "not texts (is a quote left open?)")
        else:
            problem = f"row: not valid CSV ({exc})"
        raise GlossaryError([f"{name}:{start}: {problem}"]) from None
    return rows, lines


def parse_rows(rows: list[list[str]], name: str, lines: list[int] | None = None) -> Glossary:
    """Validate *rows* (the header first); *lines*: the line each row starts on in the
    file (by default, one row a line)."""
    problems: list[str] = []
    lines = lines or list(range(1, len(rows) + 1))
    if not rows or not any(c.strip() for c in rows[0]):
        raise GlossaryError([f"{name}:1: header: empty file: the first row must list language codes (fr,en,es...)"])
    header = rows[0]
    columns: list[str] = []
    for i, cell in enumerate(header, 1):
        key = cell.strip().lower()
        if cell != cell.strip():
            problems.append(f"{name}:1: column {i}: stray whitespace in {cell!r}")
        if _grammar_column(key):
            lang, _, kind = key.rpartition("_")
            key = f"{canonical(lang) or lang}_{kind}"
        elif key not in OPTIONAL_COLUMNS:
            key = canonical(key) or key
            if canonical(key) is None:
                problems.append(f"{name}:1: column {i}: unknown language code {cell.strip()!r}")
        if key in columns:
            problems.append(f"{name}:1: column {i}: duplicate column {cell.strip()!r}")
        columns.append(key)
    langs = [c for c in columns if c not in OPTIONAL_COLUMNS and not _grammar_column(c)]
    if len(langs) < 1:
        problems.append(f"{name}:1: header: no language column")
    for i, col in enumerate(columns, 1):
        if _grammar_column(col) and col.rpartition("_")[0] not in langs:
            problems.append(f"{name}:1: column {i}: {header[i - 1].strip()!r} names no language column of this file")
    if problems:
        raise GlossaryError(problems)

    concepts: list[Concept] = []
    seen_rows: dict[tuple, int] = {}
    seen_forms: dict[tuple[str, str], tuple[int, Concept]] = {}
    for line, row in zip(lines[1:], rows[1:]):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append(f"{name}:{line}: row: {len(row)} cells, the header has {len(columns)}")
            continue
        values = dict(zip(columns, row))
        row_problems = []
        for col, cell in values.items():
            if cell != cell.strip() or "  " in cell or any(p != p.strip() for p in cell.split("|")):
                row_problems.append(f"{name}:{line}: {col}: stray whitespace in {cell!r}")
            control = _control(cell)
            if control:
                row_problems.append(f"{name}:{line}: {col}: control character U+{ord(control):04X} in {cell!r}")
        dnt_text = values.get("dnt", "").strip().lower()
        if dnt_text not in _TRUE | _FALSE:
            row_problems.append(f"{name}:{line}: dnt: {values['dnt']!r} is not yes or no")
        case_text = values.get("case", "").strip().lower()
        if case_text not in ("", "sensitive", "insensitive"):
            row_problems.append(f"{name}:{line}: case: {values['case']!r} is not sensitive or insensitive")
        grammar = _row_grammar(values, columns, name, line, row_problems)
        forms: dict[str, tuple[str, ...]] = {}
        for lang in langs:
            cell = values[lang].strip()
            if not cell:
                continue
            variants = tuple(v.strip() for v in cell.split("|"))
            if any(not v for v in variants):
                row_problems.append(f"{name}:{line}: {lang}: empty variant in {values[lang]!r}")
                continue
            forms[lang] = variants
        dnt = dnt_text in _TRUE
        row_problems += [f"{name}:{line}: {lang}_{kind}: set, but the {lang} cell is empty"
                         for lang, kind in _grammar_cells(values, columns) if lang not in forms and not dnt]
        if langs[0] not in forms:
            row_problems.append(f"{name}:{line}: {langs[0]}: empty required cell (the first language column)")
        elif not dnt and len(forms) < 2:
            row_problems.append(f"{name}:{line}: row: only one language filled: add a translation or set dnt")
        if row_problems:
            problems.extend(row_problems)
            continue
        key = tuple(cell.strip() for cell in row)
        if key in seen_rows:
            problems.append(f"{name}:{line}: row: duplicate of line {seen_rows[key]}")
            continue
        seen_rows[key] = line
        concept = Concept(forms, values.get("note", "").strip(), dnt,
                          None if not case_text else case_text == "sensitive", f"{name}:{line}", grammar)
        # The first column is the source side: one source form, one set of targets.
        # (Other columns may repeat: "Poutine" and "Vladimir Poutine" are both "Wladimir Putin".)
        source = langs[0]
        for variant in forms[source]:
            other = seen_forms.get((source, fold(variant)))
            if other and other[1].forms != concept.forms:
                problems.append(f"{name}:{line}: {source}: {variant!r} is also on line {other[0]} "
                                f"with other translations: one source form, one concept")
            seen_forms.setdefault((source, fold(variant)), (line, concept))
        concepts.append(concept)
    if problems:
        raise GlossaryError(problems)
    return Glossary(concepts, [name], langs[0])


def _grammar_column(key: str) -> bool:
    """A column giving the grammar of one language's forms: ``es_gender``, ``pt_number``."""
    lang, sep, kind = key.rpartition("_")
    return bool(sep) and kind in GRAMMAR and canonical(lang) is not None


def _grammar_cells(values: dict[str, str], columns: list[str]) -> list[tuple[str, str]]:
    """The (language, kind) of the grammar cells of a row that are filled."""
    return [tuple(c.rsplit("_", 1)) for c in columns if _grammar_column(c) and values[c].strip()]


def _row_grammar(values: dict[str, str], columns: list[str], name: str, line: int,
                 problems: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """The grammar columns of a row, per language: (gender, number); problems appended."""
    found: dict[str, dict[str, str]] = {}
    for lang, kind in _grammar_cells(values, columns):
        cell = values[f"{lang}_{kind}"].strip()
        if cell.lower() not in GRAMMAR[kind]:
            allowed = " or ".join(GRAMMAR[kind])
            problems.append(f"{name}:{line}: {lang}_{kind}: {cell!r} is not {allowed}")
            continue
        found.setdefault(lang, {})[kind] = cell.lower()
    return {lang: (g.get("gender"), g.get("number")) for lang, g in found.items()}


def _control(cell: str) -> str:
    """The first control character of *cell* (line breaks and tabs aside), or ""; a NUL
    or an escape in a term is damage, and NUL marks protected pieces in the engines."""
    if cell.isprintable():
        return ""
    return next((ch for ch in cell if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"), "")


def load_tbx(path: str | os.PathLike[str]) -> Glossary:
    from .tbx import read_tbx

    return read_tbx(path)
