"""The case-law window of the maximum (CJUE Simonsen & Weel, 17/06/2021 → 31/12/2021): said
for a pouvoir adjudicateur's need at or above the EU threshold, never for an entité
adjudicatrice nor below the threshold."""

from __future__ import annotations

from openamo.procurement.choice import choose_procedure
from openamo.procurement.models import ProcedureInput


def _ambiguities(buyer: str, day: str, amount: str) -> list[str]:
    data = ProcedureInput.model_validate(
        {
            "date": day,
            "buyer": buyer,
            "nature": "fournitures",
            "estimated_amount_ht": amount,
            "duration_months": 24,
            "framework": {},
        }
    )
    return choose_procedure(data).ambiguities


def test_the_case_law_window_is_said_for_a_collectivite_above_the_eu_threshold() -> None:
    assert any("Simonsen" in a for a in _ambiguities("collectivite", "2021-09-01", "300000"))


def test_the_case_law_window_is_not_said_for_an_entite_adjudicatrice() -> None:
    found = _ambiguities("entite_adjudicatrice", "2021-09-01", "900000")
    assert not any("Simonsen" in a for a in found)


def test_the_case_law_window_closes_when_the_code_requires_the_maximum() -> None:
    assert not any("Simonsen" in a for a in _ambiguities("collectivite", "2022-01-01", "300000"))
