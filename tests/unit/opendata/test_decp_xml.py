"""The XML form of the DECP v2 export: valid against the official XSD, and read back by the
importer as exactly the records of the JSON form."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from openamo.opendata.decp_xml import to_xml, xml_errors
from openamo.opendata.publish import publication_from_dict
from openamo.opendata.reader import DecpFile
from openamo.opendata.schemas import validator

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = json.loads((ROOT / "examples" / "decp_export.json").read_text("utf-8"))
OFFICIAL = ROOT / "tests" / "fixtures" / "decp" / "exemples"


def test_the_xml_export_is_valid_and_reads_back_as_the_json_records(tmp_path: Path) -> None:
    document = publication_from_dict(EXAMPLE).document
    content = to_xml(document)
    assert xml_errors(content) == []
    path = tmp_path / "decp.xml"
    path.write_bytes(content)
    source = DecpFile(path)
    records = list(source)
    assert source.issues == [] and source.form == "2"
    assert [record.data for record in records] == document["marches"]["marche"]
    assert all(validator("2").is_valid(record.data, record.kind) for record in records)
    assert records[0].data["modifications"][0]["modification"]["montant"] == 500000


def test_the_official_xml_example_passes_the_same_xsd() -> None:
    assert xml_errors((OFFICIAL / "Marche.xml").read_bytes()) == []


def test_an_invalid_document_is_reported_in_french_with_its_line() -> None:
    document = copy.deepcopy(publication_from_dict(EXAMPLE).document)
    document["marches"]["marche"][0]["procedure"] = "Procédure inventée"
    del document["marches"]["marche"][0]["objet"]
    errors = xml_errors(to_xml(document))
    assert errors and all(error.path.startswith("ligne ") for error in errors)
    text = " ".join(error.message for error in errors)
    assert "procedure" in text and "n'est pas dans la liste des valeurs admises" in text
    assert "élément obligatoire absent" in text and "objet" in text
    assert xml_errors(b"<marches><marche>")[0].message.startswith("XML illisible")
