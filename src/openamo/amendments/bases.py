"""The six cases of L2194-1: for each basis, is it open to this modification, and why.

Facts the user did not give are presumed from the case invoked (the modification's ``kind``)
and reported as warnings; facts the user gave against a case close it. A closed case never
becomes open by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from openamo.amendments._context import Situation
from openamo.amendments.caps import (
    cap_check,
    cap_within,
    faible_montant_below,
    faible_montant_check,
)
from openamo.amendments.enums import (
    Basis,
    ModificationKind,
    SubstantialCondition,
    TransferCause,
)
from openamo.money import format_euros, format_percent
from openamo.procurement.enums import Nature

SECOND_CONDITION_AMBIGUITY = (
    "R2194-2, seconde condition : la fiche de la DAJ et la directive 2014/24/UE (art. 72, 1, b) "
    "exigent aussi que le changement de titulaire présente un inconvénient majeur ou entraîne "
    "une augmentation substantielle des coûts ; le texte codifié lu ne la reprend pas. OpenAMO "
    "écarte R2194-2 lorsque vous répondez « Non » à la question « Changer de titulaire "
    "présenterait-il un inconvénient majeur ou une augmentation substantielle des coûts ? » et "
    "la signale à vérifier sinon."
)


@dataclass
class Assessment:
    """The outcome for one basis: open or not, with reasons and what to double-check."""

    basis: Basis
    available: bool = True
    reasons: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)

    def cite(self, *references: str) -> None:
        for reference in references:
            if reference not in self.references:
                self.references.append(reference)

    def ok(self, reason: str, *references: str) -> None:
        self.reasons.append(reason)
        self.cite(*references)

    def fail(self, reason: str, *references: str) -> None:
        self.available = False
        self.reasons.append(reason)
        self.blocking.append(reason)
        self.cite(*references)

    def warn(self, text: str, *references: str) -> None:
        self.warnings.append(text)
        self.cite(*references)


def assess(basis: Basis, situation: Situation) -> Assessment:
    assessment = Assessment(basis=basis)
    assessment.cite(situation.rules.basis_reference(basis))
    _EVALUATORS[basis](situation, assessment)
    assessment.available = is_open(basis, situation)
    return assessment


def _clause_reexamen(situation: Situation, a: Assessment) -> None:
    modification = situation.data.modification
    if modification.clause_reference:
        a.ok(
            f"La modification met en œuvre une stipulation des documents contractuels initiaux "
            f"(« {modification.clause_reference} ») : elle est possible quel que soit son "
            "montant si la clause est claire, précise et sans équivoque."
        )
    else:
        a.ok(
            "Une modification prévue par une clause de réexamen ou une option claire, précise "
            "et sans équivoque est possible quel que soit son montant."
        )
        a.warn(
            "Indiquez la clause de réexamen ou l'option utilisée (clause_reference) : R2194-1 "
            "n'autorise que ce que les documents contractuels initiaux prévoient, avec son champ "
            "d'application et ses conditions de mise en œuvre."
        )
    if _conditions(situation) and SubstantialCondition.TITULAIRE in _conditions(situation):
        a.ok(
            "Le changement de titulaire prévu par une clause de réexamen relève aussi de R2194-6 1°.",
            situation.rules.basis_reference(Basis.NOUVEAU_TITULAIRE),
        )


def _prestations_supplementaires(situation: Situation, a: Assessment) -> None:
    modification = situation.data.modification
    if situation.figures.amount <= 0:
        a.fail(
            f"Une modification de {format_euros(situation.figures.amount)} HT n'ajoute aucune "
            "prestation payée : ce n'est pas une prestation supplémentaire."
        )
    if modification.price_only:
        a.fail("Une modification du seul prix n'ajoute aucune prestation au marché.")
    if modification.separable is True:
        a.fail(
            "Les prestations sont séparables du marché initial : un autre opérateur pourrait "
            "les exécuter, le changement de titulaire n'est donc pas impossible pour des raisons "
            "économiques ou techniques — il faut les mettre en concurrence."
        )
    elif modification.separable is False:
        a.ok(
            "Les prestations ne sont pas séparables du marché initial : un changement de "
            "titulaire est impossible pour des raisons économiques ou techniques "
            "(interchangeabilité, interopérabilité)."
        )
    else:
        a.warn(
            "Justifiez que le changement de titulaire est impossible pour des raisons "
            "économiques ou techniques (interchangeabilité, interopérabilité avec l'existant) ; "
            "des prestations séparables doivent être mises en concurrence."
        )
    if modification.major_inconvenience is False:
        a.fail(
            "Vous indiquez qu'un changement de titulaire ne présenterait ni inconvénient majeur "
            "ni augmentation substantielle des coûts : la seconde condition (directive "
            "2014/24/UE, art. 72 ; fiche de la DAJ) n'est pas remplie."
        )
    elif modification.major_inconvenience is True:
        a.ok(
            "Un changement de titulaire présenterait un inconvénient majeur ou entraînerait une "
            "augmentation substantielle des coûts."
        )
    a.ambiguities.append(SECOND_CONDITION_AMBIGUITY)
    _apply_cap(situation, a)
    in_code = situation.rules.basis_reference(a.basis).startswith("CCP")
    if situation.data.contract.nature is Nature.TRAVAUX and a.available and in_code:
        a.ok(
            "Dans un marché de travaux, les prestations supplémentaires nécessaires au bon "
            "achèvement de l'ouvrage donnent lieu à une juste rémunération (pas d'ordre de "
            "service « à zéro euro »).",
            "CCP L2194-3 (loi n° 2019-486 du 22 mai 2019, art. 193)",
        )


def _circonstances_imprevues(situation: Situation, a: Assessment) -> None:
    foreseeable = situation.data.modification.foreseeable
    if foreseeable is True:
        a.fail(
            "Vous indiquez que les circonstances étaient prévisibles : un acheteur diligent "
            "pouvait les anticiper, ce ne sont pas des circonstances imprévues."
        )
    elif foreseeable is False:
        a.ok("Les circonstances ne pouvaient pas être prévues par un acheteur diligent.")
    else:
        a.warn(
            "Justifiez que les circonstances ne pouvaient pas être prévues par un acheteur "
            "diligent lors de la passation du marché."
        )
    _apply_cap(situation, a)


def _apply_cap(situation: Situation, a: Assessment) -> None:
    cap = cap_check(situation)
    a.cite(*cap.references)
    for reason in cap.reasons:
        if cap.within:
            a.ok(reason)
        else:
            a.fail(reason)


def _nouveau_titulaire(situation: Situation, a: Assessment) -> None:
    modification = situation.data.modification
    cause = modification.transfer_cause
    if cause is TransferCause.CLAUSE_REEXAMEN:
        a.ok(
            "La substitution est prévue par une clause de réexamen ou une option (R2194-6 1°).",
            situation.rules.article("clause_reexamen"),
        )
    elif cause is TransferCause.RESTRUCTURATION:
        a.ok(
            "La cession fait suite à une restructuration du titulaire initial (rachat, fusion, "
            "acquisition, insolvabilité) (R2194-6 2°) : elle ne doit pas viser à soustraire le "
            "marché à la mise en concurrence."
        )
        _new_contractor_capacities(situation, a)
    elif cause is TransferCause.AUTRE:
        a.fail(
            "Hors clause de réexamen et hors restructuration du titulaire initial, le "
            "remplacement du titulaire est une modification substantielle (R2194-7 4°).",
            situation.rules.basis_reference(Basis.NON_SUBSTANTIELLE),
        )
    else:
        a.warn(
            "Précisez la cause de la substitution (transfer_cause : clause_reexamen ou "
            "restructuration) : en dehors de ces deux cas, le titulaire ne peut pas être remplacé."
        )
        _new_contractor_capacities(situation, a)
    others = [c for c in _conditions(situation) if c is not SubstantialCondition.TITULAIRE]
    for condition in others:
        a.fail(
            f"La substitution s'accompagne d'une autre modification substantielle : "
            f"{condition.label}."
        )
    if situation.figures.amount and cause is not TransferCause.CLAUSE_REEXAMEN:
        _transfer_with_price_change(situation, a)


def _new_contractor_capacities(situation: Situation, a: Assessment) -> None:
    meets = situation.data.modification.new_contractor_meets_initial_conditions
    if meets is False:
        a.fail(
            "Le nouveau titulaire ne remplit pas les conditions de participation fixées pour "
            "le marché initial."
        )
    elif meets is True:
        a.ok("Le nouveau titulaire remplit les conditions de participation du marché initial.")
    else:
        a.warn(
            "Vérifiez que le nouveau titulaire remplit les conditions de participation fixées "
            "pour le marché initial (capacités, absence d'interdiction de soumissionner)."
        )


def _transfer_with_price_change(situation: Situation, a: Assessment) -> None:
    check = faible_montant_check(situation)
    amount = format_euros(situation.figures.amount)
    if check.within:
        a.warn(
            f"Un avenant de transfert ne modifie normalement pas le prix : la variation de "
            f"{amount} HT doit être justifiée séparément (elle reste sous les limites de R2194-8).",
            *check.references,
        )
    else:
        a.fail(
            f"La cession s'accompagne d'une variation de prix de {amount} HT qui dépasse les "
            "limites d'une modification de faible montant : c'est une autre modification "
            "substantielle.",
            *check.references,
        )


def _non_substantielle(situation: Situation, a: Assessment) -> None:
    _foreseeable_price_rise(situation, a)
    conditions = situation.data.modification.substantial_conditions
    if conditions is None:
        a.warn(
            "Les quatre critères de la modification substantielle (substantial_conditions) "
            "n'ont pas été renseignés : le caractère non substantiel repose sur votre "
            "qualification et doit être justifié."
        )
    elif conditions:
        for condition in conditions:
            a.fail(f"Modification substantielle : {condition.label}.")
    else:
        a.ok("Aucun des quatre critères de la modification substantielle n'est rempli.")
    check = faible_montant_check(situation)
    if not check.below_rate or not check.below_threshold:
        a.warn(
            "Au-delà des limites d'une modification de faible montant, une incidence financière "
            "importante est rarement non substantielle : justifiez qu'elle ne modifie ni "
            "l'équilibre économique en faveur du titulaire (2°) ni considérablement l'objet (3°)."
        )
    modification = situation.data.modification
    if (
        modification.price_only
        and situation.figures.amount > 0
        and SubstantialCondition.EQUILIBRE_ECONOMIQUE not in (conditions or [])
    ):
        a.warn(
            "Une hausse du seul prix, sans contrepartie, modifie en principe l'équilibre "
            "économique en faveur du titulaire ; elle ne peut compenser que des charges que les "
            "parties ne pouvaient pas raisonnablement prévoir (CE, avis n° 405540 du 15 "
            "septembre 2022).",
            "CCP R2194-7 2° (CE, avis n° 405540 du 15 septembre 2022)",
        )


FORESEEABLE_PRICE = (
    "La hausse de prix était prévisible : aucune modification, même de faible montant ou non "
    "substantielle, ne peut compenser la part de la charge que les parties pouvaient "
    "raisonnablement prévoir (CE, avis n° 405540 du 15 septembre 2022)."
)


def _foreseeable_price_rise(situation: Situation, a: Assessment) -> None:
    modification = situation.data.modification
    if (
        modification.price_only
        and modification.foreseeable is True
        and situation.figures.amount > 0
    ):
        a.fail(FORESEEABLE_PRICE)


def _faible_montant(situation: Situation, a: Assessment) -> None:
    _foreseeable_price_rise(situation, a)
    check = faible_montant_check(situation)
    a.cite(*check.references)
    for reason, holds in zip(check.reasons, (check.below_rate, check.below_threshold), strict=True):
        if holds:
            a.ok(reason)
        else:
            a.fail(reason)
    if a.available:
        a.ok(
            "Une modification de faible montant est possible sans vérifier les critères de la "
            "modification substantielle (R2194-7)."
        )
    figures = situation.figures
    if figures.previous_faible_montant_gross and figures.faible_montant_gross != (
        figures.faible_montant_cumul
    ):
        gross = figures.faible_montant_gross
        a.ambiguities.append(
            "R2194-9 dit seulement que l'acheteur « prend en compte leur montant cumulé » ; il "
            "transpose l'article 72, paragraphe 2, de la directive 2014/24/UE, qui apprécie les "
            "modifications successives sur leur « valeur nette cumulée ». OpenAMO compense donc "
            f"moins-values et plus-values : cumul net de {format_euros(figures.faible_montant_cumul)}"
            f" HT ({format_percent(figures.percent(figures.faible_montant_cumul))}). Additionnées "
            f"en valeur absolue (lecture la plus prudente), elles atteindraient "
            f"{format_euros(gross)} HT ({format_percent(figures.percent(gross))})."
        )
    _eu_threshold_period(situation, a)
    if figures.amount == 0:
        a.warn(
            "Une modification sans incidence financière s'apprécie plutôt au regard de R2194-7 "
            "(modification non substantielle)."
        )
    if figures.revised != figures.initial:
        revised_limit = situation.rules.faible_montant_rate * figures.revised
        a.ambiguities.append(
            "R2194-4 ne vise que R2194-2 (et R2194-5 par renvoi) : OpenAMO calcule la limite de "
            "R2194-8 sur le montant initial. La directive 2014/24/UE (art. 72, 3) prend le prix "
            "actualisé comme référence aussi pour les modifications de faible montant : la limite "
            f"serait alors de {format_euros(revised_limit)} HT."
        )
    else:
        a.ok(
            "Le pourcentage de R2194-8 est mesuré sur le montant initial du marché, comme le dit "
            "l'article ; si une clause de variation des prix a fait évoluer ce montant, "
            "indiquez-le (« montant initial révisé par la clause de variation des prix ») : la directive 2014/24/UE (art. 72, 3) "
            "retient alors le prix actualisé et OpenAMO signale l'écart."
        )
    if situation.data.modification.kind is not ModificationKind.FAIBLE_MONTANT:
        return
    if situation.data.modification.price_only:
        a.warn(
            "Une modification de faible montant du prix ne peut pas compenser la part de la "
            "hausse que les parties pouvaient raisonnablement prévoir (CE, avis n° 405540 du 15 "
            "septembre 2022).",
            "CCP R2194-8 (CE, avis n° 405540 du 15 septembre 2022)",
        )


def _eu_threshold_period(situation: Situation, a: Assessment) -> None:
    """State which period's EU threshold R2194-8 uses when the contract began in another one."""
    rules, figures = situation.rules, situation.figures
    launch = rules.launch_eu_threshold
    if launch is None or launch == rules.eu_threshold:
        return
    holds = "serait" if figures.faible_montant_cumul < launch else "ne serait pas"
    a.ambiguities.append(
        f"Seuil européen de R2194-8 : OpenAMO retient celui en vigueur à la date de la modification "
        f"({rules.modification_date:%d/%m/%Y}, {format_euros(rules.eu_threshold)} HT), car la "
        "modification est un acte de cette date et l'avis relatif aux seuils, qui remplace le "
        "précédent, s'applique à R2194-8 ; le marché relève de la période du "
        f"{rules.regime_date:%d/%m/%Y}, où le seuil était de {format_euros(launch)} HT : avec "
        f"celui-là, la condition de seuil {holds} remplie."
    )
    a.cite(rules.launch_eu_reference)


