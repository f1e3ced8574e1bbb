"""``format=html``: a text is translated by the ``html`` document type, as the command line
(``--input-format html``, ``.html`` files) and :func:`translator.translate_html` translate it.

A unit is a block's text with its inline elements (``<b>``, ``<a href>``, ``<span>``...) as
inline codes, so that ``Le <b>chat</b> dort.`` is one sentence for the engines (not ``Le ``,
``chat`` and `` dort.`` translated apart: "L <b>gato</b> duerme."); every byte outside the
translated text is kept; ``script``, ``style``, ``code``, ``pre``... are not translated; the
readable attributes (``title``, ``alt``...) are.  The text is read (and its language detected)
on the request's thread; :func:`translate` runs on the engine thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..documents.base import Translated
    from ..documents.html import Page


def read(text: str, *, name: str) -> Page | None:
    """*text* read as :func:`translator.translate_html` reads it (``content="auto"``); None when
    it has no text outside its markup (it is answered as it came).  Raises
    :class:`~translator.errors.InputError` for a text a browser would read very differently
    (a comment or a quote never closed), its place named after *name* (``q``, ``q[2]``)."""
    from ..documents.html import Page, read_page
    from ..documents.html_tokens import tokenize

    try:
        page = read_page(text, name=name)
    except InputError:
        whole = Page(text, tokenize(text, name=name), name=name)  # raises again when malformed
        if any(any(ch.isalpha() for ch in t) for u in whole.units for t in u.texts):
            raise
        return None
    page.encoding = None  # held as text, as translate_html holds it
    return page


def translate(translator, page: Page, *, source: str, target: str) -> Translated:
    """*page* translated from *source* into *target* by the ``html`` document type (the
    units with their inline codes, the run-by-run fallback, the glossary): its
    ``outputs[0].data`` is what ``translate_html(text, to=target, source=source)`` returns."""
    from ..documents.base import Options
    from ..documents.html import HtmlType

    class Read(HtmlType):  # the page already read on the request's thread
        def read(self, data: bytes, *, name: str, options: Options) -> Page:
            return page

    return Read().translate(translator, b"", name=page.name, to=[target], source=source, options=Options())
