"""Glossary terms through Apertium with their analysis, so that the grammar around them holds.

A term copied as an inline tag is invisible to Apertium's grammar: the article
before it stays as the source had it ("Los conversaciones"), a verb next to it is
read as a main verb ("De los ataques aéreos tienen tocado").  Here the mode's
programs run in parts and the stream is edited between them (see
:mod:`.apertium_stream` for the format):

1. after the morphological analyser, the words of each term (wrapped by the
   caller in ``<tm id="k">...</tm>``, which the HTML deformatter makes
   superblanks) become one lexical unit with a single analysis, a noun or proper
   noun with the gender and number of the term's head, so that the constraint
   grammar and the tagger disambiguate the words around it as they would around
   a known noun;
2. after the bilingual dictionary, that unit's translation becomes the required
   form, with the gender and number of the required form (from the glossary's
   optional columns, else from the target language's own analyser: it knows that
   "conversaciones" is a feminine plural noun), so that the structural transfer
   makes the determiners, adjectives and participles agree with it;
3. after the generator, which marks the form as unknown (``#``), the mark is
   removed before post-generation, which then elides and contracts around it as
   around any word ("l'attacco aereo").

Each document is independent: the tagger (whose state may carry over, see
:class:`.apertium_pipe.ModePipeline`) runs once per document, the other programs in
null-flush mode.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import EngineError
from .apertium_stream import Reading, Token, escape, parse_reading, readings, tokens

_TIMEOUT = 600
MARK = re.compile(r'<tm id="(\d+)">|<\\?/tm>')
_MARKER = "tmterm"
_GENDERS = frozenset({"m", "f", "mf", "nt", "GD", "ut"})  # Apertium's tags ("n" is a noun)
_NUMBERS = frozenset({"sg", "pl", "sp", "ND"})
_NOUNS = ("n", "np")
_HEAD_LAST = frozenset({"en"})
_GENDERLESS = frozenset({"en"})  # languages whose nouns have no gender tags  # languages whose noun phrases end with their head ("top diplomat")


@dataclass(frozen=True)
class Carried:
    """A term of a document: the form the output must have, with what the glossary
    says of its gender (m, f) and number (sg, pl) in the target language, if anything."""

    required: str
    gender: str | None = None
    number: str | None = None
    source: str = ""  # the term as the step's input has it

    @property
    def copied(self) -> bool:
        """Carried unchanged (a pivot language the glossary has no form for, a name)."""
        return self.required == self.source


@dataclass(frozen=True)
class Parts:
    """A mode's programs cut where the stream is edited."""

    analyse: list[list[str]]  # the morphological analyser (and word-bound blank attachment)
    before_tagger: list[list[str]]  # constraint grammar, if any
    tagger: list[str]
    lexical: list[list[str]]  # pretransfer ... bilingual dictionary, lexical selection
    structural: list[list[str]]  # transfer ... generator
    postgen: list[list[str]]


def split_commands(commands: list[list[str]]) -> Parts | None:
    """*commands* (null-flush programs of a mode) in :class:`Parts`; None when the mode
    does not have the usual shape (analyser, tagger, transfer, post-generator)."""
    names = [Path(c[0]).name for c in commands]
    if not names or names[0] != "lt-proc" or "apertium-tagger" not in names or names[-1] != "lt-proc":
        return None
    cut = 2 if len(names) > 1 and names[1] == "apertium-wblank-attach" else 1
    tagger = names.index("apertium-tagger")
    transfer = next((i for i, n in enumerate(names) if n == "apertium-transfer"), None)
    if transfer is None or not cut <= tagger < transfer < len(names) - 1 or "-p" not in commands[-1]:
        return None
    return Parts(commands[:cut], commands[cut:tagger], commands[tagger], commands[tagger + 1:transfer],
                 commands[transfer:-1], commands[-1:])