def _conditions(situation: Situation) -> list[SubstantialCondition]:
    return situation.data.modification.substantial_conditions or []


# --- The decision, without words: one predicate per case (the texts above follow them). ---

_TRANSFER_KINDS = (ModificationKind.NOUVEAU_TITULAIRE, ModificationKind.CLAUSE_REEXAMEN)


def foreseeable_price_rise(situation: Situation) -> bool:
    modification = situation.data.modification
    return (
        modification.price_only
        and modification.foreseeable is True
        and situation.figures.amount > 0
    )


def _faible_montant_within(situation: Situation) -> bool:
    below_rate, below_threshold = faible_montant_below(situation)
    return below_rate and below_threshold


def _prestations_open(situation: Situation) -> bool:
    modification = situation.data.modification
    return (
        situation.figures.amount > 0
        and not modification.price_only
        and modification.separable is not True
        and modification.major_inconvenience is not False
        and cap_within(situation)
    )


def _circonstances_open(situation: Situation) -> bool:
    return situation.data.modification.foreseeable is not True and cap_within(situation)


def _titulaire_open(situation: Situation) -> bool:
    modification = situation.data.modification
    cause = modification.transfer_cause
    if cause is TransferCause.AUTRE:
        return False
    if cause is not TransferCause.CLAUSE_REEXAMEN:
        if modification.new_contractor_meets_initial_conditions is False:
            return False
        if situation.figures.amount and not _faible_montant_within(situation):
            return False
    return all(c is SubstantialCondition.TITULAIRE for c in _conditions(situation))


