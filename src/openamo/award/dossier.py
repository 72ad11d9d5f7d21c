"""Checks a consultation before its file (DCE) is drafted, and gathers what the documents need.

The procedure, its publicity and the minimum response time come from the procurement module
(:func:`openamo.procurement.choose_procedure`); the criteria are checked at the launch date;
the clauses are checked against the rules that apply to them. Any blocking problem stops the
drafting with one French error listing them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openamo import law as law_data
from openamo.award import _law
from openamo.award._findings import Findings
from openamo.award.consultation import (
    ConsultationInput,
    ContractForm,
    DceLot,
    PriceForm,
    ProcedureType,
)
from openamo.award.criteria import check_criteria
from openamo.award.enums import CheckLevel
from openamo.award.models import CriterionInput
from openamo.errors import ErrorDetail, LawDataError, OpenAMOError
from openamo.law import LawSnapshot
from openamo.money import to_cents
from openamo.pricing.term import renewal_length
from openamo.procurement import ProcedureResult, choose_procedure_from_dict
from openamo.procurement.enums import FrameworkExecution, FrameworkHolders
from openamo.validation import parse_input

EGALIM = "catering.targets."


@dataclass(frozen=True)
class EgalimLaw:
    quality: Decimal | None
    organic: Decimal | None
    meat_fish: Decimal | None
    references: tuple[str, ...]


@dataclass
class ConsultationFile:
    data: ConsultationInput
    procedure: ProcedureResult
    procedure_type: ProcedureType
    response_days: int
    egalim: EgalimLaw
    environmental_conditions_mandatory: bool
    social_conditions_mandatory: bool
    findings: Findings

    def criteria_for(self, lot: DceLot) -> list[CriterionInput]:
        return lot.criteria or self.data.criteria


def prepare_consultation_from_dict(data: Any) -> ConsultationFile:
    return prepare_consultation(parse_input(ConsultationInput, data))


def prepare_consultation(data: ConsultationInput) -> ConsultationFile:
    law = law_data.at(data.launch_date)
    findings = Findings()
    response_days = (data.response_deadline.date() - data.launch_date).days
    procedure = choose_procedure_from_dict(_procedure_input(data, response_days))
    findings.cite(*procedure.references)
    for warning in procedure.warnings:
        findings.warn(warning)
    for ambiguity in procedure.ambiguities:
        findings.flag_ambiguity(ambiguity)
    _check_deadline(procedure, response_days, findings)
    chosen = _procedure_type(data, procedure, findings)
    _check_all_criteria(law, data, procedure, findings)
    mandatory = procedure.execution_conditions.environmental_required
    _check_clauses(law, data, mandatory, findings)
    social = procedure.execution_conditions.social_required
    _check_social_condition(data, procedure, findings)
    egalim = _egalim(law) if any(lot.catering for lot in data.lots) else _NO_EGALIM
    _check_egalim(data, egalim, findings)
    _cite_clauses(data, findings)
    _refuse_if_blocking(findings)
    return ConsultationFile(
        data=data,
        procedure=procedure,
        procedure_type=chosen,
        response_days=response_days,
        egalim=egalim,
        environmental_conditions_mandatory=mandatory,
        social_conditions_mandatory=social,
        findings=findings,
    )


def _procedure_input(data: ConsultationInput, response_days: int) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "date": data.launch_date.isoformat(),
        "buyer": data.buyer.buyer_type.value,
        "nature": data.nature.value,
        "estimated_amount_ht": str(data.estimated_total_ht),
        "duration_months": data.duration_months,
        "lots": [
            {
                "name": f"Lot {lot.number} — {lot.name}",
                "estimated_amount_ht": str(lot.estimated_amount_ht),
            }
            for lot in data.lots
        ],
        "renewals": data.renewals,
        "object": data.object[:500],
        "site_visit": data.site_visit,
        "planned_response_days": response_days,
    }
    if data.renewal_months is not None:
        payload["renewal_duration_months"] = data.renewal_months
    if data.social_condition_exception is not None:
        payload["social_condition_exception"] = data.social_condition_exception.value
    maxima = [lot.max_amount_ht for lot in data.lots]
    if data.contract_form.is_framework and None not in maxima:
        # R2121-8: an accord-cadre is valued at its maximum; the lots' maxima are per period.
        periods = 1 + (
            Decimal(data.renewals * renewal_length(data.duration_months, data.renewal_months))
            / data.duration_months
        )
        maximum = sum((m for m in maxima if m is not None), Decimal(0)) * periods
        payload["framework"] = {
            "execution": _EXECUTION[data.contract_form].value,
            "maximum_ht": str(to_cents(maximum)),
        }
        if data.winners > 1:
            payload["framework"] |= {
                "holders": FrameworkHolders.MULTI_ATTRIBUTAIRE.value,
                "holders_count": data.winners,
            }
    return payload


_EXECUTION = {
    ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE: FrameworkExecution.BONS_DE_COMMANDE,
    ContractForm.ACCORD_CADRE_MARCHES_SUBSEQUENTS: FrameworkExecution.MARCHES_SUBSEQUENTS,
    ContractForm.ACCORD_CADRE_MIXTE: FrameworkExecution.MIXTE,
}
"""How the procedure's accord-cadre (:mod:`openamo.procurement.framework`) is executed."""


