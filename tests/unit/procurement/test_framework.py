"""The case-law period of the maximum (CJUE Simonsen & Weel, no limit in time, applied by the
Conseil d'État, 28/01/2022, n° 456418, to notices sent before 2022): an accord-cadre without a
maximum is said to be a failure of publicity for a pouvoir adjudicateur's need at or above the EU
threshold until 31/12/2021, never for an entité adjudicatrice nor below the threshold."""

from __future__ import annotations

from openamo.procurement.choice import choose_procedure
from openamo.procurement.models import ProcedureInput


def _warnings(buyer: str, day: str, amount: str) -> list[str]:
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
    return choose_procedure(data).warnings


def test_the_case_law_period_is_said_for_a_collectivite_above_the_eu_threshold() -> None:
    assert any("n° 456418" in w for w in _warnings("collectivite", "2021-09-01", "300000"))


def test_the_case_law_period_starts_before_the_cjue_ruling() -> None:
    assert any("Simonsen" in w for w in _warnings("collectivite", "2020-03-02", "300000"))


def test_the_case_law_period_is_not_said_for_an_entite_adjudicatrice() -> None:
    found = _warnings("entite_adjudicatrice", "2021-09-01", "900000")
    assert not any("Simonsen" in w for w in found)


def test_the_case_law_period_is_not_said_below_the_eu_threshold() -> None:
    assert not any("Simonsen" in w for w in _warnings("collectivite", "2021-09-01", "30000"))


def test_the_case_law_period_closes_when_the_code_requires_the_maximum() -> None:
    assert not any("Simonsen" in w for w in _warnings("collectivite", "2022-01-01", "300000"))