def _non_substantielle_open(situation: Situation) -> bool:
    return not foreseeable_price_rise(situation) and not _conditions(situation)


def _faible_montant_open(situation: Situation) -> bool:
    return not foreseeable_price_rise(situation) and _faible_montant_within(situation)


_OPEN: dict[Basis, Callable[[Situation], bool]] = {
    Basis.CLAUSE_REEXAMEN: lambda situation: True,
    Basis.PRESTATIONS_SUPPLEMENTAIRES: _prestations_open,
    Basis.CIRCONSTANCES_IMPREVUES: _circonstances_open,
    Basis.NOUVEAU_TITULAIRE: _titulaire_open,
    Basis.NON_SUBSTANTIELLE: _non_substantielle_open,
    Basis.FAIBLE_MONTANT: _faible_montant_open,
}


def is_open(basis: Basis, situation: Situation) -> bool:
    """Does this case of L2194-1 allow the modification (before the global blockers)?"""
    return _OPEN[basis](situation)


def changes_nature(situation: Situation) -> bool:
    return situation.data.modification.changes_object


def replaces_contractor_outside_r2194_6(situation: Situation) -> bool:
    modification = situation.data.modification
    return (
        SubstantialCondition.TITULAIRE in _conditions(situation)
        and modification.kind not in _TRANSFER_KINDS
    )