def _check_social_condition(
    data: ConsultationInput, procedure: ProcedureResult, findings: Findings
) -> None:
    """L2112-2-1: the social execution condition of a contract at or above the EU threshold.

    A warning, not a blocking error: the buyer may invoke one of the article's exceptions, which
    it states in ``social_condition_exception`` and justifies in the file."""
    conditions = procedure.execution_conditions
    reference = conditions.references[-1]
    if conditions.social_required and not data.social_conditions:
        findings.check(
            CheckLevel.AVERTISSEMENT,
            "condition_sociale_absente",
            f"Consultation lancée le {data.launch_date:%d/%m/%Y} pour une valeur estimée au "
            "moins égale au seuil européen : les conditions d'exécution doivent prendre en "
            "compte des considérations relatives au domaine social ou à l'emploi "
            "(« Conditions d'exécution sociales »), sauf exception de l'article L2112-2-1 à "
            "indiquer (« Exception à la condition sociale obligatoire ») et à justifier.",
            reference,
        )
    elif conditions.social_exception is not None:
        findings.check(
            CheckLevel.INFORMATION,
            "condition_sociale_exception",
            "Pas de condition d'exécution sociale : "
            + conditions.social_exception.label
            + ". Gardez la justification au dossier (rapport de présentation).",
            reference,
        )


def _procedure_type(
    data: ConsultationInput, procedure: ProcedureResult, findings: Findings
) -> ProcedureType:
    allowed = list(procedure.allowed_procedures) + [
        item["procedure"] for item in procedure.conditional_procedures
    ]
    chosen = data.procedure_type
    if chosen is None:
        return ProcedureType.MAPA if "mapa" in allowed else ProcedureType.APPEL_OFFRES_OUVERT
    if chosen.value not in allowed:
        findings.check(
            CheckLevel.ERREUR,
            "procedure_non_autorisee",
            f"La procédure « {chosen.value} » n'est pas ouverte à cette consultation (procédures "
            f"possibles : {', '.join(allowed)}).",
            *procedure.references[:2],
        )
    elif chosen.value not in procedure.allowed_procedures:
        findings.warn(
            f"Procédure « {chosen.value} » : seulement dans les cas limitativement prévus ; "
            "justifiez-en le motif dans le rapport de présentation.",
            "CCP R2124-3",
        )
    return chosen


def _check_deadline(procedure: ProcedureResult, days: int, findings: Findings) -> None:
    minimum = procedure.min_response_days
    if minimum is not None and days < minimum:
        findings.check(
            CheckLevel.ERREUR,
            "delai_reponse_insuffisant",
            f"Délai de réception des offres de {days} jours, inférieur au minimum de {minimum} "
            "jours de la procédure formalisée applicable.",
            *[ref for ref in procedure.references if "R2161" in ref][:3] or ["CCP R2161-2"],
        )


