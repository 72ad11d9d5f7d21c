"""What follows an authorised modification: CAO opinion (CGCT L1414-4), information of the
deliberating body, modification notice in the JOUE (R2194-10), essential data (R2196-1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from openamo import law
from openamo.amendments._context import Situation
from openamo.amendments._findings import Findings
from openamo.amendments.enums import Basis, ContractProcedure, ModificationForm
from openamo.amendments.models import ContractInput
from openamo.dates import add_months
from openamo.errors import LawDataError
from openamo.money import format_euros, format_percent, format_share
from openamo.procurement.enums import Buyer, Nature
from openamo.procurement.thresholds import eu_path

_NOTICE_BASES = (Basis.PRESTATIONS_SUPPLEMENTAIRES, Basis.CIRCONSTANCES_IMPREVUES)
_DECP_THRESHOLD = "opendata.decp_seuil"
_DECP_DELAY = "opendata.decp_delai_publication"
_CAO_COMPETENCE = "cgct.cao_competence_seuils_europeens"
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


@dataclass(frozen=True, slots=True)
class CaoScope:
    """Whether L1414-4 applies: the contract is « soumis à la CAO » by L1414-2, that is a
    collectivité's contract whose estimated value, taken individually, is at least the EU
    threshold in force when it was launched — whatever procedure was actually used."""

    subject: bool
    value: Decimal
    value_is_initial_amount: bool
    threshold: Decimal | None
    threshold_reference: str
    launch_date: date
    voluntary: bool
    declared_otherwise: bool


@lru_cache(maxsize=2048)
def _launch_threshold(day: date, buyer: Buyer, nature: Nature) -> tuple[Decimal | None, str]:
    path = eu_path(buyer, nature)
    try:
        found = law.at(day).get(path)
    except LawDataError:
        return None, ""
    assert isinstance(found.value, Decimal)
    return found.value, found.reference


def cao_scope(contract: ContractInput) -> CaoScope:
    launched = contract.consultation_launched_on or contract.notified_on
    value = contract.estimated_value_ht or contract.initial_amount_ht
    threshold, reference = _launch_threshold(launched, contract.buyer, contract.nature)
    above = threshold is not None and value >= threshold
    declared = contract.attributed_by_cao
    if contract.buyer is Buyer.ETAT:
        subject = False
    elif contract.buyer is Buyer.ENTITE_ADJUDICATRICE:
        # Only an entité adjudicatrice that is a collectivité (a municipal water board) has a CAO.
        subject = above and declared is True
    else:
        subject = above
    return CaoScope(
        subject=subject,
        value=value,
        value_is_initial_amount=contract.estimated_value_ht is None,
        threshold=threshold,
        threshold_reference=reference,
        launch_date=launched,
        voluntary=declared is True and not above and contract.buyer is not Buyer.ETAT,
        declared_otherwise=declared is False and subject,
    )


def attributed_by_cao(contract: ContractInput) -> bool:
    """Whether the contract is one the CAO must attribute (CGCT L1414-2), so that L1414-4
    submits its avenants of more than 5 % to the CAO's opinion."""
    return cao_scope(contract).subject


def under_cao(situation: Situation) -> bool:
    return attributed_by_cao(situation.data.contract)


