"""Risk register: the five classic pitfalls, their contract clauses, overrides and new risks."""

from __future__ import annotations

import pytest

from openamo.errors import OpenAMOError
from openamo.steering import AnswerStatus, RiskEntry, RiskLevel, build_register, prefilled_register
from openamo.validation import parse_input

PITFALLS = {
    "derive_perimetre",
    "besoins_mal_recueillis",
    "sponsor_absent",
    "dependance_integrateur",
    "conduite_changement_tardive",
}


def test_the_register_is_prefilled_with_the_five_classic_pitfalls() -> None:
    register = prefilled_register()
    assert {r.id for r in register} == PITFALLS
    for risk in register:
        assert risk.score == risk.probability * risk.impact
        assert risk.owner and risk.mitigation and risk.prefilled


def test_integrator_lock_in_carries_reversibility_and_data_export_clauses() -> None:
    lock_in = next(r for r in prefilled_register() if r.id == "dependance_integrateur")
    clauses = " ".join(lock_in.contract_clauses)
    assert "Réversibilité" in clauses and "Export des données" in clauses
    assert "format ouvert" in clauses
    assert any("CCAG-TIC" in ref for ref in lock_in.references)
    assert any("RGPD art. 28" in ref for ref in lock_in.references)


def test_the_register_is_sorted_by_criticity_and_levelled() -> None:
    register = prefilled_register()
    assert [r.score for r in register] == sorted((r.score for r in register), reverse=True)
    top = register[0]
    assert top.id == "besoins_mal_recueillis" and top.score == 20  # 4 × 5
    assert top.level is RiskLevel.CRITIQUE


def test_a_complete_framing_lowers_the_probability_of_the_linked_pitfalls() -> None:
    complete = dict.fromkeys(("irritants_utilisateurs", "donnees"), AnswerStatus.COMPLETE)
    register = {r.id: r for r in prefilled_register(complete)}
    assert register["besoins_mal_recueillis"].probability == 2
    assert register["dependance_integrateur"].probability == 2
    assert register["sponsor_absent"].probability == 3  # its questions are not answered


def test_committee_overrides_a_pitfall_and_adds_its_own_risk() -> None:
    entries = [
        parse_input(RiskEntry, {"id": "sponsor_absent", "probability": 1, "status": "clos"}),
        parse_input(
            RiskEntry,
            {"id": "referents", "title": "Référents indisponibles", "probability": 3, "impact": 3},
        ),
    ]
    register = {r.id: r for r in build_register(entries)}
    assert (
        register["sponsor_absent"].score == 4 and register["sponsor_absent"].status.value == "clos"
    )
    assert register["sponsor_absent"].mitigation  # kept from the pre-filled risk
    assert register["referents"].level is RiskLevel.MODERE and not register["referents"].prefilled


def test_a_new_risk_needs_a_title_a_probability_and_an_impact() -> None:
    with pytest.raises(OpenAMOError, match="champs obligatoires manquants : probabilité, impact"):
        build_register([parse_input(RiskEntry, {"id": "nouveau", "title": "Nouveau"})])
