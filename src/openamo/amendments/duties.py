"""What follows an authorised modification: CAO opinion (CGCT L1414-4), information of the
deliberating body, modification notice in the JOUE (R2194-10), essential data (R2196-1)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from openamo import law
from openamo.amendments._context import Situation
from openamo.amendments._findings import Findings
from openamo.amendments._format import fr_rate
from openamo.amendments.enums import Basis, ContractProcedure, ModificationForm
from openamo.amendments.models import ContractInput
from openamo.errors import LawDataError
from openamo.money import format_euros, format_percent
from openamo.procurement.enums import Buyer

_NOTICE_BASES = (Basis.PRESTATIONS_SUPPLEMENTAIRES, Basis.CIRCONSTANCES_IMPREVUES)
_DECP_THRESHOLD = "opendata.decp_seuil"
_DECP_DELAY = "opendata.decp_delai_publication"
_DELEGATION = "CGCT L2122-22 4° (délégation du conseil municipal au maire pour les avenants)"


@dataclass(frozen=True, slots=True)
class Duties:
    cao_opinion_required: bool
    deliberating_body_information_required: bool
    modification_notice_required: bool
    decp_update_required: bool
    decp_deadline_on: date | None


NONE = Duties(False, False, False, False, None)


def duties_for(situation: Situation, basis: Basis, findings: Findings) -> Duties:
    """Formalities of an authorised modification (none when it is forbidden)."""
    cao = _cao(situation, basis, findings)
    notice = _notice(situation, basis, findings)
    decp, deadline = _decp(situation, findings)
    _approval(situation, findings)
    return Duties(
        cao_opinion_required=cao,
        deliberating_body_information_required=cao,
        modification_notice_required=notice,
        decp_update_required=decp,
        decp_deadline_on=deadline,
    )


def cao_required(situation: Situation, basis: Basis) -> bool:
    """CGCT L1414-4: an avenant raising the global amount by more than 5 % (cumulated) of a
    contract attributed by the CAO; not a unilateral decision nor a price-variation clause."""
    modification, figures = situation.data.modification, situation.figures
    return (
        under_cao(situation)
        and modification.form is ModificationForm.AVENANT
        and not (basis is Basis.CLAUSE_REEXAMEN and modification.price_only)
        and figures.amount > 0
        and figures.cumulative_change > situation.rules.cao_rate * figures.initial
    )


def notice_required(situation: Situation, basis: Basis) -> bool:
    """R2194-10: R2194-2 and R2194-5 modifications of a contract awarded by formal procedure."""
    return (
        basis in _NOTICE_BASES and situation.data.contract.procedure is ContractProcedure.FORMALISEE
    )


def attributed_by_cao(contract: ContractInput) -> bool:
    """Whether the CAO attributed the contract: as stated, else a local authority's formalised
    procedure (CGCT L1414-2), the contracts whose avenants L1414-4 submits to its opinion."""
    if contract.attributed_by_cao is not None:
        return contract.attributed_by_cao
    return (
        contract.buyer is Buyer.COLLECTIVITE and contract.procedure is ContractProcedure.FORMALISEE
    )


def under_cao(situation: Situation) -> bool:
    return attributed_by_cao(situation.data.contract)


def _cao(situation: Situation, basis: Basis, findings: Findings) -> bool:
    data, rules, figures = situation.data, situation.rules, situation.figures
    contract, modification = data.contract, data.modification
    reference = rules.cao_reference
    if not under_cao(situation):
        _why_no_cao(situation, findings)
        return False
    if modification.form is ModificationForm.DECISION_UNILATERALE:
        findings.reason(
            "Avis de la CAO : non requis, l'article L1414-4 du CGCT vise les projets d'avenant, "
            "pas les décisions unilatérales de l'acheteur (DAJ).",
            reference,
        )
        return False
    if basis is Basis.CLAUSE_REEXAMEN and modification.price_only:
        findings.reason(
            "Avis de la CAO : non requis pour la mise en œuvre d'une clause de variation des prix "
            "(DAJ).",
            reference,
        )
        return False
    if figures.amount <= 0:
        findings.reason(
            "Avis de la CAO : non requis, l'avenant n'augmente pas le montant du marché (seules "
            "les augmentations sont visées).",
            reference,
        )
        return False
    limit = rules.cao_rate * figures.initial
    increase = figures.cumulative_change
    required = cao_required(situation, basis)
    share = fr_rate(rules.cao_rate)
    findings.reason(
        f"Avis de la CAO : {'requis' if required else 'non requis'} — l'augmentation cumulée du "
        f"montant global ({format_euros(increase)} HT, "
        f"{format_percent(figures.percent(increase))}) {'dépasse' if required else 'ne dépasse pas'} {share} "
        f"du montant initial ({format_euros(limit)} HT).",
        reference,
    )
    alone = figures.amount > limit
    if alone != required:
        findings.ambiguity(
            f"CGCT L1414-4 : pris isolément, cet avenant {'dépasse' if alone else 'ne dépasse pas'} "
            f"{share} ; OpenAMO retient l'augmentation cumulée du montant global depuis l'origine, "
            "le texte ne disant pas comment apprécier les avenants successifs.",
            reference,
        )
    if required:
        findings.reason(
            "Si l'assemblée délibérante statue sur l'avenant, l'avis de la CAO lui est "
            "transmis au préalable.",
            reference,
        )
    if contract.attributed_by_cao is None and contract.initial_amount_ht < rules.eu_threshold:
        findings.ambiguity(
            "Marché passé en procédure formalisée pour un montant inférieur au seuil européen : "
            "la CAO n'attribue obligatoirement que les marchés au moins égaux aux seuils "
            "européens (CGCT L1414-2). Si elle n'a pas attribué ce marché, indiquez "
            "attributed_by_cao: false.",
            reference,
        )
    return required


def _why_no_cao(situation: Situation, findings: Findings) -> None:
    contract = situation.data.contract
    reference = situation.rules.cao_reference
    if contract.attributed_by_cao is False:
        findings.reason(
            "Avis de la CAO : non requis, le marché n'a pas été attribué par la commission "
            "d'appel d'offres.",
            reference,
        )
    elif contract.buyer is Buyer.COLLECTIVITE:
        findings.reason(
            "Avis de la CAO : non requis pour un marché passé en procédure adaptée, qui n'est "
            "pas soumis à la commission d'appel d'offres.",
            reference,
        )
    elif contract.buyer is Buyer.ENTITE_ADJUDICATRICE:
        findings.reason(
            "Avis de la CAO : règle du CGCT non appliquée à une entité adjudicatrice qui n'est "
            "pas une collectivité territoriale.",
            reference,
        )
        findings.ambiguity(
            "Si l'entité adjudicatrice est une collectivité territoriale ou l'un de ses "
            "établissements publics (par exemple une régie d'eau), ses marchés formalisés sont "
            "attribués par la CAO : indiquez attributed_by_cao: true.",
            reference,
        )
    else:
        findings.reason(
            "Avis de la CAO : sans objet pour l'État et ses établissements (règle du CGCT).",
            reference,
        )


def _notice(situation: Situation, basis: Basis, findings: Findings) -> bool:
    reference = situation.rules.article("avis_modification")
    if basis not in _NOTICE_BASES:
        return False
    if not notice_required(situation, basis):
        findings.reason(
            "Avis de modification : non requis, le marché a été passé en procédure adaptée.",
            reference,
        )
        return False
    findings.reason(
        f"Avis de modification : à publier au Journal officiel de l'Union européenne "
        f"(modification fondée sur {basis.value} d'un marché passé en procédure formalisée). "
        "Aucun délai chiffré n'est fixé par le texte : publiez-le dès la conclusion de la "
        "modification.",
        reference,
    )
    return True


@dataclass(frozen=True, slots=True)
class DecpRules:
    """The essential-data rules for a contract notified on one date and modified on another."""

    threshold: Decimal | None
    threshold_reference: str
    threshold_from_modification_date: bool
    months: int | None
    delay_reference: str
    unknown: str


@lru_cache(maxsize=2048)
def decp_rules(notified_on: date, modification_day: date) -> DecpRules:
    threshold: Decimal | None = None
    reference, fallback, unknown = "", False, ""
    for day in (notified_on, modification_day):
        try:
            value = law.at(day).value(_DECP_THRESHOLD)
        except LawDataError as exc:
            unknown = exc.message
            continue
        assert isinstance(value, Decimal)
        threshold, reference, fallback = (
            value,
            law.at(day).reference(_DECP_THRESHOLD),
            day != notified_on,
        )
        break
    months: int | None = None
    delay_reference = ""
    try:
        found = law.at(modification_day).value(_DECP_DELAY)
        assert isinstance(found, int)
        months, delay_reference = found, law.at(modification_day).reference(_DECP_DELAY)
    except LawDataError as exc:
        unknown = exc.message
    return DecpRules(threshold, reference, fallback, months, delay_reference, unknown)


def decp_requirement(situation: Situation) -> tuple[bool, date | None]:
    """R2196-1: must the essential data be updated, and by when (from the modification date)?"""
    contract, day = situation.data.contract, situation.data.modification.date
    rules = decp_rules(contract.notified_on, day)
    if rules.threshold is None or contract.initial_amount_ht < rules.threshold:
        return False, None
    return True, add_months(day, rules.months) if rules.months is not None else None


def _decp(situation: Situation, findings: Findings) -> tuple[bool, date | None]:
    contract, modification = situation.data.contract, situation.data.modification
    rules = decp_rules(contract.notified_on, modification.date)
    required, deadline = decp_requirement(situation)
    if rules.threshold is None:
        findings.ambiguity(
            "Données essentielles : obligation non paramétrée aux dates du marché et de la "
            f"modification ({rules.unknown}) — vérifiez les règles alors applicables."
        )
        return required, deadline
    if rules.threshold_from_modification_date:
        findings.ambiguity(
            "Seuil des données essentielles inconnu à la date de notification du marché : "
            f"OpenAMO retient celui du {modification.date:%d/%m/%Y}.",
            rules.threshold_reference,
        )
    if not required:
        findings.reason(
            f"Données essentielles : marché de moins de {format_euros(rules.threshold)} HT, pas "
            "de mise à jour obligatoire.",
            rules.threshold_reference,
        )
    elif deadline is None:
        findings.reason(
            "Données essentielles : à mettre à jour pour cette modification.",
            rules.threshold_reference,
        )
        findings.ambiguity(f"Délai de publication des données essentielles : {rules.unknown}")
    else:
        findings.reason(
            f"Données essentielles : à mettre à jour sur data.gouv.fr dans les {rules.months} "
            f"mois de la notification de la modification, soit au plus tard le "
            f"{deadline:%d/%m/%Y} si elle est notifiée le {modification.date:%d/%m/%Y}.",
            rules.delay_reference,
        )
    return required, deadline


def _approval(situation: Situation, findings: Findings) -> None:
    contract, modification = situation.data.contract, situation.data.modification
    if contract.buyer is Buyer.COLLECTIVITE and modification.form is ModificationForm.AVENANT:
        findings.reason(
            "L'avenant est autorisé par l'assemblée délibérante, sauf délégation à l'exécutif "
            "(pour une commune, délégation au maire des décisions relatives aux avenants lorsque "
            "les crédits sont inscrits au budget).",
            _DELEGATION,
        )


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, or the last day of that month (délais « de mois à mois »)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
