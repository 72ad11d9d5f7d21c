"""The XML form of the DECP v2 format: the same document as the JSON one, element for element.

The regulatory schemas describe one structure in two syntaxes (``_index.md`` of
format-commande-publique: « aux formats JSON et XML »), and the national portal takes either.
The JSON document of ``publish`` is the source; this module only changes its syntax, by the
rules the official examples follow: a list of wrapped items (``titulaires: [{"titulaire": …}]``)
becomes a container of repeated elements, a list of values (``techniques: {"technique": […]}``)
repeated elements, a boolean ``true``/``false``. The file is then checked against the official
XSD (2.0.2, the last one published; 2.0.3 changed the JSON schema only), offline.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from openamo.opendata.schemas import SchemaError


def to_xml(document: dict[str, Any]) -> bytes:
    """``{"marches": {"marche": [...], "contrat-concession": [...]}}`` as DECP XML (UTF-8)."""
    root = etree.Element("marches")
    for kind in ("marche", "contrat-concession"):
        for record in document.get("marches", {}).get(kind, []):
            _fill(etree.SubElement(root, kind), record)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _fill(element: Any, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                continue
            if isinstance(item, list) and all(_scalar(v) for v in item):
                for entry in item:  # {"technique": ["Concours", "Accord-cadre"]}
                    _fill(etree.SubElement(element, key), entry)
            else:
                _fill(etree.SubElement(element, key), item)
    elif isinstance(value, list):  # [{"titulaire": {...}}, ...]: the container's children
        for entry in value:
            _fill(element, entry)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def _scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


@cache
def _schema() -> Any:
    path = resources.files("openamo.opendata").joinpath("schemas", "decp", "schema_decp_v2.0.2.xsd")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.fromstring(path.read_bytes(), parser))


def xml_errors(content: bytes) -> list[SchemaError]:
    """Violations of the official XSD, each with the line and element at fault."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        tree = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        return [SchemaError("", f"XML illisible : {exc.msg}")]
    schema = _schema()
    if schema.validate(tree):
        return []
    return [
        SchemaError(f"ligne {error.line} {error.path}", _french(error.message))
        for error in list(schema.error_log)[:20]
    ]


_MESSAGES = (
    ("This element is not expected. Expected is", "élément non prévu à cet endroit ; attendu :"),
    ("This element is not expected.", "élément non prévu à cet endroit."),
    ("Missing child element(s). Expected is", "élément obligatoire absent ; attendu :"),
    ("is not a valid value of the atomic type", "n'est pas une valeur admise du type"),
    ("is not an element of the set", "n'est pas dans la liste des valeurs admises"),
    ("[facet 'enumeration'] The value", "la valeur"),
    ("[facet 'pattern'] The value", "la valeur"),
    ("is not accepted by the pattern", "ne respecte pas le motif"),
)


def _french(message: str) -> str:
    """libxml2 speaks English: the usual phrasings are translated, names and values kept."""
    for english, french in _MESSAGES:
        message = message.replace(english, french)
    return message.replace("Element ", "Élément ")
