"""Legal checks on the criteria, evaluated at the consultation's launch date."""

from __future__ import annotations

from datetime import date
from typing import Any

from openamo import law
from openamo.award._findings import Findings
from openamo.award.criteria import check_criteria
from openamo.award.models import CriterionInput
from openamo.procurement.enums import Nature, ProcedureKind


def criteria(*items: dict[str, Any]) -> list[CriterionInput]:
    return [CriterionInput.model_validate(item) for item in items]


def codes(day: date, items: list[CriterionInput], **options: Any) -> list[str]:
    findings = Findings()
    check_criteria(law.at(day), items, findings, **options)
    return [check.code for check in findings.checks]


PRICE = {"name": "Prix", "weight": 60, "kind": "prix"}
TECH = {"name": "Valeur technique", "weight": 40, "kind": "technique"}


def test_the_environmental_criterion_becomes_mandatory_on_21_august_2026() -> None:
    items = criteria(PRICE, TECH)
    assert "critere_environnemental_recommande" in codes(date(2026, 8, 20), items)
    assert "critere_environnemental_absent" in codes(date(2026, 8, 21), items)


def test_price_only_is_allowed_the_day_before_and_refused_the_day_of() -> None:
    only = criteria({"name": "Prix", "weight": 100, "kind": "prix"})
    before = codes(date(2026, 8, 20), only, nature=Nature.FOURNITURES, standardised=True)
    after = codes(date(2026, 8, 21), only, nature=Nature.FOURNITURES, standardised=True)
    assert "prix_seul_admis" in before
    assert "prix_seul_interdit" in after


def test_a_criteria_set_without_price_or_cost_is_illegal() -> None:
    items = criteria({"name": "Technique", "weight": 100, "kind": "technique"})
    assert "prix_ou_cout_absent" in codes(date(2025, 1, 1), items)


def test_a_formalised_procedure_records_the_weighting_obligation() -> None:
    items = criteria(PRICE, TECH)
    assert "ponderation_formalisee" in codes(
        date(2025, 1, 1), items, procedure=ProcedureKind.FORMALISEE
    )
    assert "ponderation_formalisee" not in codes(
        date(2025, 1, 1), items, procedure=ProcedureKind.MAPA
    )


def test_geographic_wording_is_detected_without_accents_or_case() -> None:
    local = {"name": "Implantation LOCALE", "weight": 40, "kind": "autre"}
    assert "critere_geographique" in codes(date(2025, 1, 1), criteria(PRICE, local))


def test_ordinary_technical_wording_raises_no_warning() -> None:
    found = codes(date(2025, 1, 1), criteria(PRICE, TECH))
    assert found == ["critere_environnemental_recommande"]


def test_the_personnel_of_the_contract_is_not_a_candidacy_criterion() -> None:
    staff = {
        "name": "Qualification du personnel affecté au marché",
        "weight": 40,
        "kind": "qualite",
    }
    assert "critere_de_candidature" not in codes(date(2025, 1, 1), criteria(PRICE, staff))


def test_consultations_of_21_and_22_august_2026_are_flagged_for_review() -> None:
    for day, flagged in (
        (date(2026, 8, 21), True),
        (date(2026, 8, 22), True),
        (date(2026, 8, 23), False),
    ):
        findings = Findings()
        check_criteria(law.at(day), criteria(PRICE, TECH), findings)
        assert bool(findings.ambiguities) is flagged
