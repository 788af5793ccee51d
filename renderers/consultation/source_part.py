"""The framework's own source text, carried inside its Word document (issue 16 §1: import
must give back the same model, losslessly).

The document shows the outline and describes the rating rules in prose and tables; the
rules themselves (scales, bandings, composites, judgements, hurdles, open rules), the
waivers, the ids that are not shown and the levels' ids cannot be read back from prose. So
the document also carries the framework's source files — the main file and each file it
includes — in a Custom XML part (ECMA-376 Part 1, §15.2.4 and §22.5): /customXml/itemN.xml,
with its properties part /customXml/itemPropsN.xml, related from the main document part.
Word keeps custom XML parts when the document is edited and saved; it does not show them.

`precepts import` reads the part back (importers.carried): the visible outline stays the
source of truth for texts and numbering, and the carried source supplies only what the
document cannot show.

The part is the same bytes for the same sources: a fixed item id, files in a fixed order.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from precepts.compiler import model as m

if TYPE_CHECKING:
    from docx.document import Document

NAMESPACE = "urn:precepts:framework-source:1"
ITEM_TEMPLATE = "/customXml/item%d.xml"
PROPERTIES_TEMPLATE = "/customXml/itemProps%s.xml"
# Word tells custom XML parts apart by this id; fixed, so that the document is the same bytes each build.
ITEM_ID = "{6C1B8A53-2F1E-4C55-9C1A-70726563657A}"
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


def framework_sources(framework: m.Framework, sources: Mapping[str, str] | None = None) -> dict[str, str]:
    """The framework's files as (path relative to the main file's folder → text), main file
    first, then its includes in include order; read from disk when `sources` (file name as in
    the model → text) is not given. Empty when the main file on disk is not the one compiled
    (its sha256 differs) or a file cannot be read: then the document carries no source."""
    from precepts.core.sources import Source
    from precepts.dsl.loader import decode_source

    names = (framework.file, *framework.includes)
    texts: dict[str, str] = {}
    for name in names:
        if sources is not None:
            if name not in sources:
                return {}
            text = sources[name]
        else:
            try:
                data = Path(name).read_bytes()
            except OSError:
                return {}
            if name == framework.file and hashlib.sha256(data).hexdigest() != framework.sha256:
                return {}
            decoded = decode_source(data, name)
            if not isinstance(decoded, Source):
                return {}
            text = decoded.text
        texts[posixpath.relpath(Path(name).as_posix(), posixpath.dirname(Path(framework.file).as_posix()) or ".")] = text
    return texts


# The characters XML 1.0 allows in text (§2.2): a file with any other is carried as base64.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def source_xml(texts: Mapping[str, str]) -> bytes:
    """`<framework-source>` with a `<file path=…>` per file, its text as XML text (or base64
    when it holds characters XML cannot, such as control characters)."""
    import base64
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', f'<framework-source xmlns="{NAMESPACE}">']
    for path, text in texts.items():
        if _NOT_XML.search(text) or "\r" in text:
            encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
            out.append(f'<file path={quoteattr(path)} encoding="base64">{encoded}</file>')
        else:
            out.append(f"<file path={quoteattr(path)}>{escape(text)}</file>")
    out.append("</framework-source>")
    return "".join(out).encode("utf-8")


def read_source_xml(data: bytes) -> dict[str, str] | None:
    """The files of a `<framework-source>` part; None when the XML is not one."""
    import base64
    import binascii

    from docx.oxml.parser import parse_xml

    try:
        root = parse_xml(data)
    except Exception:  # lxml's syntax errors: a part that is not XML carries nothing
        return None
    if root.tag != f"{{{NAMESPACE}}}framework-source":
        return None
    texts: dict[str, str] = {}
    for element in root.findall(f"{{{NAMESPACE}}}file"):
        text = element.text or ""
        if element.get("encoding") == "base64":
            try:
                text = base64.b64decode(text).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
        texts[element.get("path") or ""] = text
    return texts if texts and all(texts) else None


def add_source_part(document: Document, texts: Mapping[str, str]) -> None:
    """Relate a Custom XML part holding `texts` (and its properties part) from the main
    document part. Nothing is added for no texts."""
    if not texts:
        return
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    # python-docx's default template already holds a custom XML item: take the next free number.
    item_name = package.next_partname(ITEM_TEMPLATE)
    number = item_name[len("/customXml/item"):-len(".xml")]
    item = Part(PackURI(item_name), "application/xml", source_xml(texts), package)
    properties = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{ITEM_ID}" xmlns:ds="{_DATASTORE}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    item.relate_to(Part(PackURI(PROPERTIES_TEMPLATE % number), _PROPERTIES_TYPE, properties, package),
                   RELATIONSHIP_TYPE.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RELATIONSHIP_TYPE.CUSTOM_XML)


def carried_sources(document: Document) -> dict[str, str] | None:
    """The source files a document carries (see add_source_part), or None."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    for relationship in document.part.rels.values():
        if relationship.reltype == RELATIONSHIP_TYPE.CUSTOM_XML and not relationship.is_external:
            found = read_source_xml(relationship.target_part.blob)
            if found is not None:
                return found
    return None
