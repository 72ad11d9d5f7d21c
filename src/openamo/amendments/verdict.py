"""The amendment check: which case of L2194-1 allows the modification, and what follows.

Order of examination: the case invoked first; then, if it is closed, the low-value case
(R2194-8, objective) and the non-substantial case (R2194-7, only when the four tests were
answered and none is met). A change of the contract's object or nature, or a change of
contractor outside R2194-6, forbids the modification whatever the basis.
"""

from __future__ import annotations

from typing import Any

from openamo.amendments._context import Situation, situation_for
from openamo.amendments._findings import Findings
from openamo.amendments.bases import (
    Assessment,
    assess,
    blocked,
    candidates,
    changes_nature,
    replaces_contractor_outside_r2194_6,
)
from openamo.amendments.citations import flag_obsolete_citations
from openamo.amendments.duties import NONE, Duties, duties_for
from openamo.amendments.enums import Basis, ModificationKind, Verdict
from openamo.amendments.models import (
    AmendmentCheckInput,
    AmendmentCheckResult,
    BasisCheck,
    Limits,
    PriceDriftAdvice,
)
from openamo.amendments.price_drift import price_drift
from openamo.money import format_euros, format_percent, format_share
from openamo.validation import parse_input
from openamo.wording import count

_TRANSFER_KINDS = (ModificationKind.NOUVEAU_TITULAIRE, ModificationKind.CLAUSE_REEXAMEN)


def check_amendment_from_dict(data: Any) -> AmendmentCheckResult:
    """Validate a JSON-like dict (CLI/API contract) and check the modification."""
    return check_amendment(parse_input(AmendmentCheckInput, data))


def check_amendment(data: AmendmentCheckInput) -> AmendmentCheckResult:
    situation = situation_for(data)
    findings = Findings()
    is_blocked = _blockers(situation, findings)
    examined: list[Assessment] = []
    chosen: Assessment | None = None
    for candidate in candidates(situation):
        assessment = assess(candidate, situation)
        examined.append(assessment)
        if assessment.available and not is_blocked:
            chosen = assessment
            break
    _record(situation, examined, chosen, findings)
    basis = chosen.basis if chosen else None
    duties = duties_for(situation, basis, findings) if basis else NONE
    _successive_caps(situation, basis, findings)
    flag_obsolete_citations(situation, findings)
    drift = price_drift(situation, basis)
    if drift is not None:
        findings.explain(f"Variation de prix — {drift.route.label} : {drift.explanation}")
        findings.cite(*drift.references)
    _explain(situation, basis, duties, findings)
    return _result(situation, basis, duties, examined, drift, findings)


def _blockers(situation: Situation, findings: Findings) -> bool:
    rules = situation.rules
    if changes_nature(situation):
        findings.requires_new_procedure(
            "La modification change l'objet du marché : elle en change la nature globale, ce "
            "qu'aucune modification ne peut faire, quelle que soit sa base — un nouveau marché "
            "doit être mis en concurrence.",
            rules.article("nature_globale"),
            rules.basis_reference(Basis.NON_SUBSTANTIELLE),
        )
    if replaces_contractor_outside_r2194_6(situation):
        findings.requires_new_procedure(
            "La modification remplace le titulaire : ce n'est possible qu'en application d'une "
            "clause de réexamen ou après une restructuration du titulaire initial (R2194-6).",
            rules.basis_reference(Basis.NOUVEAU_TITULAIRE),
            rules.basis_reference(Basis.NON_SUBSTANTIELLE),
        )
    return blocked(situation)


def _record(
    situation: Situation,
    examined: list[Assessment],
    chosen: Assessment | None,
    findings: Findings,
) -> None:
    figures = situation.figures
    claimed = examined[0]
    findings.reason(
        f"Base invoquée : {claimed.basis.value} ({claimed.basis.label}).",
        situation.rules.basis_reference(claimed.basis),
    )
    findings.reason(
        f"Montant de la modification : {format_euros(figures.amount)} HT, soit "
        f"{format_percent(figures.percent(figures.amount))} du montant initial "
        f"({format_euros(figures.initial)} HT) ; variation cumulée du marché : "
        f"{format_euros(figures.cumulative_change)} HT "
        f"({format_percent(figures.percent(figures.cumulative_change))}) ; nouveau montant : "
        f"{format_euros(figures.new_amount)} HT."
    )
    for assessment in examined:
        for reason in assessment.reasons:
            findings.reason(f"{assessment.basis.value} — {reason}")
        findings.cite(*assessment.references)
        for ambiguity in assessment.ambiguities:
            findings.flag_ambiguity(ambiguity)
    relevant = [claimed] if chosen is None or chosen is claimed else [claimed, chosen]
    for assessment in relevant:
        for warning in assessment.warnings:
            findings.warn(warning)
    if chosen is not None and chosen is not claimed:
        findings.warn(
            f"La base invoquée ({claimed.basis.value}) n'est pas ouverte, mais la modification "
            f"relève de {chosen.basis.value} ({chosen.basis.label}) : enregistrez-la sur cette "
            "base (elle compte alors dans le cumul des modifications de faible montant si c'est "
            "R2194-8)."
        )
    if chosen is None:
        for assessment in examined:
            for reason in assessment.blocking:
                findings.requires_new_procedure(f"{assessment.basis.value} — {reason}")


