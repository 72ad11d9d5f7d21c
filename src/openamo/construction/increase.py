"""An increase of the amount of the works beyond the contractual amount (CCAG-Travaux 2021, art. 14).

The holder completes the works whatever the increase, but is bound to works answering changes in
the needs or conditions of use only up to a tenth of the contractual amount (refusal in writing
within 15 days of the order). Beyond the « augmentation limite » — 5 % of the contractual amount
on lump-sum prices, 25 % on unit prices, the sum of both for a contract mixing them — it may
claim the loss caused by the excess. It warns the MOE a month before the contractual amount is
reached, or stops there (works beyond unpaid); the buyer may order it to stop, by an order
notified ten days before; without that order it goes on up to the limit and stops there.

The 2021 text of article 14 was not read word for word: the figures are those of article 15 of
the 2009 CCAG (read in the LEGI database), which commentators say 2021 kept; 14.3 is confirmed as
the indemnity by the cross-reference of article 13.3 of 2021. Said in ``ambiguities``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from openamo import law
from openamo.construction import _calendar as cal
from openamo.construction._law import days, reference, rules
from openamo.construction.models import WorksIncreaseInput, WorksIncreaseResult
from openamo.money import format_euros, format_percent, format_share, percent, to_cents
from openamo.validation import parse_input

LUMP = "construction.ccag_travaux.augmentation_limite_prix_forfaitaires"
UNIT = "construction.ccag_travaux.augmentation_limite_prix_unitaires"
NEEDS = "construction.ccag_travaux.changement_besoins_part_maximale"
NEEDS_REFUSAL = "construction.ccag_travaux.changement_besoins_delai_refus"
NOTICE = "construction.ccag_travaux.augmentation_preavis_titulaire"
STOP = "construction.ccag_travaux.augmentation_preavis_ordre_arret"
SMALL_CHANGE = "amendments.faible_montant_travaux"


def works_increase(data: WorksIncreaseInput) -> WorksIncreaseResult:
    snapshot = rules(data.consultation_date, "Augmentation du montant des travaux")
    contractual = data.lump_sum_contractual_ht + data.unit_price_contractual_ht
    lump_rate, unit_rate = _rate(snapshot, LUMP), _rate(snapshot, UNIT)
    limit = to_cents(
        data.lump_sum_contractual_ht * lump_rate + data.unit_price_contractual_ht * unit_rate
    )
    ceiling = contractual + limit
    increase = data.works_amount_ht - contractual
    beyond = max(increase - limit, Decimal(0))
    status = (
        "sous_montant_contractuel"
        if increase <= 0
        else "dans_augmentation_limite"
        if beyond == 0
        else "au_dela_augmentation_limite"
    )
    warnings: list[str] = []
    references = [reference(snapshot, LUMP), reference(snapshot, UNIT)]
    notice_due, stop_due = _notices(data, snapshot, status, ceiling, warnings, references)
    cap, refusable, refusal_due = _needs_changes(data, snapshot, contractual, warnings, references)
    if status == "au_dela_augmentation_limite":
        warnings.append(
            f"Le montant des travaux ({format_euros(data.works_amount_ht)} HT) dépasse le montant "
            f"contractuel augmenté de l'augmentation limite ({format_euros(ceiling)} HT) de "
            f"{format_euros(beyond)} HT : le titulaire a droit à être indemnisé, en fin de compte, du "
            "préjudice que lui cause l'augmentation au-delà de la limite (art. 14.3)"
            + (
                "."
                if data.continuation_decided
                else " ; sans avenant ni décision de poursuivre, il arrête les travaux quand ils "
                "atteignent ce plafond, et les travaux exécutés au-delà ne sont pas payés."
            )
        )
    small_change = law.at(data.consultation_date)
    if increase > 0:
        references.append(small_change.reference(SMALL_CHANGE))
    elif increase < 0:
        warnings.append(
            "Montant des travaux inférieur au montant contractuel : c'est une diminution "
            "(art. 15 du CCAG-Travaux 2021), qu'OpenAMO ne chiffre pas ; vérifiez dans le marché "
            "le seuil au-delà duquel le titulaire peut demander une indemnité."
        )
    return WorksIncreaseResult(
        consultation_date=data.consultation_date, contractual_ht=contractual,
        works_amount_ht=data.works_amount_ht, increase_ht=increase,
        increase_percent=percent(increase, contractual), limit_ht=limit, ceiling_ht=ceiling,
        beyond_limit_ht=beyond, status=status, contractor_notice_due_on=notice_due,
        stop_order_due_on=stop_due, needs_changes_cap_ht=cap, needs_changes_refusable=refusable,
        refusal_due_on=refusal_due,
        buyer_choices=[
            "Arrêter les travaux au montant contractuel, par ordre de service notifié au moins "
            f"{days(snapshot, STOP)} jours avant la date probable où il sera atteint, ou les "
            "poursuivre par avenant (ou décision de poursuivre)",
            "Déroger aux augmentations limites ou au préavis du titulaire dans le CCAP (le préavis "
            "peut être écarté quand la durée du marché ne le permet pas)",
        ],
        warnings=warnings,
        ambiguities=[
            "Le texte de 2021 de l'article 14 n'a pas été lu mot à mot : les chiffres sont ceux de "
            "l'article 15 du CCAG de 2009 (lu), que les commentateurs disent repris en 2021 ; "
            "seul le numéro 14.3 (indemnité au-delà de l'augmentation limite) est confirmé par "
            "le renvoi de l'article 13.3 de 2021.",
            "Poursuivre jusqu'à l'augmentation limite est l'exécution du marché initial selon une "
            "réponse ministérielle sur le texte de 2009 (QE n° 74083) ; un avenant qui porte le "
            "montant contractuel au-delà reste une modification du marché, à justifier au regard "
            f"du CCP (R2194-1 et suivants ; modification de faible montant sous "
            f"{format_share(Decimal(str(small_change.value(SMALL_CHANGE))))} pour les travaux, "
            "R2194-8) : vérifiez-le avec « amo avenants ».",
        ],
        references=list(dict.fromkeys([*references, cal.CCAG_COUNTING])),
        explanation=_explain(data, contractual, increase, limit, ceiling, status, lump_rate, unit_rate),
    )  # fmt: skip


def works_increase_from_dict(data: Any) -> WorksIncreaseResult:
    return works_increase(parse_input(WorksIncreaseInput, data))


def _rate(snapshot: law.LawSnapshot, path: str) -> Decimal:
    return Decimal(str(snapshot.value(path)))


def _notices(
    data: WorksIncreaseInput,
    snapshot: law.LawSnapshot,
    status: str,
    ceiling: Decimal,
    warnings: list[str],
    references: list[str],
) -> tuple[date | None, date | None]:
    """The holder's notice a month before the contractual amount is reached, the buyer's order to
    stop ten days before (dates « au moins … avant » : counted back, never extended)."""
    reach = data.probable_reach_on
    if reach is None:
        if status != "sous_montant_contractuel" and not data.continuation_decided:
            warnings.append(
                "Montant contractuel dépassé sans avenant ni décision de poursuivre : sauf ordre "
                "d'arrêter les travaux, le titulaire les poursuit jusqu'au montant contractuel "
                f"augmenté de l'augmentation limite ({format_euros(ceiling)} HT), puis les arrête "
                "(art. 14) ; indiquez la date probable où le montant contractuel est atteint "
                "pour dater le préavis et l'ordre d'arrêt."
            )
        return None, None
    references += [reference(snapshot, NOTICE), reference(snapshot, STOP)]
    notice_due = cal.add_months(reach, -int(snapshot.value(NOTICE)))
    stop_due = reach - timedelta(days=days(snapshot, STOP))
    notice = data.contractor_notice_on
    if notice is not None and notice > notice_due:
        warnings.append(
            f"Avis du titulaire du {cal.fr_date(notice)}, après le {cal.fr_date(notice_due)} (un "
            f"mois au moins avant le {cal.fr_date(reach)}) : il doit arrêter les travaux quand le "
            "montant contractuel est atteint, et les travaux exécutés au-delà ne sont pas payés."
        )
    elif notice is None and data.as_of is not None and data.as_of > notice_due:
        warnings.append(
            f"Aucun avis du titulaire au {cal.fr_date(notice_due)} : il doit arrêter les travaux "
            f"au montant contractuel, le {cal.fr_date(reach)} selon la date probable ; les travaux "
            "exécutés au-delà ne sont pas payés."
        )
    stop = data.stop_order_on
    if stop is not None and stop > stop_due:
        warnings.append(
            f"Ordre d'arrêter les travaux notifié le {cal.fr_date(stop)}, moins de "
            f"{days(snapshot, STOP)} jours avant la date probable ({cal.fr_date(reach)}) : le "
            f"titulaire peut poursuivre jusqu'à {format_euros(ceiling)} HT (montant contractuel et "
            "augmentation limite)."
        )
    return notice_due, stop_due


def _needs_changes(
    data: WorksIncreaseInput,
    snapshot: law.LawSnapshot,
    contractual: Decimal,
    warnings: list[str],
    references: list[str],
) -> tuple[Decimal | None, bool | None, date | None]:
    if data.needs_changes_ht is None:
        return None, None, None
    references.append(reference(snapshot, NEEDS))
    cap = to_cents(contractual * _rate(snapshot, NEEDS))
    refusable = data.needs_changes_ht > cap
    due = None
    if refusable and data.needs_change_order_on is not None:
        references.append(reference(snapshot, NEEDS_REFUSAL))
        due = cal.add_days(data.needs_change_order_on, days(snapshot, NEEDS_REFUSAL))
        refused = data.refusal_on
        if refused is not None and refused > due:
            warnings.append(
                f"Refus du titulaire notifié le {cal.fr_date(refused)}, après le "
                f"{cal.fr_date(due)} : irrecevable, il doit exécuter l'ordre de service."
            )
    if refusable:
        warnings.append(
            f"Travaux correspondant à des changements dans les besoins : "
            f"{format_euros(data.needs_changes_ht)} HT cumulés, au-delà du dixième du montant "
            f"contractuel ({format_euros(cap)} HT) : le titulaire peut refuser l'ordre de service "
            "qui l'y porte, par écrit et justifié, au maître d'ouvrage avec copie au maître d'œuvre"
            + (f", au plus tard le {cal.fr_date(due)}." if due else " (dans les quinze jours).")
        )
    return cap, refusable, due


STATUS = {
    "sous_montant_contractuel": "le montant des travaux ne dépasse pas le montant contractuel",
    "dans_augmentation_limite": "le montant contractuel est dépassé, dans l'augmentation limite",
    "au_dela_augmentation_limite": "le montant des travaux dépasse l'augmentation limite",
}


def _explain(
    data: WorksIncreaseInput,
    contractual: Decimal,
    increase: Decimal,
    limit: Decimal,
    ceiling: Decimal,
    status: str,
    lump_rate: Decimal,
    unit_rate: Decimal,
) -> str:
    parts = []
    if data.lump_sum_contractual_ht:
        parts.append(
            f"{format_share(lump_rate)} de {format_euros(data.lump_sum_contractual_ht)} HT à prix "
            "forfaitaires"
        )
    if data.unit_price_contractual_ht:
        parts.append(
            f"{format_share(unit_rate)} de {format_euros(data.unit_price_contractual_ht)} HT sur "
            "prix unitaires"
        )
    return "\n".join([
        f"Montant contractuel {format_euros(contractual)} HT, montant des travaux "
        f"{format_euros(data.works_amount_ht)} HT : écart de {format_euros(increase)} HT "
        f"({format_percent(percent(increase, contractual))}).",
        f"Augmentation limite {format_euros(limit)} HT ({' + '.join(parts)}), soit un plafond de "
        f"{format_euros(ceiling)} HT (CCAG-Travaux 2021, art. 14.3).",
        f"État : {STATUS[status]}.",
    ])  # fmt: skip