def run_chain(commands: list[list[str]], data: bytes) -> bytes:
    """*data* through *commands* piped into each other (input and errors in files, so
    that no pipe fills up while we write)."""
    if not commands:
        return data
    with tempfile.TemporaryFile() as source, tempfile.TemporaryFile() as errors:
        source.write(data)
        source.seek(0)
        procs: list[subprocess.Popen] = []
        try:
            for cmd in commands:
                proc = subprocess.Popen(cmd, stdin=procs[-1].stdout if procs else source,
                                        stdout=subprocess.PIPE, stderr=errors)
                if procs:
                    procs[-1].stdout.close()
                procs.append(proc)
            out, _ = procs[-1].communicate(timeout=_TIMEOUT)
            codes = [p.wait(timeout=_TIMEOUT) for p in procs]
        except (OSError, subprocess.SubprocessError) as exc:
            for proc in procs:
                proc.kill()
            raise EngineError(f"{Path(commands[0][0]).name} failed: {exc}") from None
        if any(codes):
            errors.seek(0)
            detail = (errors.read().decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            raise EngineError(f"{Path(commands[codes.index(next(c for c in codes if c))][0]).name} failed: {detail}")
    return out


def run_each(commands: list[list[str]], streams: list[str]) -> list[str]:
    """Each of *streams* through *commands* in null-flush mode, in one run."""
    if not commands:
        return streams
    data = b"".join(s.replace("\0", "").encode("utf-8") + b"\0" for s in streams)
    outs = [o for o in run_chain(commands, data).split(b"\0") if o.strip(b"\0")]
    if len(outs) != len(streams):
        raise EngineError(f"{Path(commands[0][0]).name}: {len(outs)} outputs for {len(streams)} documents")
    return [o.decode("utf-8") for o in outs]


def head(units: list[list[Reading]], lang: str) -> list[Reading]:
    """The noun readings of the head word of a phrase, given each word's readings:
    the first noun of a Romance phrase, the last of an English one."""
    nouns = [[r for r in rs if r.pos in _NOUNS] for rs in units]
    nouns = [n for n in nouns if n]
    if not nouns:
        return []
    return nouns[-1] if lang in _HEAD_LAST else nouns[0]


def choose(candidates: list[Reading], gender: str | None, number: str | None) -> Reading | None:
    """The reading that best fits a wanted gender and number (the first one on a tie)."""
    if not candidates:
        return None

    def fit(r: Reading) -> int:
        return (gender is not None and gender in r.tags) * 2 + (number is not None and number in r.tags)

    return max(candidates, key=fit)


def with_grammar(tags: tuple[str, ...], gender: str | None, number: str | None) -> tuple[str, ...]:
    """*tags* with their gender and number replaced by those given (kept if None)."""
    out = [t for t in tags if not (gender and t in _GENDERS) and not (number and t in _NUMBERS)]
    return tuple(out + ([gender] if gender else []) + ([number] if number else []))


def _grammar_of(tags: tuple[str, ...]) -> tuple[str | None, str | None]:
    gender = next((t for t in tags if t in ("m", "f")), None)
    number = next((t for t in tags if t in ("sg", "pl")), None)
    return gender, number


class TermPipeline:
    """One Apertium mode whose terms are given their analysis (see the module's text).

    *analysers*: the target language's morphological analysers (``.automorf.bin``), the
    pair's own first, to learn the gender and number of required forms the glossary
    says nothing of; a form one of them lacks as a noun is looked up in the next
    (Catalan-Italian's Italian analyser does not know the noun "negoziati").
    """

    def __init__(self, parts: Parts, source: str, target: str, analysers: tuple[Path, ...] = ()) -> None:
        self.parts, self.source, self.target, self.analysers = parts, source, target, tuple(analysers)
        self._analyses: dict[str, list[list[Reading]]] = {}

    def translate(self, documents: list[str], terms: list[list[Carried]]) -> list[str]:
        """Translate HTML *documents* whose terms are wrapped in ``<tm id="k">`` (*k*: the
        term's index in the document's list in *terms*); the HTML out, markers removed."""
        if not documents:
            return []
        self._learn(terms)
        grammar = [[self._target_reading(c) for c in doc] for doc in terms]
        analysed = self._analyse([_format("apertium-deshtml", d) for d in documents])
        edited, given = zip(*(self._merge(s, g) for s, g in zip(analysed, grammar)))
        return self._through(list(edited), lambda i, s: self._translated(s, terms[i], grammar[i], given[i]),
                             lambda i, s: _unmark(s, terms[i]))

    def _analyse(self, streams: list[str]) -> list[str]:
        """The analyser's output for deformatted *streams*, each piece between term markers
        analysed on its own: a multiword of the dictionary must not take in words on
        both sides of a term's edge ("La Maison-Blanche" is one proper noun in French)."""
        split = [re.split(r"(\[(?:[^\]\\]|\\.)*<\\?/?tm[ >](?:[^\]\\]|\\.)*\])", s) for s in streams]
        # A newline ends each piece: lt-proc drops a last word that might begin a multiword.
        pieces = [p + "\n" for doc in split for p in doc[::2] if p.strip()]
        done = iter(o[:-1] if o.endswith("\n") else o for o in run_each(self.parts.analyse, pieces))
        return ["".join(next(done) if i % 2 == 0 and p.strip() else p for i, p in enumerate(doc)) for doc in split]

    def _through(self, streams: list[str], lexical=None, generated=None) -> list[str]:
        """Analysed *streams* through the rest of the mode, each edited by ``lexical(i,
        stream)`` after the bilingual dictionary and ``generated(i, stream)`` after the
        generator; the HTML out."""
        tagged = [run_each([self.parts.tagger], [s])[0] for s in run_each(self.parts.before_tagger, streams)]
        out = run_each(self.parts.lexical, tagged)
        out = run_each(self.parts.structural, [lexical(i, s) for i, s in enumerate(out)] if lexical else out)
        out = run_each(self.parts.postgen, [generated(i, s) for i, s in enumerate(out)] if generated else out)
        return [_format("apertium-rehtml", s) for s in out]

    # -- the target form's grammar --------------------------------------------------------
    def _learn(self, terms: list[list[Carried]]) -> None:
        """Analyse the required forms not seen yet, in one run of each target analyser
        needed: the next one only for the forms the previous ones found no noun with a
        gender in."""
        todo = sorted({c.required for doc in terms for c in doc if not c.copied} - set(self._analyses))
        self._analyses.update({f: [] for f in todo})
        for analyser in self.analysers:
            if not todo:
                return
            outs = run_each([["lt-proc", "-z", str(analyser)]], [escape(f) for f in todo])
            for form, out in zip(todo, outs):
                units = [readings(t.fields()) for t in tokens(out) if t.unit is not None]
                if self._fits(units) > self._fits(self._analyses[form]):
                    self._analyses[form] = units
            todo = [f for f in todo if self._fits(self._analyses[f]) < 2]

    def _fits(self, units: list[list[Reading]]) -> int:
        """2: the phrase's head is a noun with a gender (any noun in a genderless language),
        1: a noun without one ("Banco Mundial<np><al>" in one Spanish analyser), 0: none."""
        nouns = head(units, self.target)
        if not nouns:
            return 0
        return 2 if self.target in _GENDERLESS or any(_grammar_of(r.tags)[0] for r in nouns) else 1

    def _target_reading(self, carried: Carried) -> Reading | None:
        """The gender and number of *carried*'s required form, as tags of its head noun;
        None for a term carried unchanged (into a pivot language), which keeps the
        source's, as the target forms of most glossaries do."""
        form = carried.required if not carried.copied else ""
        gender = "nt" if carried.gender == "n" else carried.gender  # the glossary's neuter, in Apertium's tag
        found = choose(head(self._analyses.get(form, []), self.target), gender, carried.number)
        if found is None:
            return Reading("", with_grammar(("n",), gender, carried.number)) if gender or carried.number else None
        return Reading(found.lemma, with_grammar(found.tags, gender, carried.number))

    # -- edit 1: each term one unit with one analysis -------------------------------------
    def _merge(self, stream: str, grammar: list[Reading | None]) -> tuple[str, dict[int, tuple[str, ...]]]:
        """*stream* (the analyser's output) with each marked term as one unit; the source
        tags given to each."""
        out: list[str] = []
        groups: dict[int, list[Token]] = {}
        before: dict[int, Token | None] = {}  # the unit before each term
        after: dict[int, Token] = {}  # the unit after it
        order: list[int] = []
        current, last = None, None
        for token in tokens(stream):
            if token.unit is not None and current is None and order and order[-1] not in after:
                after[order[-1]] = token
            if token.superblank and MARK.search(token.blank):
                rest = MARK.sub("", token.blank[1:-1])  # a blank in the way of post-generation
                out.append(rest if not rest.strip() else f"[{rest}]")
                for m in MARK.finditer(token.blank):
                    current = int(m.group(1)) if m.group(1) is not None else None
                    if current is not None and current not in groups:
                        groups[current] = []
                        before[current] = last
                        order.append(current)
                        out.append(f"\x00{current}\x00")
            elif current is not None and current < len(grammar):
                if token.unit is not None:
                    groups[current].append(token)
                elif token.superblank:
                    out.append(token.blank)  # formatting inside the term, kept
            else:
                out.append(token.text())
            if token.unit is not None:
                last = token
        given: dict[int, tuple[str, ...]] = {}
        text = "".join(out)
        for k in order:
            units = groups[k]
            tags = given[k] = self._source_tags(units, (before[k], after.get(k)),
                                                      grammar[k] if k < len(grammar) else None)
            surface = " ".join(u.fields()[0] for u in units) or "_"
            # Unknown on both sides: an unknown word, as Apertium treats names it does not know.
            unit = (f"^{surface}/{_MARKER}{k}{''.join(f'<{t}>' for t in tags)}$" if tags else
                    f"^{_MARKER}{k}/*{_MARKER}{k}$")
            text = text.replace(f"\x00{k}\x00", unit if units else "", 1)
        return bind_codes(text), given

    def _source_tags(self, units: list[Token], around: tuple[Token | None, Token | None],
                     target: Reading | None) -> tuple[str, ...]:
        """The analysis a term gets in the source: its head noun's, if the source language
        knows it; else the target form's, in the gender and number of the determiner
        before it, or of the adjective after it where the determiner has none (a term
        carried through a pivot language agrees with its pivot translation there: "la
        Cour pénale internationale" in Catalan, "Una aide humanitaire massiva")."""
        gender, number = _grammar_of(target.tags) if target else (None, None)
        found = choose(head([readings(u.fields()) for u in units], self.source), gender, number)
        if found is not None:
            return found.tags
        if target is None:
            return ()
        before, after = around
        dets = [r for r in readings(before.fields()) if r.pos in ("det", "predet", "num")] if before else []
        adjs = [r for r in readings(after.fields()) if r.pos == "adj"] if after else []
        if not dets:
            return target.tags
        gender, number = _grammar_of(dets[0].tags)
        if adjs and (gender is None or number is None):
            more = _grammar_of(adjs[0].tags)
            gender, number = gender or more[0], number or more[1]
        return with_grammar(target.tags, gender, number)

    # -- edit 2: the required form as the term's translation ------------------------------
    def _translated(self, stream: str, terms: list[Carried], grammar: list[Reading | None],
                    given: dict[int, tuple[str, ...]]) -> str:
        out, changed = [], None  # the source's and the target's grammar of the last term
        for token in tokens(stream):
            m = re.match(rf"(\*?){_MARKER}(\d+)(<|/|$)", token.unit or "", re.I)
            if m and int(m.group(2)) < len(terms):
                k = int(m.group(2))
                form = escape(terms[k].required)
                if m.group(1):
                    token, changed = Token(unit=f"*{form}/*{form}"), None
                else:
                    tags = self._completed(grammar[k], given.get(k, ()))
                    token = Token(unit=f"{token.fields()[0]}/{form}{''.join(f'<{t}>' for t in tags)}")
                    changed = (_grammar_of(given.get(k, ())), _grammar_of(tags), [False])
            elif token.unit is not None and changed is not None:
                token, changed = _predicate(token, *changed)
            out.append(token.text())
        return "".join(out)


    def _completed(self, target: Reading | None, source: tuple[str, ...]) -> tuple[str, ...]:
        """The target form's tags, with the gender and number of the source where the
        target's analysis has none ("Casa Blanca" is a proper noun, the "Maison" of
        "Maison-Blanche" a feminine noun)."""
        if target is None:
            return source
        gender, number = _grammar_of(target.tags)
        wanted_gender, wanted_number = _grammar_of(source)
        if self.target in _GENDERLESS or gender or not wanted_gender:
            wanted_gender = None
        if number or not wanted_number:
            wanted_number = None
        return with_grammar(target.tags, wanted_gender, wanted_number)


_CLAUSE_END = frozenset({"n", "np", "prn", "rel", "det", "cnjsub", "cnjcoo", "sent", "cm", "lpar", "rpar",
                         "lquest", "guio", "pr"})


_VERBS = frozenset({"vbser", "vbhaver", "vblex", "vbmod", "vaux"})


def _predicate(token: Token, source: tuple, target: tuple, copula: list[bool]):
    """*token* (a unit after the bilingual dictionary, in the clause of a term whose
    grammar the glossary changed) and what still follows the term: a verb in the third
    person that agreed with the term in number, and a participle or adjective after a
    form of "to be" that agreed with it in gender and number, agree with its required
    form ("La Cour pénale internationale a été saisie" -> "O Tribunal Penal Internacional
    foi pegado"; "L'aide humanitaire est bloquée" -> "Gli aiuti umanitari sono
    bloccati"); the clause ends at the next noun, pronoun, determiner, conjunction,
    preposition or punctuation."""
    fields = token.fields()
    first = readings(["", fields[0]]) if len(fields) > 1 else []
    if not first or first[0].pos in _CLAUSE_END:
        return token, None
    tags, pos = first[0].tags, first[0].pos
    wanted = None
    if pos in _VERBS and "p3" in tags and _grammar_of(tags)[1] == source[1] and target[1] not in (None, source[1]):
        wanted = (None, target[1])
    elif (pos == "adj" or pos in _VERBS and "pp" in tags) and copula[0] and _grammar_of(tags) == source \
            and all(source) and source != target:
        wanted = tuple(t if t != s else None for t, s in zip(target, source))
    copula[0] = pos == "vbser" or copula[0] and pos in ("adv", "vbhaver", "vaux")
    if wanted:
        token = Token(unit="/".join([fields[0]] + [_regrammared(f, *wanted) for f in fields[1:]]))
    return token, (source, target, copula)


def _regrammared(field: str, gender: str | None, number: str | None) -> str:
    r = parse_reading(field)
    if not r.tags:
        return field
    return Reading(r.lemma, with_grammar(r.tags, gender, number)).stream()


_CODES = r'(?:<x id="\d+"\\?/>)+'
_WRAPPED = re.compile(r"\[((?:[^\]\\]|\\.)*?)(" + _CODES + r")\](\^(?:[^\\$]|\\.)*\$)\[(" + _CODES
                      + r")((?:[^\]\\]|\\.)*)\]")
_BOUND = re.compile(r"\[\[((?:[^\]\\]|\\.)*)\]\]((?:[^\[\\]|\\.)*?)\[\[/\]\]")


def bind_codes(stream: str) -> str:
    """*stream* with each pair of inline codes that wraps exactly one unit ("les
    <b>pourparlers</b> directs") bound to it as a word-bound blank ``[[open; close]]``,
    which the structural transfer moves with the word where a plain blank stays in
    place ("the <b>direct</b> talks")."""
    def bind(m: re.Match[str]) -> str:
        before, opening, unit, closing, after = m.groups()
        return (f"[{before}]" if before else "") + f"[[{opening}; {closing}]]{unit}" + \
            (f"[{after}]" if after else "")

    return _WRAPPED.sub(bind, stream)


def unbind_codes(stream: str) -> str:
    """The word-bound blanks of :func:`bind_codes` as blanks again, around their word."""
    def unbind(m: re.Match[str]) -> str:
        opening, _, closing = m.group(1).partition("; ")
        return f"[{opening}]{m.group(2)}[{closing}]" if closing else f"[{opening}]{m.group(2)}"

    return _BOUND.sub(unbind, stream)


def _unmark(stream: str, terms: list[Carried]) -> str:
    """The generator's unknown-word marks removed before the required forms; inline codes
    bound to a word unbound."""
    for form in sorted({escape(c.required) for c in terms}, key=len, reverse=True):
        stream = re.sub(r"[#@*]+(?=" + re.escape(form) + ")", "", stream, flags=re.I)
    return unbind_codes(stream)


def _format(program: str, document: str) -> str:
    return run_chain([[program]], document.encode("utf-8")).decode("utf-8")
