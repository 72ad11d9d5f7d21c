"""Procedure choice: from the need and the launch date to the procedure and its obligations.

The date of launch (engagement of the consultation or sending of the call for competition)
decides which rules apply (transitional rule of décret n° 2025-1386, art. 4, and of each
threshold notice).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from openamo import law as law_data
from openamo.law import LawSnapshot
from openamo.money import format_amount, format_euros
from openamo.procurement._findings import Findings
from openamo.procurement.advice import advise
from openamo.procurement.deadlines import Deadlines, explain_deadlines, minimum_deadlines
from openamo.procurement.enums import Buyer, Nature, ProcedureKind, Publicity
from openamo.procurement.execution_conditions import execution_conditions
from openamo.procurement.framework import check_framework, deemed_above_thresholds
from openamo.procurement.lots import LotKinds, explain_lots, lot_kinds
from openamo.procurement.models import ProcedureInput, ProcedureResult
from openamo.procurement.publicity import (
    dce_required,
    explain_dce,
    explain_publicity,
    publicity_tier,
)
from openamo.procurement.thresholds import Thresholds, thresholds_for
from openamo.procurement.value import (
    EstimatedValue,
    estimate,
    explain_value,
    total_duration_months,
)
from openamo.validation import parse_input


def choose_procedure_from_dict(data: Any) -> ProcedureResult:
    """Validate a JSON-like dict (CLI/API contract) and choose the procedure."""
    return choose_procedure(parse_input(ProcedureInput, data))


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict alone, without its justification: what the rules decide for this need."""

    value: EstimatedValue
    kind: ProcedureKind
    publicity: Publicity
    dce_on_buyer_profile: bool
    deadlines: Deadlines
    lots: LotKinds
    limits: Thresholds


def decide(data: ProcedureInput) -> Decision:
    """Apply the rules in force on ``data.date``; :func:`choose_procedure` adds the reasons."""
    social = data.social_and_specific_services and data.nature is Nature.SERVICES
    limits = thresholds_for(data.date, data.buyer, data.nature, data.social_and_specific_services)
    value = estimate(data)
    kind = _kind(value.total, social, limits)
    framework = data.framework
    if framework is not None and not social and deemed_above_thresholds(data.date, framework):
        kind = ProcedureKind.FORMALISEE  # R2121-8, 2e alinéa, before 2022
    return Decision(
        value=value,
        kind=kind,
        publicity=publicity_tier(kind, value.total, social, limits),
        dce_on_buyer_profile=dce_required(kind, value.total, limits),
        deadlines=minimum_deadlines(kind, data),
        lots=lot_kinds(kind, value.lots, value.total, limits),
        limits=limits,
    )


def choose_procedure(data: ProcedureInput) -> ProcedureResult:
    decision = decide(data)
    law = law_data.at(data.date)
    findings = Findings()
    limits, value, kind = decision.limits, decision.value, decision.kind
    _check_social(data, findings)
    explain_value(data, value, findings)
    framework = None
    if data.framework is not None:
        framework = check_framework(
            data.date, data.buyer, data.framework, value.total, total_duration_months(data),
            findings, eu_threshold=limits.eu,
        )  # fmt: skip
    _check_zero_value(value.total, findings)
    _explain_kind(law, data, value.total, kind, limits, findings)
    allowed, conditional = _allowed(kind, data.buyer, findings)
    explain_publicity(
        law, decision.publicity, data.buyer, data.social_and_specific_services, limits, findings
    )
    explain_dce(law, kind, decision.dce_on_buyer_profile, limits, findings)
    explain_deadlines(kind, data, decision.deadlines, findings)
    lots = explain_lots(law, kind, value.lots, decision.lots, value.total, limits, findings)
    advise(law, data, kind, value.total, limits, decision.deadlines.minimum, findings)
    conditions = execution_conditions(
        data.date, value.total, limits.eu, data.social_condition_exception, findings
    )
    _flag_transitions(data, limits, findings)
    return ProcedureResult(
        date=data.date,
        estimated_value_ht=value.total,
        procedure=kind,
        allowed_procedures=allowed,
        conditional_procedures=conditional,
        publicity=decision.publicity,
        dce_on_buyer_profile=decision.dce_on_buyer_profile,
        min_response_days=decision.deadlines.minimum,
        deadlines=dict(decision.deadlines.detail),
        thresholds=dict(_thresholds_payload(limits)),
        lots=lots,
        execution_conditions=conditions,
        framework=framework,
        warnings=findings.warnings,
        ambiguities=findings.ambiguities,
        references=findings.references,
        explanation="\n".join(findings.lines),
    )