def _cao(situation: Situation, basis: Basis, findings: Findings) -> bool:
    data, rules, figures = situation.data, situation.rules, situation.figures
    modification = data.modification
    reference = rules.cao_reference
    scope = cao_scope(data.contract)
    _explain_scope(situation, scope, findings)
    if not scope.subject:
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
    share = format_share(rules.cao_rate)
    findings.reason(
        f"Avis de la CAO : {'requis' if required else 'non requis'} — l'augmentation cumulée du "
        f"montant global ({format_euros(increase)} HT, "
        f"{format_percent(figures.percent(increase))}) {'dépasse' if required else 'ne dépasse pas'} {share} "
        f"du montant initial ({format_euros(limit)} HT).",
        reference,
    )
    alone = figures.amount > limit
    if alone != required:
        findings.flag_ambiguity(
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
    return required


def _explain_scope(situation: Situation, scope: CaoScope, findings: Findings) -> None:
    """Why the contract is (not) « soumis à la CAO »: its value against the EU threshold of its
    launch (CGCT L1414-2 as amended by the loi ELAN), not the name of the procedure used."""
    contract = situation.data.contract
    reference = situation.rules.cao_reference
    competence = law.at(scope.launch_date)
    try:
        competence_reference = competence.reference(_CAO_COMPETENCE)
    except LawDataError:
        competence_reference = "CGCT L1414-2"
    if contract.buyer is Buyer.ETAT:
        findings.reason(
            "Avis de la CAO : sans objet pour l'État et ses établissements (règle du CGCT).",
            reference,
        )
        return
    if contract.buyer is Buyer.ENTITE_ADJUDICATRICE and contract.attributed_by_cao is not True:
        findings.reason(
            "Avis de la CAO : règle du CGCT non appliquée à une entité adjudicatrice qui n'est "
            "pas une collectivité territoriale.",
            reference,
        )
        findings.flag_ambiguity(
            "Si l'entité adjudicatrice est une collectivité territoriale ou l'un de ses "
            "établissements publics (par exemple une régie d'eau), ses marchés d'un montant au "
            "moins égal aux seuils européens sont attribués par la CAO : indiquez que la CAO a "
            "attribué le marché.",
            reference,
        )
        return
    if scope.threshold is None:
        findings.flag_ambiguity(
            f"Seuil européen inconnu au {scope.launch_date:%d/%m/%Y} : OpenAMO ne peut pas dire "
            "si le marché relevait de la CAO (CGCT L1414-2).",
            reference,
        )
        return
    value = format_euros(scope.value)
    what = "montant initial" if scope.value_is_initial_amount else "valeur estimée"
    comparison = (
        f"{what} du marché ({value} HT), pris individuellement, "
        f"{'au moins égal' if scope.subject else 'inférieur'} au seuil européen en vigueur à son "
        f"lancement le {scope.launch_date:%d/%m/%Y} ({format_euros(scope.threshold)} HT)"
    )
    if scope.subject:
        findings.reason(
            f"Marché soumis à la CAO : {comparison} ; c'est la CAO qui en choisit le titulaire "
            "(CGCT L1414-2), ses avenants de plus de 5 % lui sont donc soumis pour avis.",
            competence_reference,
            reference,
        )
    else:
        findings.reason(
            f"Avis de la CAO : non requis — {comparison}. Depuis la loi ELAN, la CAO n'attribue "
            "que les marchés dont la valeur estimée, prise individuellement, atteint le seuil "
            "européen, quelle que soit la procédure suivie (CGCT L1414-2) ; L1414-4 ne "
            "s'applique pas aux marchés qui ne lui sont pas soumis. Un avis facultatif de la CAO "
            "reste possible si l'acheteur le souhaite.",
            competence_reference,
            reference,
        )
        findings.flag_ambiguity(
            "Si ce marché est un lot d'une opération allotie dont la valeur totale atteint le "
            "seuil européen, vérifiez la lecture retenue : « prise individuellement » vise la "
            "valeur de chaque marché, mais les lots passés en procédure formalisée sont souvent "
            "attribués par la CAO ; OpenAMO compare la valeur de ce seul marché.",
            competence_reference,
        )
    if scope.voluntary:
        findings.reason(
            "La CAO a été réunie volontairement pour ce marché : son avis sur l'avenant est "
            "facultatif, il ne conditionne pas la légalité de l'avenant.",
            reference,
        )
    if scope.declared_otherwise:
        findings.warn(
            "Vous indiquez que la CAO n'a pas attribué ce marché, alors que sa valeur atteint le "
            "seuil européen : le choix du titulaire lui revenait (CGCT L1414-2, sauf urgence "
            "impérieuse). L'avis de la CAO sur un avenant de plus de 5 % reste dû.",
            competence_reference,
        )
    if scope.value_is_initial_amount and scope.subject != (
        contract.procedure is ContractProcedure.FORMALISEE
    ):
        findings.flag_ambiguity(
            "OpenAMO compare le montant initial du marché au seuil européen, faute de sa valeur "
            "estimée au lancement : c'est cette valeur, options et reconductions comprises, qui "
            "décide de la compétence de la CAO — indiquez-la pour une réponse sûre.",
            competence_reference,
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
        findings.flag_ambiguity(
            "Données essentielles : obligation non paramétrée aux dates du marché et de la "
            f"modification ({rules.unknown}) — vérifiez les règles alors applicables."
        )
        return required, deadline
    if rules.threshold_from_modification_date:
        findings.flag_ambiguity(
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
        findings.flag_ambiguity(f"Délai de publication des données essentielles : {rules.unknown}")
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
