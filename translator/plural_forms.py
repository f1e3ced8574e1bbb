"""gettext ``Plural-Forms`` headers: parsed and checked, never evaluated with ``eval``.

``nplurals=N; plural=EXPRESSION;`` where EXPRESSION is gettext's C subset (plural.y):
``n``, decimal numbers, ``( )``, ``!``, ``* / %``, ``+ -``, ``< > <= >=``, ``== !=``,
``&&``, ``||`` and ``? :``, computed on unsigned 64-bit integers as libintl does.
Like ``msgfmt --check``, the expression is computed for n = 0..1000 and must stay
below nplurals without dividing by zero.  Unlike msgfmt (which takes any number),
nplurals is bounded: no language needs more than 6 forms (CLDR's zero, one, two, few,
many, other; Arabic and Welsh use all six), and each form is a copy of every plural
message in the output, so ``nplurals=1000000`` would turn a small catalog into tens of
megabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

MAX_NPLURALS = 10
MAX_EXPRESSION = 1000  # characters; Python's gettext module has the same limit
MAX_DEPTH = 200  # operations on the longest path of the expression's tree
MAX_NESTING = 30  # parentheses, ?: and ! inside each other (the Arabic rule uses 6)
CHECKED_N = range(1001)  # the values of n msgfmt checks
TEMPLATE = "nplurals=INTEGER; plural=EXPRESSION;"  # xgettext's placeholder: no Plural-Forms yet
_MASK = (1 << 64) - 1
_TOKEN = re.compile(r"[ \t]*(?:([0-9]+)|(n)|(&&|\|\||==|!=|<=|>=|[-+*/%<>!?:()]))")
_BINARY = [  # loosest first; all left-associative; (left, right, n) -> value, short-circuit
    {"||": lambda a, b, n: int(bool(a(n) or b(n)))},
    {"&&": lambda a, b, n: int(bool(a(n) and b(n)))},
    {"==": lambda a, b, n: int(a(n) == b(n)), "!=": lambda a, b, n: int(a(n) != b(n))},
    {"<": lambda a, b, n: int(a(n) < b(n)), ">": lambda a, b, n: int(a(n) > b(n)),
     "<=": lambda a, b, n: int(a(n) <= b(n)), ">=": lambda a, b, n: int(a(n) >= b(n))},
    {"+": lambda a, b, n: (a(n) + b(n)) & _MASK, "-": lambda a, b, n: (a(n) - b(n)) & _MASK},
    {"*": lambda a, b, n: (a(n) * b(n)) & _MASK, "/": lambda a, b, n: _divide(a(n), b(n), int.__floordiv__),
     "%": lambda a, b, n: _divide(a(n), b(n), int.__mod__)},
]


class PluralFormsError(ValueError):
    """A Plural-Forms value gettext would refuse (the message says why); *beyond_gettext*
    when gettext accepts it but we do not (nplurals above :data:`MAX_NPLURALS`)."""

    def __init__(self, message: str, *, beyond_gettext: bool = False) -> None:
        super().__init__(message)
        self.beyond_gettext = beyond_gettext


class _DivisionByZero(ArithmeticError):
    pass


def _divide(a: int, b: int, op: Callable[[int, int], int]) -> int:
    if b == 0:
        raise _DivisionByZero
    return op(a, b)


@dataclass(frozen=True)
class PluralForms:
    nplurals: int
    plural: Callable[[int], int]  # n -> index of the form

    def __call__(self, n: int) -> int:
        return self.plural(n)


def is_template(value: str | None) -> bool:
    """True for an absent value or xgettext's ``nplurals=INTEGER; plural=EXPRESSION;``."""
    return not value or " ".join(value.split()) == TEMPLATE


def parse(value: str) -> PluralForms:
    """Parse and check a Plural-Forms value; raise :class:`PluralFormsError`."""
    nplurals = _nplurals(value)
    found = re.search(r"(?<![a-z])plural\s*=", value)
    if not found:
        raise PluralFormsError("no 'plural=' expression: write for example 'nplurals=2; plural=(n != 1);'")
    text = re.split(r"[;\n]", value[found.end():], maxsplit=1)[0]
    if len(text) > MAX_EXPRESSION:
        raise PluralFormsError(f"plural expression longer than {MAX_EXPRESSION} characters")
    plural = _Expression(text).parse()
    for n in CHECKED_N:
        try:
            index = plural(n)
        except _DivisionByZero:
            raise PluralFormsError(f"plural expression divides by zero (n = {n})") from None
        if index >= 1 << 63:
            raise PluralFormsError(f"plural expression can produce negative values (n = {n})")
        if index >= nplurals:
            raise PluralFormsError(f"nplurals = {nplurals} but the plural expression gives {index} "
                                   f"for n = {n}")
    return PluralForms(nplurals, plural)