def _check_social(data: ProcedureInput, findings: Findings) -> None:
    if data.social_and_specific_services and data.nature is not Nature.SERVICES:
        findings.warn(
            "« Services sociaux et autres services spécifiques » ne concerne que des marchés de "
            "services : l'indication est ignorée pour des fournitures ou des travaux.",
            "CCP R2123-1 3°",
        )


def _check_zero_value(total: Decimal, findings: Findings) -> None:
    """A need estimated at 0 €: the reading chosen is said, since no text addresses it."""
    if total != 0:
        return
    findings.warn(
        "Valeur estimée nulle : un marché public est conclu à titre onéreux. Si l'opérateur est "
        "payé autrement que par l'acheteur (recettes tirées des usagers, droit d'exploiter, "
        "avantages en nature), ces contreparties font partie de la valeur à estimer ; s'il "
        "supporte le risque d'exploitation, le contrat est une concession, soumise à d'autres "
        "règles.",
        "CCP L1111-1",
        "CCP L1121-1",
        "CCP R2121-1",
    )
    findings.flag_ambiguity(
        "Aucun texte ne traite d'un besoin estimé à 0 € : OpenAMO le traite comme un besoin sous "
        "le seuil de dispense (aucune procédure imposée), lecture qui ne vaut que si le contrat "
        "n'a réellement aucune contrepartie à valoriser ; sinon, estimez-les et relancez le "
        "calcul.",
        "CCP R2121-1",
    )


def _kind(value: Decimal, social: bool, limits: Thresholds) -> ProcedureKind:
    if value < limits.dispense:
        return ProcedureKind.DISPENSE
    if social or value < limits.eu:
        return ProcedureKind.MAPA
    return ProcedureKind.FORMALISEE


def _explain_kind(
    law: LawSnapshot,
    data: ProcedureInput,
    value: Decimal,
    kind: ProcedureKind,
    limits: Thresholds,
    findings: Findings,
) -> None:
    dispense_ref = law.reference(limits.dispense_path)
    eu_ref = law.reference(limits.eu_path)
    if kind is ProcedureKind.DISPENSE:
        findings.explain(
            f"{format_euros(value)} HT est inférieur au seuil de dispense de "
            f"{format_euros(limits.dispense)} HT applicable aux {data.nature.label.lower()} le "
            f"{data.date:%d/%m/%Y} : marché sans publicité ni mise en concurrence préalables "
            "possible.",
            dispense_ref,
        )
    elif data.social_and_specific_services and data.nature is Nature.SERVICES:
        findings.explain(
            "Services sociaux et autres services spécifiques : procédure adaptée possible quelle "
            f"que soit la valeur (seuil européen de ces services : {format_euros(limits.eu)} HT).",
            "CCP R2123-1 3°",
            eu_ref,
        )
    elif kind is ProcedureKind.MAPA:
        findings.explain(
            f"{format_euros(value)} HT est au moins égal au seuil de dispense "
            f"({format_euros(limits.dispense)} HT) et inférieur au seuil européen de "
            f"{format_euros(limits.eu)} HT ({_eu_label(data)}) : procédure adaptée (MAPA).",
            dispense_ref,
            "CCP R2123-1 1°",
            eu_ref,
        )
    elif value < limits.eu or value < limits.dispense:
        findings.explain(
            "Accord-cadre sans maximum lancé avant le 01/01/2022 : sa valeur est réputée excéder "
            f"le seuil européen de {format_euros(limits.eu)} HT — procédure formalisée "
            "obligatoire (R2121-8, 2e alinéa, version antérieure au décret n° 2021-1111).",
            "CCP L2124-1",
            eu_ref,
        )
    else:
        findings.explain(
            f"{format_euros(value)} HT est égal ou supérieur au seuil européen de "
            f"{format_euros(limits.eu)} HT ({_eu_label(data)}) en vigueur le "
            f"{data.date:%d/%m/%Y} : procédure formalisée obligatoire.",
            "CCP L2124-1",
            eu_ref,
        )


