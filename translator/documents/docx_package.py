"""A Word document's package (the zip of XML parts), read strictly and written back.

Only the parts that hold text are parsed: the main document and, through its
relationships, its headers, footers, footnotes, endnotes and comments (plus the styles
and core properties, for the document's language).  Writing copies every entry in its
order with its name, date and compression; the content of every part not changed is the
source's, byte for byte, and a changed part keeps its own XML declaration.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from ..errors import InputError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
#: What the main part of a Word document (or template, with macros or not) declares itself as.
_WORD = re.compile(r"application/vnd\.(openxmlformats-officedocument\.wordprocessingml|ms-word)\.")
#: The relationships from the main part to the other parts that hold text, in reading order.
TEXT_PARTS = ("header", "footer", "footnotes", "endnotes", "comments")
_SAVE_AGAIN = "open and save it again in Word or LibreOffice"
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>\s*")


@dataclass
class Package:
    """The entries of a .docx and the parts that matter to translation."""

    name: str
    infos: list[zipfile.ZipInfo]
    data: dict[str, bytes]
    main: str = "word/document.xml"
    parts: list[tuple[str, str]] = field(default_factory=list)  # (part, kind): main first, then headers...
    styles: str | None = None
    core: str | None = None


def read_package(data: bytes, name: str, limit: int) -> Package:
    """The package of *data*, refused with one line (:class:`InputError`) when it is not a
    readable Word document: not a zip, damaged, encrypted, without a main document part,
    or over *limit* bytes once uncompressed."""
    if data.startswith(_OLE):
        raise InputError("an encrypted or password-protected Word document, or an old .doc (an OLE compound "
                         "file): save it as .docx without a password", path=name)
    if not data.startswith(b"PK"):
        raise InputError("not a Word document: not a zip archive (a .docx is one): check the file, or pass "
                         "--input-format text if it is plain text", path=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > limit:
                raise InputError(f"over {limit} bytes once uncompressed: refused (a zip bomb?)", path=name)
            if any(i.flag_bits & 0x1 for i in infos):
                raise InputError("the zip archive is encrypted: save the document without a password", path=name)
            package = Package(name, infos, {i.filename: zf.read(i) for i in infos if not i.is_dir()})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise InputError(f"damaged Word document ({exc}): {_SAVE_AGAIN}", path=name) from None
    _locate(package)
    return package


def _locate(package: Package) -> None:
    """The main part (from the package's relationships) and the parts related to it."""
    main = next((t for kind, t in relations(package, "") if kind == "officeDocument"), "word/document.xml")
    if main not in package.data:
        raise InputError(f"not a Word document: the zip archive has no {main}: check the file", path=package.name)
    declared = content_type(package, main)
    if declared and not _WORD.match(declared):
        raise InputError(f"not a Word document: its main part {main} is {declared}", path=package.name)
    package.main = main
    package.parts = [(main, "body")]
    related = relations(package, main)
    for wanted in TEXT_PARTS:
        package.parts += [(t, wanted) for kind, t in related if kind == wanted and t in package.data
                          and all(t != seen for seen, _ in package.parts)]
    package.styles = next((t for kind, t in related if kind == "styles" and t in package.data), None)
    package.core = next((t for kind, t in relations(package, "") if kind == "core-properties"
                         and t in package.data), None)


def relations(package: Package, part: str) -> list[tuple[str, str]]:
    """(type, target part) of *part*'s internal relationships ("" for the package's), the
    type being the last component of its URI ("header", "officeDocument")."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{base}.rels")
    if rels not in package.data:
        return []
    out = []
    for rel in parse(package, rels).iter(_RELS):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out.append(((rel.get("Type") or "").rsplit("/", 1)[-1], path))
    return out


def content_type(package: Package, part: str) -> str | None:
    if "[Content_Types].xml" not in package.data:
        return None
    root = parse(package, "[Content_Types].xml").getroot()
    for override in root.iter(f"{_TYPES}Override"):
        if (override.get("PartName") or "").lstrip("/") == part:
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1].lower()
    return next((d.get("ContentType") for d in root.iter(f"{_TYPES}Default")
                 if (d.get("Extension") or "").lower() == extension), None)


def parse(package: Package, part: str):
    """The XML tree of *part*: no DTD, no entity expanded, nothing fetched."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.ElementTree(etree.fromstring(package.data[part], parser))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{part}: not well-formed XML ({exc.msg}): {_SAVE_AGAIN}", path=package.name) from None
    if tree.docinfo.doctype:
        raise InputError(f"{part}: a DTD in a Word document part: refused", path=package.name)
    return tree


def serialize(original: bytes, tree) -> bytes:
    """*tree* as bytes, under the XML declaration of the part it was read from."""
    from lxml import etree

    head = _DECLARATION.match(original)
    declaration = head.group(0) if head else b""
    if re.search(rb"encoding=[\"'](?!utf-8)", declaration, re.I):
        declaration = b""  # written in UTF-8, which needs none
    return declaration + etree.tostring(tree, encoding="UTF-8", xml_declaration=False)


def build(package: Package, replaced: dict[str, bytes]) -> bytes:
    """The package's zip with the parts of *replaced* changed: same entries, same order,
    names, dates and compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in package.infos:
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type, entry.external_attr, entry.comment = (info.compress_type, info.external_attr,
                                                                        info.comment)
            entry.create_system = info.create_system
            zf.writestr(entry, b"" if info.is_dir() else replaced.get(info.filename, package.data[info.filename]))
    return out.getvalue()


__all__ = ["Package", "TEXT_PARTS", "build", "content_type", "parse", "read_package", "relations", "serialize"]