def _check_all_criteria(
    law: LawSnapshot, data: ConsultationInput, procedure: ProcedureResult, findings: Findings
) -> None:
    check_criteria(law, data.criteria, findings, procedure.procedure, data.nature)
    for lot in data.lots:
        if lot.criteria is not None:
            lot_findings = Findings()
            check_criteria(law, lot.criteria, lot_findings, procedure.procedure, data.nature)
            for check in lot_findings.checks:
                findings.check(
                    check.level,
                    check.code,
                    f"Lot {lot.number} — {check.message}",
                    *check.references,
                )
    names = {criterion.name for criterion in data.criteria}
    if data.tie_break is not None and data.tie_break not in names:
        findings.check(
            CheckLevel.ERREUR,
            "departage_inconnu",
            f"Critère de départage « {data.tie_break} » absent des critères.",
            "CCP R2152-6",
        )


def _check_clauses(
    law: LawSnapshot, data: ConsultationInput, mandatory: bool, findings: Findings
) -> None:
    catering = [lot for lot in data.lots if lot.catering]
    if catering and data.price.form is not PriceForm.REVISABLE:
        months = int(law.value("pricing.revision.duree_matieres_premieres"))
        world_prices = ""
        references = ["CCP R2112-13"]
        if data.duration_months > months:
            world_prices = (
                f" Exécuté sur {data.duration_months} mois (plus de {months} mois), le marché "
                "doit en outre comporter une clause de révision faisant référence aux indices "
                "officiels de fixation des cours des matières premières dont le prix dépend des "
                "cours mondiaux."
            )
            references.append(law.reference("pricing.revision.duree_matieres_premieres"))
        findings.check(
            CheckLevel.ERREUR,
            "prix_revisable_obligatoire",
            "Lots de denrées alimentaires à "
            + data.price.form.label
            + " : un marché dont l'objet est l'achat de matières premières agricoles et "
            "alimentaires expose les parties à des aléas majeurs et doit être conclu à prix "
            "révisables." + world_prices,
            *references,
        )
    if mandatory and not data.environmental_conditions:
        findings.check(
            CheckLevel.ERREUR,
            "condition_environnementale_absente",
            f"Consultation lancée le {data.launch_date:%d/%m/%Y} : les conditions d'exécution "
            "doivent prendre en compte des considérations relatives à l'environnement "
            "(« environmental_conditions »).",
            law.reference("award.conditions_execution.condition_environnementale_obligatoire"),
        )
    if data.contract_form.is_framework:
        _check_maximum(law, data, findings)
    if data.winners > 1 and not data.contract_form.is_framework:
        findings.warn(
            f"{data.winners} attributaires par lot pour un marché ordinaire : seul un "
            "accord-cadre peut être conclu avec plusieurs titulaires (L2125-1, 1°) ; choisissez "
            "une forme d'accord-cadre (bons de commande, marchés subséquents ou mixte).",
            "CCP L2125-1",
        )
    if data.contract_form is ContractForm.ACCORD_CADRE_MIXTE and data.mixed_split is None:
        findings.check(
            CheckLevel.ERREUR,
            "accord_cadre_mixte_sans_repartition",
            "Accord-cadre exécuté en partie par bons de commande et en partie par marchés "
            "subséquents : identifiez les prestations qui relèvent de chacune de ces parties "
            "(« Répartition entre bons de commande et marchés subséquents »).",
            "CCP R2162-3",
        )


