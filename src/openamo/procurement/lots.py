"""Per-lot verdicts and the « petits lots » exceptions (R2123-1 2°, R2122-8 2nd paragraph).

Both exceptions transpose the same EU derogation (directive 2014/24/UE art. 5 §10), so the lots
taken out of the main procedure share one 20 % envelope. The smallest lots are taken first: it
exempts as many lots as the envelope allows; the buyer may prefer another selection.
"""

from __future__ import annotations

from decimal import Decimal

from openamo.law import LawSnapshot
from openamo.money import format_euros
from openamo.procurement._findings import Findings
from openamo.procurement.enums import ProcedureKind
from openamo.procurement.models import LotVerdict
from openamo.procurement.thresholds import Thresholds


def lot_verdicts(
    law: LawSnapshot,
    kind: ProcedureKind,
    lots: tuple[tuple[str, Decimal], ...],
    total: Decimal,
    limits: Thresholds,
    findings: Findings,
) -> list[LotVerdict]:
    if not lots:
        return []
    envelope = total * limits.petits_lots_share
    if kind is ProcedureKind.DISPENSE:
        return [
            LotVerdict(
                name=name,
                estimated_amount_ht=amount,
                procedure=kind,
                petit_lot=False,
                explanation="Le besoin entier est sous le seuil de dispense : chaque lot aussi.",
            )
            for name, amount in lots
        ]
    exempt = _select_exempt(kind, lots, envelope, limits)
    verdicts = [
        _verdict(name, amount, kind, index in exempt, limits)
        for index, (name, amount) in enumerate(lots)
    ]
    if exempt:
        used = sum((lots[i][1] for i in exempt), Decimal(0))
        findings.explain(
            f"Petits lots : {len(exempt)} lot(s) pour {format_euros(used)} HT, dans la limite de "
            f"20 % de la valeur de tous les lots ({format_euros(envelope)} HT), peuvent être "
            "passés selon une procédure allégée.",
            law.reference("procurement.lots.petits_lots_part_cumulee"),
            law.reference(limits.petit_lot_path)
            if kind is ProcedureKind.FORMALISEE
            else law.reference(limits.dispense_path),
        )
        findings.flag_ambiguity(
            "OpenAMO impute les lots dispensés (R2122-8) et les petits lots en procédure adaptée "
            "(R2123-1 2°) sur une même enveloppe de 20 %, lecture prudente de la dérogation "
            "européenne commune (directive 2014/24/UE art. 5 §10) ; le choix des lots exemptés "
            "appartient à l'acheteur.",
            "CCP R2123-1 2°",
        )
    return verdicts


def _eligible(kind: ProcedureKind, amount: Decimal, limits: Thresholds) -> bool:
    if kind is ProcedureKind.FORMALISEE:
        return amount < limits.petit_lot
    return amount < limits.dispense


def _select_exempt(
    kind: ProcedureKind,
    lots: tuple[tuple[str, Decimal], ...],
    envelope: Decimal,
    limits: Thresholds,
) -> set[int]:
    candidates = sorted(
        (amount, index) for index, (_, amount) in enumerate(lots) if _eligible(kind, amount, limits)
    )
    chosen: set[int] = set()
    used = Decimal(0)
    for amount, index in candidates:
        if used + amount > envelope:
            break
        used += amount
        chosen.add(index)
    return chosen


def _verdict(
    name: str, amount: Decimal, kind: ProcedureKind, exempt: bool, limits: Thresholds
) -> LotVerdict:
    if not exempt:
        return LotVerdict(
            name=name,
            estimated_amount_ht=amount,
            procedure=kind,
            petit_lot=False,
            explanation=(
                f"Lot passé selon la procédure du besoin entier ({kind.label}) : c'est la valeur "
                "de tous les lots qui compte (R2121-1)."
            ),
        )
    if kind is ProcedureKind.FORMALISEE and amount >= limits.dispense:
        return LotVerdict(
            name=name,
            estimated_amount_ht=amount,
            procedure=ProcedureKind.MAPA,
            petit_lot=True,
            explanation=(
                f"Petit lot de moins de {format_euros(limits.petit_lot)} HT : procédure adaptée "
                "possible (R2123-1 2°), dans l'enveloppe de 20 % de tous les lots."
            ),
        )
    return LotVerdict(
        name=name,
        estimated_amount_ht=amount,
        procedure=ProcedureKind.DISPENSE,
        petit_lot=True,
        explanation=(
            f"Lot de moins de {format_euros(limits.dispense)} HT : marché sans publicité ni mise "
            "en concurrence possible (R2122-8, 2e alinéa), dans l'enveloppe de 20 % de tous les "
            "lots."
        ),
    )
