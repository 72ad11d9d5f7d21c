"""The avenant document: content of the EXE10 form, amounts HT / TVA / TTC, refusals."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from openamo.amendments import AmendmentCheckInput, check_amendment
from openamo.documents.avenant import (
    AvenantDocumentInput,
    _money,
    avenant_context,
    make_avenant_from_dict,
    render_summary,
)
from openamo.documents.render import html_environment
from openamo.errors import OpenAMOError
from openamo.validation import parse_input

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "amendments" / "avenant_travaux.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def context_of(data: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_input(AvenantDocumentInput, data)
    check = check_amendment(
        AmendmentCheckInput(
            contract=parsed.contract,
            previous_modifications=list(parsed.previous_modifications),
            modification=parsed.modification,
        )
    )
    return avenant_context(parsed, check)


def test_vat_is_rounded_to_the_cent_half_up_and_ttc_is_the_sum() -> None:
    money = _money(Decimal("1000.10"), Decimal("0.055"))
    assert money == {
        "ht": "1\u202f000,10\u00a0€",
        "tva": "55,01\u00a0€",
        "ttc": "1\u202f055,11\u00a0€",
    }


def test_the_context_carries_every_part_of_the_exe10_form() -> None:
    context = context_of(example())
    assert context["title"] == "Avenant n° 2 au marché n° 2025-TRAV-03 lot 1"
    assert context["buyer_kind"] == "Identification du pouvoir adjudicateur"
    assert context["contract"]["notified_on"] == "14/03/2025"
    assert context["contract"]["initial"]["ttc"] == "1\u202f500\u202f000,00\u00a0€"
    assert context["amounts"]["before"]["ht"] == "1\u202f292\u202f000,00\u00a0€"
    assert context["amounts"]["after"]["ht"] == "1\u202f377\u202f400,00\u00a0€"
    assert context["modification"]["amount"]["tva"] == "17\u202f080,00\u00a0€"
    assert context["modification"]["percent"] == "6,83\u00a0%"
    assert context["modification"]["cumulative_percent"] == "10,19\u00a0%"
    assert "R2194-5" in context["modification"]["legal_basis"]
    assert context["previous"][0]["basis"] == "R2194-8"
    assert "demeurent applicables" in context["unchanged_clauses"]
    assert context["cao"] == (
        "Avis de la commission d'appel d'offres (CGCT L1414-4) : non requis — montant initial "
        "du marché (1\u202f250\u202f000,00\u00a0€ HT), pris individuellement, inférieur au seuil "
        "européen en vigueur à son lancement le 14/03/2025 (5\u202f538\u202f000,00\u00a0€ HT)."
    )
    # What both parties sign: the clause, not the tool's reading of the law nor the buyer's
    # formalities after signature.
    assert context["modification"]["legal_basis"] == (
        "le présent avenant est conclu sur le fondement de l'article L2194-1 du code de la "
        "commande publique et de l'article R2194-5 (circonstances imprévues)."
    )
    assert "duties" not in context


def test_the_signed_avenant_holds_no_tool_text_and_the_formalities_go_to_the_user(
    tmp_path: Path,
) -> None:
    result = make_avenant_from_dict(example(), tmp_path / "avenant.docx")
    text = " ".join(p.text for p in Document(str(tmp_path / "avenant.docx")).paragraphs)
    for tool_text in ("loi ELAN", "avis facultatif", "Texte :", "Formalités", "à mettre à jour"):
        assert tool_text not in text
    assert "Fondement juridique : le présent avenant est conclu" in text
    assert any("Données essentielles à mettre à jour" in duty for duty in result.duties)
    assert "Formalité : Données essentielles" in render_summary(result)
    html = html_environment().get_template("avenant.html").render(**context_of(example()))
    assert "Formalités" not in html and "loi ELAN" not in html


def test_without_a_deadline_effect_the_avenant_says_so() -> None:
    data = example()
    del data["modification"]["deadline_effect"]
    assert "sans incidence sur les délais" in context_of(data)["modification"]["deadline_effect"]


def test_the_cao_opinion_is_recorded_or_announced() -> None:
    data = example()
    data["contract"]["procedure"] = "formalisee"
    # The CAO's competence follows the value at launch against the EU threshold (L1414-2):
    # this lot of 1,25 M€ is not subject to it on its own, a 5,6 M€ contract is.
    assert "non requis" in context_of(data)["cao"]
    data["contract"]["estimated_value_ht"] = "5600000.00"
    assert "à recueillir" in context_of(data)["cao"]
    data["cao_opinion"] = {"date": "2026-11-16", "opinion": "favorable"}
    assert context_of(data)["cao"].startswith("Avis favorable de la commission d'appel d'offres")


def test_the_html_template_shows_every_section() -> None:
    html = html_environment().get_template("avenant.html").render(**context_of(example()))
    for section in ("A –", "B –", "C –", "D –", "E –", "F –", "G –"):
        assert section in html
    assert "Désamiantage" in html and "R2194-5" in html


def test_an_invalid_siret_is_refused() -> None:
    data = example()
    data["contractor"]["siret"] = "12345678901234"
    with pytest.raises(OpenAMOError) as raised:
        make_avenant_from_dict(data, Path("ignored.docx"))
    assert any("SIRET invalide" in d.message for d in raised.value.details)


def test_the_contract_reference_and_object_are_required_for_a_document() -> None:
    data = copy.deepcopy(example())
    del data["contract"]["reference"]
    with pytest.raises(OpenAMOError) as raised:
        make_avenant_from_dict(data, Path("ignored.docx"))
    assert [d.location for d in raised.value.details] == ["contract.reference"]


def test_an_unwritable_destination_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(OpenAMOError, match="Impossible d'écrire"):
        make_avenant_from_dict(example(), blocker / "avenant.docx")
