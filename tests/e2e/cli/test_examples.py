"""Every file of ``examples/`` runs through its command and gives one JSON object (exit 0)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.cli._amo import AMO, ROOT

JSON_COMMANDS = {
    "procedure_choose.json": ["procedure", "choose"],
    "procedure_sans_concurrence.json": ["procedure", "sans-concurrence"],
    "avenant_check.json": ["avenant", "check"],
    "offres_score.json": ["offres", "score"],
    "prix_revision.json": ["prix", "revision"],
    "paiement_retard.json": ["paiement", "retard"],
    "paiement_avance.json": ["paiement", "avance"],
    "paiement_retenue.json": ["paiement", "retenue"],
    "paiement_sous_traitance.json": ["paiement", "sous-traitance"],
    "attribution_calendrier.json": ["attribution", "calendrier"],
    "egalim_ratios.json": ["egalim", "ratios"],
    "egalim_achats.csv": ["egalim", "import"],
    "egalim_prevision.json": ["egalim", "prevision"],
    "projet_roi.json": ["projet", "roi"],
    "projet_cadrage.json": ["projet", "cadrage"],
    "projet_pilotage.json": ["projet", "pilotage"],
    "travaux_moe.json": ["travaux", "moe"],
    "travaux_honoraires.json": ["travaux", "honoraires"],
    "travaux_organisation.json": ["travaux", "organisation"],
    "travaux_reception.json": ["travaux", "reception"],
    "travaux_dgd.json": ["travaux", "dgd"],
    "travaux_phases.json": ["travaux", "phases"],
    "travaux_ordres.json": ["travaux", "ordres"],
    "travaux_acomptes.json": ["travaux", "acomptes"],
    "travaux_augmentation.json": ["travaux", "augmentation"],
    "decp_export.json": ["decp", "export"],
}
DOCUMENT_COMMANDS = {
    "avenant_document.json": (["avenant", "document"], "avenant.docx"),
    "offres_rapport.json": (["offres", "rapport"], "rapport.docx"),
    "dce_generate.json": (["dce", "generate"], "dce"),
    "attribution_lettres.json": (["attribution", "lettres"], "lettres"),
    "projet_rapport.json": (["projet", "rapport"], "rapport.docx"),
}

pytestmark = pytest.mark.e2e


def test_every_example_has_a_command() -> None:
    known = set(JSON_COMMANDS) | set(DOCUMENT_COMMANDS)
    assert {path.name for path in (ROOT / "examples").iterdir()} <= known


@pytest.mark.parametrize("name", sorted(JSON_COMMANDS))
def test_example_gives_one_json_object_with_references(name: str) -> None:
    assert AMO
    result = subprocess.run(
        [AMO, *JSON_COMMANDS[name], str(ROOT / "examples" / name), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["references"]
    assert payload["explanation"].strip()


@pytest.mark.parametrize("name", sorted(DOCUMENT_COMMANDS))
def test_document_example_writes_its_file(name: str, tmp_path: Path) -> None:
    assert AMO
    command, target = DOCUMENT_COMMANDS[name]
    out = tmp_path / target
    result = subprocess.run(
        [AMO, *command, str(ROOT / "examples" / name), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.exists()
    if out.is_dir():
        assert any(out.iterdir())
    else:
        assert out.stat().st_size > 1000
