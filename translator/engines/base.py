"""What every engine provides: the pairs it has installed and a batch translate step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class PairInfo:
    """One installed direct pair of an engine."""

    engine: str
    source: str
    target: str
    name: str  # package or mode name, e.g. "translate-zh_en" or "fr-es"
    version: str
    location: str = ""  # folder of the package or mode file


@dataclass
class StepResult:
    """Outputs of one engine step, aligned with its inputs."""

    texts: list[str]
    unknown: list[list[str]] = field(default_factory=list)  # words the engine did not know


class Engine(Protocol):
    """A translation backend.  ``translate`` gets every sentence of a run at once.

    An engine may also have ``start(source, target)``, called when a document's language is
    known: begin loading what that pair needs in the background (Apertium's programs)."""

    name: str
    #: Languages to pivot through when no direct pair exists, best first.
    pivots: tuple[str, ...]
    #: True when the engine can carry a term it is not asked to change through a step.
    copies_terms: bool

    def pairs(self) -> dict[tuple[str, str], PairInfo]: ...

    def translate(self, texts: list[str], source: str, target: str, *, terms=None,
                  progress=None) -> StepResult:
        """*terms*: per text, the glossary spans (``translator.terms.TermSpan``) and the
        forms the output must contain; engines enforce them as best they can."""
        ...
