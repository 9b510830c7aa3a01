"""Safe XML parsing and REFI-QDA schema checks for :mod:`botu.qdpx`.

XML from outside is parsed with :mod:`defusedxml`, which refuses DTDs, entity declarations
("billion laughs") and external entities (XXE) instead of expanding them. REFI-QDA files never
need a DTD, so any is refused. Schema validation uses :mod:`lxml` and the XSDs shipped in
``botu/qdpx/schemas``; for input it yields warnings (real exports are not always valid).
"""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET

import defusedxml
from defusedxml.ElementTree import fromstring as defused_fromstring

from botu.errors import InputError, Problem

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMAS = {"project": "Project.xsd", "codebook": "Codebook.xsd"}
# Namespace for the deterministic (uuid5) GUIDs of our exports.
BOTU_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://botu.invalid/refi-qda")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def parse_xml(data: bytes, label: str) -> ET.Element:
    """Parse untrusted XML; refuse DTDs and entities; errors name ``label`` and the line.

    Raises:
        InputError: the XML declares a DTD or entities, or is not well-formed.
    """
    try:
        return defused_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        reason = (
            "declares a DTD (<!DOCTYPE ...>); REFI-QDA files have none, and a DTD can carry "
            "entity-expansion ('billion laughs') or external-entity (XXE) attacks"
        )
    except defusedxml.EntitiesForbidden as exc:
        reason = f"declares the XML entity '{exc.name}' (entity expansion or XXE attack)"
    except defusedxml.ExternalReferenceForbidden:
        reason = "refers to an external resource (XXE attack)"
    except defusedxml.DefusedXmlException as exc:
        reason = f"uses a forbidden XML construct ({exc})"
    except (ValueError, LookupError) as exc:  # e.g. encoding="utf-7" or an unknown encoding
        raise InputError(
            Problem(label, None, None, f"cannot be read: unsupported XML encoding ({exc})")
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(
            Problem(label, None, None, f"is not well-formed XML (line {line}, column {column})")
        ) from None
    raise InputError(Problem(label, None, None, f"refused: {reason}"))


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local(c.tag) == name]


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if local(c.tag) == name), None)


def child_text(element: ET.Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""


def norm_guid(value: str | None) -> str:
    """A GUID in one spelling: no braces, no spaces, lower case (``''`` when absent)."""
    if not value:
        return ""
    text = value.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return text.lower()


def is_guid(value: str) -> bool:
    return bool(_GUID.match(norm_guid(value)))


def botu_guid(kind: str, key: str) -> str:
    """The deterministic GUID of one of our objects (same input, same GUID, every export)."""
    return str(uuid.uuid5(BOTU_NAMESPACE, f"{kind}:{key}"))


def describe(element: ET.Element) -> str:
    """``<Name guid="..." name="...">`` for messages that must name the element."""
    attrs = [f'{k}="{element.get(k)}"' for k in ("guid", "name") if element.get(k) is not None]
    return "<" + " ".join([local(element.tag), *attrs]) + ">"


# --- schema validation -------------------------------------------------------------------


@lru_cache(maxsize=2)
def _schema(kind: str):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / SCHEMAS[kind])))


def schema_errors(data: bytes, kind: str) -> list[str] | None:
    """Messages for every way ``data`` departs from the REFI-QDA ``kind`` schema
    (``"project"`` or ``"codebook"``); ``[]`` when valid, ``None`` when :mod:`lxml` is missing.

    Only call this on XML that :func:`parse_xml` accepted (the parser here loads no DTD,
    resolves no entities and never touches the network anyway).
    """
    try:
        from lxml import etree
    except ImportError:  # pragma: no cover - lxml is a dependency
        return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        document = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    schema = _schema(kind)
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
