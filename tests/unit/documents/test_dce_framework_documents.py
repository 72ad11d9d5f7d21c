"""The DCE of an accord-cadre executed by marchés subséquents (or partly by orders), read back:
the RC and the CCAP say how subsequent contracts are awarded, the AE is the accord-cadre's."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from openamo.award.dossier import prepare_consultation_from_dict
from openamo.documents.dce import generate_dce_from_dict
from openamo.errors import OpenAMOError
from openamo.money import format_euros
from tests.unit.documents.test_dce_documents import docx_text

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[3] / "examples" / "dce_generate.json").read_text("utf-8")
)


def consultation(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def test_a_multi_holder_framework_by_subsequent_contracts_reopens_competition(
    tmp_path: Path,
) -> None:
    data = consultation(
        contract_form="accord_cadre_marches_subsequents", winners=3, subsequent_response_days=10
    )
    result = generate_dce_from_dict(data, tmp_path)
    rc = docx_text(tmp_path / "RC.docx")
    assert "Accord-cadre exécuté par la conclusion de marchés subséquents" in rc
    assert "Attribution des marchés subséquents" in rc
    assert "remise en concurrence des titulaires (article R2162-10" in rc
    assert "consulte par écrit les titulaires de l'accord-cadre" in rc
    assert "dans un délai de 10 jours" in rc and "critères d'attribution de l'accord-cadre" in rc
    assert "3 titulaires au plus" in rc and "au moins 2 titulaires" in rc
    assert f"maximum {format_euros(Decimal(90000))} HT" in rc
    ccap = docx_text(tmp_path / "CCAP.docx")
    assert "Marchés subséquents" in ccap and "R2162-7" in ccap
    # as the award calendar (based_on_framework): no standstill before a subsequent contract
    assert "ne sont pas précédés du délai de suspension" in ccap and "R2182-2, 2°" in ccap
    assert "Bons de commande" not in ccap  # no part executed by orders
    ae = docx_text(tmp_path / "AE_lot_1.docx")
    assert "Le présent acte d'engagement est celui de l'accord-cadre" in ae
    assert "chaque marché subséquent est un contrat distinct" in ae
    assert "aux quantités réellement exécutées" not in ae
    assert "pour chaque marché subséquent d'un montant supérieur à 50\u202f000,00" in ae
    assert "CCP R2162-10" in result.references and "CCP R2162-9" not in result.references
    assert "CCP R2162-12" not in result.references


def test_a_single_holder_framework_gives_its_subsequent_contracts_on_its_own_terms(
    tmp_path: Path,
) -> None:
    generate_dce_from_dict(consultation(contract_form="accord_cadre_marches_subsequents"), tmp_path)
    rc = docx_text(tmp_path / "RC.docx")
    assert "seul titulaire" in rc and "compléter son offre (article R2162-9" in rc
    assert "remise en concurrence des titulaires" not in rc
    assert "au moins 2 titulaires" not in rc


def test_without_a_deadline_the_consultation_sets_a_sufficient_one(tmp_path: Path) -> None:
    generate_dce_from_dict(
        consultation(contract_form="accord_cadre_marches_subsequents", winners=2), tmp_path
    )
    assert "suffisant compte tenu de la complexité" in docx_text(tmp_path / "RC.docx")


def test_a_mixed_framework_states_both_parts_and_their_split(tmp_path: Path) -> None:
    split = "Fournitures courantes par bons de commande ; opérations de cuisine par subséquents"
    data = consultation(contract_form="accord_cadre_mixte", winners=2, mixed_split=split)
    generate_dce_from_dict(data, tmp_path)
    ccap = docx_text(tmp_path / "CCAP.docx")
    assert "Bons de commande" in ccap and "Marchés subséquents" in ccap
    assert "Les prestations qui relèvent des bons de commande sont commandées" in ccap
    assert split in ccap and split in docx_text(tmp_path / "RC.docx")
    ae = docx_text(tmp_path / "AE_lot_1.docx")
    assert "les bons de commande sont émis dans les conditions" in ae


def test_a_mixed_framework_without_its_split_is_not_drafted(tmp_path: Path) -> None:
    with pytest.raises(OpenAMOError) as raised:
        generate_dce_from_dict(consultation(contract_form="accord_cadre_mixte"), tmp_path)
    assert any("R2162-3" in detail.message for detail in raised.value.details)
    assert not list(tmp_path.iterdir())


def test_a_framework_without_maximum_is_refused_whatever_its_execution() -> None:
    data = consultation(contract_form="accord_cadre_marches_subsequents")
    del data["lots"][0]["max_amount_ht"]
    with pytest.raises(OpenAMOError) as raised:
        prepare_consultation_from_dict(data)
    codes = [detail.location for detail in raised.value.details]
    assert "lots[0].max_amount_ht" in codes


def test_the_procedure_sees_the_subsequent_contracts_and_their_holders() -> None:
    file = prepare_consultation_from_dict(
        consultation(contract_form="accord_cadre_marches_subsequents", winners=3)
    )
    verdict = file.procedure.framework
    assert verdict is not None and "remis en concurrence" in verdict.explanation


def test_subsequent_settings_are_refused_on_another_form() -> None:
    with pytest.raises(OpenAMOError, match="délai de réponse aux remises en concurrence"):
        prepare_consultation_from_dict(consultation(subsequent_response_days=10))
    with pytest.raises(OpenAMOError, match="répartition entre bons de commande"):
        prepare_consultation_from_dict(
            consultation(contract_form="accord_cadre_marches_subsequents", mixed_split="x")
        )


def test_an_ordinary_contract_says_nothing_of_frameworks(tmp_path: Path) -> None:
    data = consultation(contract_form="ordinaire")
    for lot in data["lots"]:
        lot.pop("min_amount_ht", None)
        lot.pop("max_amount_ht", None)
    generate_dce_from_dict(data, tmp_path)
    assert "celui de l'accord-cadre" not in docx_text(tmp_path / "AE_lot_1.docx")
    assert "Marchés subséquents" not in docx_text(tmp_path / "CCAP.docx")


def test_several_holders_of_an_ordinary_contract_are_flagged() -> None:
    data = consultation(contract_form="ordinaire", winners=2)
    file = prepare_consultation_from_dict(data)
    assert any("seul un accord-cadre peut être conclu" in w for w in file.findings.warnings)
    framework = prepare_consultation_from_dict(consultation(winners=2))
    assert not any("seul un accord-cadre" in w for w in framework.findings.warnings)
