"""Language codes as LibreTranslate shows them, and the ``/languages`` list of a translator."""

from __future__ import annotations

from .. import languages
from .errors import not_supported

#: Our codes that LibreTranslate shows otherwise (its ``model2iso``).
SHOWN = {"zh": "zh-Hans", "zt": "zh-Hant"}


def shown(code: str) -> str:
    """The code LibreTranslate clients see for our *code*."""
    return SHOWN.get(code, code)


def ours(code: str) -> str:
    """Our code for a client's *code* (``zh-Hans``, ``fra``, ``pt-BR``...); 400 when unknown."""
    found = languages.canonical(code)
    if found is None:
        raise not_supported(code)
    return found


def language_list(translator) -> list[dict]:
    """Every language of an installed pair, with the targets a route reaches (itself included,
    as LibreTranslate lists them)."""
    found = sorted({code for engine in translator.engines for pair in engine.pairs()
                    for code in pair})
    listed = []
    for source in found:
        targets = [t for t in found if t == source or translator.route(source, t) is not None]
        listed.append({"code": shown(source), "name": languages.name(source),
                       "targets": [shown(t) for t in targets]})
    return listed