def _nplurals(value: str) -> int:
    found = re.search(r"nplurals\s*=\s*([0-9]*)(\S*)", value)
    if not found:
        raise PluralFormsError("no 'nplurals=' value: write for example 'nplurals=2; plural=(n != 1);'")
    if not found.group(1):
        shown = found.group(2).rstrip(";")
        raise PluralFormsError(f"invalid nplurals value {shown!r}: a number from 1 to {MAX_NPLURALS}")
    nplurals = int(found.group(1))
    if not 1 <= nplurals <= MAX_NPLURALS:
        raise PluralFormsError(f"nplurals={nplurals} is out of range: 1 to {MAX_NPLURALS} "
                               "(no language has more than 6 plural forms)", beyond_gettext=nplurals > 0)
    return nplurals


class _Expression:
    """Recursive descent over gettext's grammar, building closures (no eval).

    Each builder returns ``(function, depth)``; the depth of the tree is bounded so that
    computing it never comes near Python's recursion limit.
    """

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        pos = 0
        while text[pos:].strip(" \t"):
            match = _TOKEN.match(text, pos)
            if not match:
                raise PluralFormsError(f"invalid plural expression: unexpected {text[pos:].strip()[:10]!r}")
            self.tokens.append(match.group(match.lastindex))
            pos = match.end()
        self.pos = 0
        self.nesting = 0

    def parse(self) -> Callable[[int], int]:
        node, _ = self._conditional()
        if self.pos != len(self.tokens):
            raise PluralFormsError(f"invalid plural expression: unexpected {self.tokens[self.pos]!r}")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _expect(self, token: str) -> None:
        if self._peek() != token:
            raise PluralFormsError(f"invalid plural expression: {token!r} expected")
        self.pos += 1

    def _enter(self) -> None:
        """Count nesting before descending, so parsing stays far from the recursion limit."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise PluralFormsError(f"plural expression nested deeper than {MAX_NESTING} levels")

    @staticmethod
    def _node(function: Callable[[int], int], *depths: int) -> tuple[Callable[[int], int], int]:
        depth = max(depths, default=0) + 1
        if depth > MAX_DEPTH:
            raise PluralFormsError(f"plural expression nested deeper than {MAX_DEPTH} operations")
        return function, depth

    def _conditional(self) -> tuple[Callable[[int], int], int]:
        self._enter()
        node = test, d1 = self._binary(0)
        if self._peek() == "?":
            self.pos += 1
            (yes, d2) = self._conditional()
            self._expect(":")
            (no, d3) = self._conditional()
            node = self._node(lambda n: yes(n) if test(n) else no(n), d1, d2, d3)
        self.nesting -= 1
        return node

    def _binary(self, level: int) -> tuple[Callable[[int], int], int]:
        if level == len(_BINARY):
            return self._unary()
        left, depth = self._binary(level + 1)
        while self._peek() in _BINARY[level]:
            op = _BINARY[level][self.tokens[self.pos]]
            self.pos += 1
            right, d2 = self._binary(level + 1)
            left, depth = self._node((lambda a, b, op: lambda n: op(a, b, n))(left, right, op), depth, d2)
        return left, depth

    def _unary(self) -> tuple[Callable[[int], int], int]:
        token = self._peek()
        self.pos += 1
        if token == "!":
            self._enter()
            inner, depth = self._unary()
            self.nesting -= 1
            return self._node(lambda n: int(not inner(n)), depth)
        if token == "n":
            return (lambda n: n), 0
        if token is not None and token.isdigit():
            value = int(token) & _MASK
            return (lambda n: value), 0
        if token == "(":
            inner = self._conditional()
            self._expect(")")
            return inner
        raise PluralFormsError("invalid plural expression" + (f": unexpected {token!r}" if token else ": incomplete"))
