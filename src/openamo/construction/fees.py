"""The MOE fee: provisional, made definitive on the committed cost, and the two tolerance checks.

L2432-1 / R2432-6: a lump sum that reflects the mission, its complexity and the estimated cost of
works. R2432-2 and R2432-3: the contract states how the estimated cost is fixed, its tolerance and
the consequences; after the works tender, a cost above the tolerance that does not come from
circumstances the MOE could not foresee lets the buyer require new studies at no extra fee. A
second commitment on the cost of the works as built may reduce the fee, capped at a share of the
fee of the mission elements that follow the award of the works contracts (VISA, DET, AOR…), not of
the whole fee (``construction.moe.reduction_remuneration_plafond``). The tolerance rates are the
buyer's choice.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openamo import law
from openamo.construction.models import FeeInput, FeeResult
from openamo.errors import OpenAMOError
from openamo.money import format_euros, format_percent, format_share, to_cents
from openamo.validation import parse_input

CAP = "construction.moe.reduction_remuneration_plafond"


def reduction_cap_share(day: date) -> str:
    """The cap of the fee reduction in force on ``day``, for a sentence (« 15 % »)."""
    return format_share(Decimal(str(law.at(day).value(CAP))))


def _cap_share(data: FeeInput) -> str:
    return reduction_cap_share(data.date)


FORFAIT = (
    "CCP L2432-1 et R2432-6 (rémunération forfaitaire : étendue de la mission, complexité, "
    "coût prévisionnel des travaux)"
)
COMMITMENT = (
    "CCP R2432-2 (le marché fixe le coût prévisionnel, le seuil de tolérance et les conséquences "
    "des engagements du maître d'œuvre)"
)
FIRST_CHECK = (
    "CCP R2432-3 (contrôle à l'issue de la consultation des entreprises ; adaptation des études "
    "sans rémunération supplémentaire), décret n° 2022-1683 du 28 décembre 2022, art. 3"
)

NO_DEFAULT_TOLERANCE = (
    "Seuils de tolérance : le marché les fixe (CCP R2432-2). Des commentateurs prêtent au "
    "CCAG-MOE 2021 des taux applicables à défaut de stipulation ; ils n'ont pas été retrouvés "
    "dans son texte : OpenAMO n'applique que les taux écrits dans le marché, sans taux par défaut."
)


def _ceiling(cost: Decimal, tolerance_percent: Decimal) -> Decimal:
    return to_cents(cost * (1 + tolerance_percent / 100))


def moe_fee(data: FeeInput) -> FeeResult:
    rate = data.provisional_fee_ht / data.provisional_works_cost_ht
    rate_percent = (rate * 100).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    references = [FORFAIT, COMMITMENT]
    warnings: list[str] = []
    ambiguities: list[str] = []
    lines = [
        f"Forfait provisoire de {format_euros(data.provisional_fee_ht)} HT sur une part de "
        f"l'enveloppe affectée aux travaux de {format_euros(data.provisional_works_cost_ht)} HT, "
        f"soit un taux de {format_percent(rate_percent)} (R2432-6)."
    ]
    definitive = change = None
    if data.committed_works_cost_ht is not None:
        definitive = to_cents(rate * data.committed_works_cost_ht)
        change = definitive - data.provisional_fee_ht
        lines.append(
            f"Coût prévisionnel arrêté (APD) de {format_euros(data.committed_works_cost_ht)} HT : "
            f"forfait définitif de {format_euros(definitive)} HT au même taux, à fixer par avenant "
            "avant le lancement de la consultation des entreprises."
        )
        ambiguities.append(
            "Le CCP impose un forfait, pas un taux : appliquer le taux provisoire au coût "
            "prévisionnel est l'usage quand le marché le prévoit ; le marché peut retenir une "
            "autre règle (étendue ou complexité de la mission modifiée par le programme)."
        )
        ambiguities.append(NO_DEFAULT_TOLERANCE)
    first = _first_check(data, lines, references)
    second = _second_check(data, definitive or data.provisional_fee_ht, rate, lines, references)
    penalty, cap, capped, after, final_ceiling, final_excess = second
    if capped:
        ambiguities.append(
            f"Plafond de la réduction ({_cap_share(data)} de la rémunération des éléments de "
            "mission postérieurs à l'attribution des marchés de travaux) lu dans l'article 30 du "
            "décret n° 93-1268, codifié à droit constant au CCP en 2019 ; le numéro de l'article "
            "du CCP qui le reprend n'a pas été relu sur Légifrance."
        )
    if cap is not None:
        references.append(law.at(data.date).reference(CAP))
    if data.final_works_cost_ht is not None and data.post_award_fee_ht is None and penalty > 0:
        warnings.append(
            f"Plafond de la réduction non vérifié : indiquez la rémunération des éléments de "
            f"mission postérieurs à l'attribution des marchés de travaux (« post_award_fee_ht ») ; "
            f"la réduction de {format_euros(penalty)} ne s'applique qu'à concurrence de "
            f"{_cap_share(data)} de cette part."
        )
    if data.unforeseeable_circumstances and first[1] is not None and first[1] > 0:
        warnings.append(
            "Dépassement dû à des circonstances que le maître d'œuvre ne pouvait prévoir : il ne "
            "peut pas être tenu de reprendre gratuitement ses études (R2432-3) ; conservez les "
            "justificatifs (hausse des prix, exigence nouvelle du maître d'ouvrage)."
        )
    return FeeResult(
        date=data.date, fee_rate_percent=rate_percent, provisional_fee_ht=data.provisional_fee_ht,
        definitive_fee_ht=definitive, fee_change_ht=change, consultation_ceiling_ht=first[0],
        consultation_excess_ht=first[1], studies_adaptation_may_be_required=first[2],
        final_ceiling_ht=final_ceiling, final_excess_ht=final_excess, penalty_ht=penalty,
        penalty_cap_ht=cap, penalty_capped=capped, fee_after_penalty_ht=after,
        buyer_choices=[
            "Le seuil de tolérance sur le coût prévisionnel (premier contrôle, après la "
            "consultation des entreprises) : le CCP n'en fixe pas le taux",
            "Le second seuil de tolérance sur le coût réalisé et la formule de réduction de la "
            "rémunération (part de l'excédent retenue)",
            "Le mode de passage du forfait provisoire au forfait définitif (taux, ou forfait "
            "négocié) écrit dans le marché",
        ],
        warnings=warnings, ambiguities=ambiguities, references=references,
        explanation="\n".join(lines),
    )  # fmt: skip


def moe_fee_from_dict(data: Any) -> FeeResult:
    return moe_fee(parse_input(FeeInput, data))


def _first_check(
    data: FeeInput, lines: list[str], references: list[str]
) -> tuple[Decimal | None, Decimal | None, bool]:
    if data.consultation_works_cost_ht is None or data.committed_works_cost_ht is None:
        return None, None, False
    assert data.tolerance_percent is not None  # validated with the input
    ceiling = _ceiling(data.committed_works_cost_ht, data.tolerance_percent)
    excess = data.consultation_works_cost_ht - ceiling
    references.append(FIRST_CHECK)
    if excess > 0 and not data.unforeseeable_circumstances:
        lines.append(
            f"Résultat de la consultation ({format_euros(data.consultation_works_cost_ht)} HT) "
            f"au-delà du coût prévisionnel majoré de la tolérance de "
            f"{format_percent(data.tolerance_percent)} ({format_euros(ceiling)} HT) de "
            f"{format_euros(excess)} : le maître d'ouvrage peut demander au maître d'œuvre "
            "d'adapter ses études sans rémunération supplémentaire (R2432-3)."
        )
        return ceiling, excess, True
    verdict = "dans la tolérance" if excess <= 0 else "au-delà de la tolérance mais imprévisible"
    lines.append(
        f"Résultat de la consultation ({format_euros(data.consultation_works_cost_ht)} HT) "
        f"{verdict} (plafond {format_euros(ceiling)} HT) : pas de reprise gratuite des études."
    )
    return ceiling, excess, False


def _second_check(
    data: FeeInput, fee: Decimal, rate: Decimal, lines: list[str], references: list[str]
) -> tuple[Decimal, Decimal | None, bool, Decimal | None, Decimal | None, Decimal | None]:
    if data.final_works_cost_ht is None or data.committed_works_cost_ht is None:
        return Decimal(0), None, False, None, None, None
    assert data.final_tolerance_percent is not None
    if data.post_award_fee_ht is not None and data.post_award_fee_ht > fee:
        raise OpenAMOError(
            f"La rémunération des éléments de mission postérieurs à l'attribution des marchés de "
            f"travaux ({format_euros(data.post_award_fee_ht)} HT) ne peut pas dépasser la "
            f"rémunération du maître d'œuvre ({format_euros(fee)} HT).",
            code="invalid_input",
        )
    base = data.consultation_works_cost_ht or data.committed_works_cost_ht
    ceiling = _ceiling(base, data.final_tolerance_percent)
    excess = data.final_works_cost_ht - ceiling
    post_award = data.post_award_fee_ht
    cap = (
        to_cents(post_award * Decimal(str(law.at(data.date).value(CAP))))
        if post_award is not None
        else None
    )
    references.append(
        "CCP R2432-2 (second engagement sur le coût des travaux réalisés et sa conséquence)"
    )
    if excess <= 0:
        lines.append(
            f"Coût réalisé ({format_euros(data.final_works_cost_ht)} HT) dans la seconde tolérance "
            f"(plafond {format_euros(ceiling)} HT) : aucune réduction de rémunération."
        )
        return Decimal(0), cap, False, fee, ceiling, excess
    share = data.penalty_share_percent / 100 if data.penalty_share_percent else rate
    raw = to_cents(excess * share)
    if cap is None or post_award is None:  # an input written before the base was asked for
        lines.append(
            f"Coût réalisé ({format_euros(data.final_works_cost_ht)} HT) au-delà du plafond de "
            f"{format_euros(ceiling)} HT de {format_euros(excess)} : réduction de "
            f"{format_euros(raw)} ({format_percent(share * 100)} de l'excédent) avant plafond. "
            f"Elle ne peut excéder {_cap_share(data)} de la rémunération des éléments de mission "
            "postérieurs à l'attribution des marchés de travaux (VISA, DET, AOR…), non indiquée "
            "(« post_award_fee_ht ») : plafond non vérifié (décret n° 93-1268, art. 30, repris "
            "au CCP)."
        )
        return raw, None, False, fee - raw, ceiling, excess
    penalty = min(raw, cap)
    lines.append(
        f"Coût réalisé ({format_euros(data.final_works_cost_ht)} HT) au-delà du plafond de "
        f"{format_euros(ceiling)} HT de {format_euros(excess)} : réduction de "
        f"{format_euros(raw)} ({format_percent(share * 100)} de l'excédent)"
        + (f", ramenée au plafond de {format_euros(cap)}" if raw > cap else "")
        + f" ; rémunération après réduction : {format_euros(fee - penalty)} HT. La réduction ne "
        f"peut excéder {_cap_share(data)} de la rémunération des éléments de mission postérieurs "
        f"à l'attribution des marchés de travaux ({format_euros(post_award)} HT), "
        f"soit {format_euros(cap)} (décret n° 93-1268, art. 30, repris au CCP)."
    )
    return penalty, cap, raw > cap, fee - penalty, ceiling, excess