def _eu_label(data: ProcedureInput) -> str:
    if data.nature is Nature.TRAVAUX:
        return "travaux, tous acheteurs"
    return {
        Buyer.ETAT: "fournitures et services des autorités publiques centrales",
        Buyer.COLLECTIVITE: "fournitures et services des collectivités et autres pouvoirs "
        "adjudicateurs",
        Buyer.ENTITE_ADJUDICATRICE: "fournitures et services des entités adjudicatrices",
    }[data.buyer]


def _allowed(
    kind: ProcedureKind, buyer: Buyer, findings: Findings
) -> tuple[list[str], list[dict[str, str]]]:
    formal = ["appel_offres_ouvert", "appel_offres_restreint"]
    if kind is ProcedureKind.DISPENSE:
        return ["dispense", "mapa", *formal], []
    if kind is ProcedureKind.MAPA:
        findings.explain(
            "L'acheteur peut toujours choisir une procédure formalisée à la place de la procédure "
            "adaptée ; il en respecte alors toutes les règles.",
        )
        return ["mapa", *formal], []
    if buyer is Buyer.ENTITE_ADJUDICATRICE:
        findings.explain(
            "Entité adjudicatrice : appel d'offres, procédure avec négociation et dialogue "
            "compétitif sont librement utilisables.",
            "CCP R2124-4",
            "CCP R2124-6",
        )
        return [*formal, "procedure_avec_negociation", "dialogue_competitif"], []
    condition = (
        "Seulement dans les cas de R2124-3 (besoin nécessitant adaptation ou conception, "
        "innovation, négociation préalable nécessaire, spécifications impossibles à établir "
        "avec précision, offres irrégulières ou inacceptables après un appel d'offres)"
    )
    findings.cite("CCP R2124-2", "CCP R2124-3")
    return formal, [
        {
            "procedure": "procedure_avec_negociation",
            "condition": condition,
            "reference": "CCP R2124-3",
        },
        {"procedure": "dialogue_competitif", "condition": condition, "reference": "CCP R2124-5"},
    ]


TRANSITION_WINDOW_DAYS = 31
"""How close to a change of threshold whose first day is uncertain (``note`` in the YAML) a
consultation is flagged: the exact day decides which threshold applies."""


def _flag_transitions(data: ProcedureInput, limits: Thresholds, findings: Findings) -> None:
    values = law_data.parameter(limits.dispense_path).values
    for previous, value in itertools.pairwise(values):
        near = abs((data.date - value.start).days) <= TRANSITION_WINDOW_DAYS
        if not near or not value.note:
            continue
        findings.flag_ambiguity(
            f"Consultation du {data.date:%d/%m/%Y}, proche du passage du seuil de dispense de "
            f"{format_euros(Decimal(str(previous.value)))} à "
            f"{format_euros(Decimal(str(value.value)))} HT le {value.start:%d/%m/%Y} : "
            f"{value.note} Vérifiez le jour exact d'entrée en vigueur pour une consultation "
            "lancée à la charnière.",
            value.reference,
        )


@lru_cache(maxsize=4096)
def _thresholds_payload(limits: Thresholds) -> dict[str, str]:
    return {
        "dispense": format_amount(limits.dispense),
        "european": format_amount(limits.eu),
        "boamp_ou_jal": format_amount(limits.boamp_ou_jal),
        "dce_profil_acheteur": format_amount(limits.dce_profile),
        "petit_lot": format_amount(limits.petit_lot),
        "petits_lots_part_cumulee": f"{limits.petits_lots_share:.2f}",
    }