def _check_maximum(law: LawSnapshot, data: ConsultationInput, findings: Findings) -> None:
    """R2162-4 as amended by the décret n° 2021-1111: a consultation launched from 01/01/2022
    states the accord-cadre's maximum — the DCE is the document that must carry it, so each lot
    without one blocks it (on the lot's maximum field); before, it is only advised."""
    missing = [(index, lot) for index, lot in enumerate(data.lots) if lot.max_amount_ht is None]
    if not missing:
        return
    path = "procurement.accords_cadres.maximum_obligatoire"
    if not law.value(path):
        findings.warn(
            "Accord-cadre sans montant maximum pour les lots "
            + ", ".join(str(lot.number) for _, lot in missing)
            + " : indiquez un maximum en valeur ou en quantité (CCP R2162-4 ; CJUE 17 juin "
            "2021, Simonsen & Weel, C-23/20).",
            "CCP R2162-4",
        )
        return
    for index, lot in missing:
        findings.check(
            CheckLevel.ERREUR,
            f"lots[{index}].max_amount_ht",
            f"Accord-cadre sans montant maximum pour le lot {lot.number} : depuis le 01/01/2022, "
            "R2162-4 n'admet que le minimum et le maximum, ou le maximum seul — indiquez le "
            "montant maximum HT de l'accord-cadre (une fois atteint, il a épuisé ses effets).",
            law.reference(path),
        )


_NO_EGALIM = EgalimLaw(None, None, None, ())


def _egalim(law: LawSnapshot) -> EgalimLaw:
    def value(name: str) -> tuple[Decimal | None, str | None]:
        try:
            return _law.rate(law, EGALIM + name), law.reference(EGALIM + name)
        except LawDataError:
            return None, None

    quality, ref_quality = value("qualite_durable")
    organic, ref_organic = value("bio")
    meat, ref_meat = value("viandes_poissons")
    references = tuple(dict.fromkeys(r for r in (ref_quality, ref_organic, ref_meat) if r))
    return EgalimLaw(quality, organic, meat, references)


def _check_egalim(data: ConsultationInput, egalim: EgalimLaw, findings: Findings) -> None:
    findings.cite(*egalim.references)
    pairs = (("quality_percent", egalim.quality), ("organic_percent", egalim.organic))
    for lot in data.lots:
        if not lot.catering or lot.egalim is None:
            continue
        for field, legal in pairs:
            given = getattr(lot.egalim, field)
            if given is not None and legal is not None and given < legal * 100:
                findings.warn(
                    f"Lot {lot.number} : objectif contractuel {field} de {given} % inférieur à "
                    f"l'objectif légal annuel de {legal * 100:.0f} % ; les autres lots devront "
                    "compenser pour que la restauration l'atteigne.",
                    *egalim.references,
                )


def _cite_clauses(data: ConsultationInput, findings: Findings) -> None:
    """The articles the drafted clauses rely on (RC, CCAP)."""
    findings.cite(
        "CCP L2141-1 à L2141-5",
        "CCP L2141-7 à L2141-11",
        "CCP R2143-3",
        "CCP R2144-2",
        "CCP R2152-1",
        "CCP R2152-2",
        "CCP R2152-3",
        "CCP R2192-10",
        "CCP R2191-3",
    )
    if data.renewals:
        findings.cite("CCP R2112-4")
    if data.price.form is PriceForm.REVISABLE:
        findings.cite("CCP R2112-13")
    elif data.price.form is PriceForm.FERME_ACTUALISABLE:
        findings.cite("CCP R2112-10 à R2112-12")
    if data.environmental_conditions:
        findings.cite("CCP L2112-2")
    if data.contract_form.is_framework:
        findings.cite("CCP R2162-2", "CCP R2162-4")
    if data.contract_form.by_orders:
        findings.cite("CCP R2162-13", "CCP R2162-14")
    if data.contract_form.by_subsequent_contracts:
        holders = ("CCP R2162-10",) if data.winners > 1 else ("CCP R2162-9",)
        findings.cite("CCP R2162-7", *holders)
    if any(lot.catering for lot in data.lots):
        findings.cite("Code rural et de la pêche maritime L230-5-6 (menu végétarien hebdomadaire)")


def _refuse_if_blocking(findings: Findings) -> None:
    errors = [check for check in findings.checks if check.level is CheckLevel.ERREUR]
    if errors:
        raise OpenAMOError(
            "Le DCE n'est pas généré : la consultation ne respecte pas les règles suivantes.",
            code="dce_non_conforme",
            details=[
                ErrorDetail(check.code, f"{check.message} ({'; '.join(check.references)})")
                for check in errors
            ],
        )