def blocked(situation: Situation) -> bool:
    """A change of object or of contractor outside R2194-6 forbids it whatever the basis."""
    return changes_nature(situation) or replaces_contractor_outside_r2194_6(situation)


def candidates(situation: Situation) -> list[Basis]:
    """The case invoked first, then R2194-8 (objective) and R2194-7 (when the tests are given)."""
    modification = situation.data.modification
    claimed = modification.kind.basis
    order = [claimed]
    if modification.kind is ModificationKind.NOUVEAU_TITULAIRE:
        return order
    if claimed is not Basis.FAIBLE_MONTANT and modification.amount_ht != 0:
        order.append(Basis.FAIBLE_MONTANT)
    if claimed is not Basis.NON_SUBSTANTIELLE and modification.substantial_conditions == []:
        order.append(Basis.NON_SUBSTANTIELLE)
    return order


def open_basis(situation: Situation) -> Basis | None:
    """The basis that allows the modification, or ``None`` when it is forbidden."""
    if blocked(situation):
        return None
    return next((b for b in candidates(situation) if is_open(b, situation)), None)


_EVALUATORS: dict[Basis, Callable[[Situation, Assessment], None]] = {
    Basis.CLAUSE_REEXAMEN: _clause_reexamen,
    Basis.PRESTATIONS_SUPPLEMENTAIRES: _prestations_supplementaires,
    Basis.CIRCONSTANCES_IMPREVUES: _circonstances_imprevues,
    Basis.NOUVEAU_TITULAIRE: _nouveau_titulaire,
    Basis.NON_SUBSTANTIELLE: _non_substantielle,
    Basis.FAIBLE_MONTANT: _faible_montant,
}