def _successive_caps(situation: Situation, basis: Basis | None, findings: Findings) -> None:
    capped = (Basis.PRESTATIONS_SUPPLEMENTAIRES, Basis.CIRCONSTANCES_IMPREVUES)
    if basis not in capped or not situation.is_pouvoir_adjudicateur:
        return
    figures, rules = situation.figures, situation.rules
    together = figures.previous_cap_bases_total + figures.amount
    if figures.previous_cap_bases_total and together > rules.cap_rate * figures.revised:
        findings.warn(
            "Ensemble, les modifications fondées sur R2194-2 et R2194-5 dépassent "
            f"{format_share(rules.cap_rate)} du montant initial "
            f"({format_euros(together)} HT) : le plafond s'applique à chaque modification, mais "
            "des modifications successives ne doivent pas viser à contourner la mise en "
            "concurrence.",
            rules.cap_reference,
        )


def _explain(situation: Situation, basis: Basis | None, duties: Duties, findings: Findings) -> None:
    figures, rules, data = situation.figures, situation.rules, situation.data
    amounts = (
        f"La modification de {format_euros(figures.amount)} HT "
        f"({format_percent(figures.percent(figures.amount))} du montant initial de "
        f"{format_euros(figures.initial)} HT ; {format_percent(figures.percent(figures.cumulative_change))} en "
        "cumulé)"
    )
    if basis is not None:
        text = f"{amounts} est autorisée au titre de l'article {basis.value} ({basis.label})"
        reference = rules.basis_reference(basis)
        if not reference.startswith("CCP"):
            text += f" — texte applicable à ce marché : {reference}"
        findings.lines.insert(
            0, f"{text}. Le nouveau montant du marché est de {format_euros(figures.new_amount)} HT."
        )
    else:
        first = findings.new_procedure_reasons[0] if findings.new_procedure_reasons else ""
        findings.lines.insert(
            0,
            f"{amounts} est interdite sans nouvelle procédure de mise en concurrence. {first}",
        )
    launched = "lancé" if data.contract.consultation_launched_on else "notifié"
    findings.lines.insert(
        1,
        f"Le marché, {launched} le {rules.regime_date:%d/%m/%Y}, relève du régime suivant : "
        f"{rules.regime_reference}. Le seuil européen retenu est celui en vigueur à la date de la "
        f"modification ({rules.modification_date:%d/%m/%Y}) : "
        f"{format_euros(rules.eu_threshold)} HT.",
    )
    if basis is not None:
        findings.lines.insert(2, _duties_sentence(duties))
    if findings.ambiguities:
        findings.explain(
            f"Points à vérifier : {count(len(findings.ambiguities), 'incertitude juridique signalée')} "
            "dans « ambiguities »."
        )


def _duties_sentence(duties: Duties) -> str:
    steps = []
    if duties.cao_opinion_required:
        steps.append("avis préalable de la commission d'appel d'offres (CGCT L1414-4)")
    if duties.modification_notice_required:
        steps.append("avis de modification au JOUE (CCP R2194-10)")
    if duties.decp_update_required:
        when = (
            f" au plus tard le {duties.decp_deadline_on:%d/%m/%Y}"
            if duties.decp_deadline_on
            else ""
        )
        steps.append(f"mise à jour des données essentielles{when} (CCP R2196-1)")
    if not steps:
        return "Aucune formalité de publication ou d'avis n'est requise."
    return "Formalités : " + " ; ".join(steps) + "."


def _result(
    situation: Situation,
    basis: Basis | None,
    duties: Duties,
    examined: list[Assessment],
    drift: PriceDriftAdvice | None,
    findings: Findings,
) -> AmendmentCheckResult:
    figures, rules = situation.figures, situation.rules
    cap_limit = rules.cap_rate * figures.revised if situation.is_pouvoir_adjudicateur else None
    limits = Limits(
        faible_montant_percent=rules.faible_montant_rate * 100,
        faible_montant_limit_ht=rules.faible_montant_rate * figures.initial,
        eu_threshold_ht=rules.eu_threshold,
        cap_percent=rules.cap_rate * 100 if situation.is_pouvoir_adjudicateur else None,
        cap_base_ht=figures.revised,
        cap_limit_ht=cap_limit,
        cao_percent=rules.cao_rate * 100,
    )
    return AmendmentCheckResult(
        verdict=Verdict.AUTORISEE if basis else Verdict.INTERDITE,
        basis=basis,
        modification_percent=figures.percent(figures.amount),
        cumulative_percent=figures.percent(figures.cumulative_change),
        new_amount_ht=figures.new_amount,
        new_procedure_required=basis is None,
        cao_opinion_required=duties.cao_opinion_required,
        modification_notice_required=duties.modification_notice_required,
        reasons=findings.reasons,
        references=findings.references,
        explanation=" ".join(findings.lines),
        new_procedure_reasons=findings.new_procedure_reasons,
        faible_montant_cumulative_percent=figures.percent(figures.faible_montant_cumul),
        deliberating_body_information_required=duties.deliberating_body_information_required,
        decp_update_required=duties.decp_update_required,
        decp_deadline_on=duties.decp_deadline_on,
        price_drift=drift,
        bases_examined=[
            BasisCheck(basis=a.basis, available=a.available, reasons=a.reasons) for a in examined
        ],
        limits=limits,
        regime=rules.regime_reference,
        regime_date=rules.regime_date,
        warnings=findings.warnings,
        ambiguities=findings.ambiguities,
    )
