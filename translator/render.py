"""Showing documents: side-by-side columns for the terminal, and JSON."""

from __future__ import annotations

import json
import unicodedata

from .document import Document
from .languages import name as language_name

SEPARATOR = " │ "


def cell_width(text: str) -> int:
    """Terminal cells taken by *text*: wide CJK characters take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def wrap_cells(text: str, width: int) -> list[str]:
    """Wrap *text* to *width* cells: at spaces where there are some, anywhere in CJK runs."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line, used = "", 0
        for token in _tokens(para):
            w = cell_width(token)
            if used + w > width and line.strip():
                lines.append(line.rstrip())
                line, used = "", 0
                if token.isspace():
                    continue
            while w > width:  # a word longer than the column
                cut, cw = "", 0
                for ch in token:
                    if cw + cell_width(ch) > width:
                        break
                    cut, cw = cut + ch, cw + cell_width(ch)
                lines.append(cut)
                token = token[len(cut):]
                w = cell_width(token)
            line, used = line + token, used + w
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words with their following spaces; each wide character is its own token."""
    out: list[str] = []
    current = ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            if current:
                out.append(current)
            out.append(ch)
            current = ""
        elif ch == " " and current and not current.endswith(" "):
            out.append(current + " ")
            current = ""
        else:
            current += ch
    if current:
        out.append(current)
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def side_by_side(doc: Document, *, width: int = 100) -> str:
    """Source and each target in aligned columns, segment by segment."""
    columns = 1 + len(doc.targets)
    col = max(10, (width - len(SEPARATOR) * (columns - 1)) // columns)
    langs = [doc.source_language, *doc.targets]
    header = SEPARATOR.join(_pad(f"{language_name(l)} ({l})"[:col], col) for l in langs).rstrip()
    rule = "─┼─".join("─" * col for _ in langs)
    rows = [header, rule]
    for seg in doc.segments:
        cells = [wrap_cells(seg.source, col)] + [wrap_cells(seg.translations.get(t, ""), col) for t in doc.targets]
        height = max(len(c) for c in cells)
        for i in range(height):
            rows.append(SEPARATOR.join(_pad(c[i] if i < len(c) else "", col) for c in cells).rstrip())
        rows.append(SEPARATOR.join(" " * col for _ in langs).rstrip())
    return "\n".join(rows).rstrip() + "\n"


def to_json(doc: Document) -> str:
    """One JSON object per document, on one line (JSON Lines for several files)."""
    return json.dumps(doc.to_dict(), ensure_ascii=False)
