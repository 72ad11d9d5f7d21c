"""``amo avenant check|document`` as users' scripts call them: the real entry point, in a process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.e2e.cli._amo import ROOT, amo

EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.e2e

# The works avenant (n° 2, R2194-5, prolonged by six weeks) that the examples told before they
# became one catering story: its figures are checked to the cent below.
TRAVAUX = "tests/fixtures/amendments/avenant_travaux.json"


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


CONTRACT_FIELDS = {
    "verdict",
    "basis",
    "modification_percent",
    "cumulative_percent",
    "new_amount_ht",
    "new_procedure_required",
    "cao_opinion_required",
    "modification_notice_required",
    "reasons",
    "references",
    "explanation",
}


def test_the_example_gives_one_json_object_following_the_contract() -> None:
    result = amo("avenant", "check", "examples/avenant_check.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) >= CONTRACT_FIELDS
    assert payload["verdict"] == "autorisee"
    assert payload["basis"] == "R2194-2"
    assert payload["modification_percent"] == "7.50"
    assert payload["cumulative_percent"] == "9.38"
    assert payload["new_amount_ht"] == "2625000.00"
    assert payload["cao_opinion_required"] is True
    assert payload["modification_notice_required"] is True
    assert payload["new_procedure_required"] is False
    assert all(isinstance(r, str) for r in payload["references"])
    assert any("R2194-2" in r for r in payload["references"])
    assert any("95-127" in w for w in payload["warnings"])


def test_stdin_with_a_dash_and_text_output_for_people() -> None:
    data = {
        "contract": {
            "nature": "services",
            "buyer": "collectivite",
            "procedure": "mapa",
            "initial_amount_ht": "150000.00",
            "notified_on": "2024-10-01",
        },
        "previous_modifications": [],
        "modification": {"date": "2026-11-23", "amount_ht": "18000.00", "kind": "faible_montant"},
    }
    result = amo("avenant", "check", "-", stdin=json.dumps(data))
    assert result.returncode == 0, result.stderr
    assert "Modification interdite" in result.stdout
    assert "Nouvelle procédure de mise en concurrence : oui" in result.stdout
    assert "R2194-8" in result.stdout


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "Entrée vide"),
        ("{not json", "JSON invalide"),
        ("[]", "objet JSON"),
        ('{"contract": {}, "modification": {}}', "champ obligatoire manquant"),
        (
            json.dumps({**example("avenant_check.json"), "unexpected": 1}),
            "champ inconnu",
        ),
    ],
)
def test_invalid_input_exits_2_with_a_french_message_and_a_json_error(
    stdin: str, message: str
) -> None:
    result = amo("avenant", "check", "--json", stdin=stdin)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "error" in json.loads(result.stdout)


def test_a_missing_file_exits_2() -> None:
    result = amo("avenant", "check", "absent.json", "--json")
    assert result.returncode == 2
    assert "Fichier introuvable" in result.stderr


@settings(max_examples=12, deadline=None)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(["contract", "modification", "previous_modifications", "x"]),
                children,
                max_size=3,
            )
        ),
        max_leaves=8,
    )
)
def test_random_json_through_the_real_entry_point_never_gives_a_traceback(payload: Any) -> None:
    result = amo("avenant", "check", "--json", stdin=json.dumps(payload))
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr


def test_the_document_command_writes_a_docx_with_the_exe10_content(tmp_path: Path) -> None:
    out = tmp_path / "avenant.docx"
    result = amo("avenant", "document", TRAVAUX, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Avenant n° 2" in result.stdout
    text = docx_text(out)
    for expected in (
        "AVENANT N° 2",
        "Commune de Saint-Exemple",
        "Bâtiments du Val SAS",
        "R2194-5",
        "1\u202f377\u202f400,00\u00a0€",
        "1\u202f652\u202f880,00\u00a0€",
        "6,83\u00a0%",
        "10,19\u00a0%",
        "prolongé de six semaines",
        "demeurent applicables",
        "Signature du titulaire",
        "Notification",
        "Reprise des appuis de fenêtres",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_the_document_command_writes_a_pdf_with_json_output(tmp_path: Path) -> None:
    out = tmp_path / "sortie" / "avenant.pdf"
    result = amo("avenant", "document", TRAVAUX, "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["format"] == "pdf"
    assert payload["basis"] == "R2194-5"
    content = out.read_bytes()
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert pdf_pages(content) >= 2, "l'avenant complet tient sur plusieurs pages A4"


def pdf_pages(content: bytes) -> int:
    """Count the page objects, looking inside compressed object streams too."""
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", chunk)) for chunk in chunks)


def test_no_avenant_is_written_for_a_forbidden_modification(tmp_path: Path) -> None:
    data = example("avenant_document.json")
    data["modification"]["amount_ht"] = "700000.00"
    out = tmp_path / "avenant.docx"
    result = amo("avenant", "document", "-", "--out", str(out), "--json", stdin=json.dumps(data))
    assert result.returncode == 2
    assert "n'est pas autorisée" in result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "modification_interdite"
    assert error["check"]["verdict"] == "interdite"
    assert not out.exists()


def test_an_unknown_output_format_exits_2(tmp_path: Path) -> None:
    result = amo("avenant", "document", TRAVAUX, "--out", str(tmp_path / "a.odt"))
    assert result.returncode == 2
    assert ".docx ou .pdf" in result.stderr


def docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.slow
def test_the_generated_docx_opens_in_libreoffice_and_converts_to_pdf(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé : make system-deps")
    docx = tmp_path / "avenant.docx"
    assert amo("avenant", "document", TRAVAUX, "--out", str(docx)).returncode == 0
    assert zipfile.is_zipfile(docx)
    converted = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(docx),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    pdf = tmp_path / "pdf" / "avenant.pdf"
    assert converted.returncode == 0 and pdf.exists(), converted.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    else:
        text = docx_text(docx)
    # Headings may be set in capitals by a style and lines wrap differently in a PDF.
    flat = " ".join(text.split()).casefold()
    for expected in ("AVENANT N° 2", "Saint-Exemple", "R2194-5", "Signature"):
        assert expected.casefold() in flat, expected
