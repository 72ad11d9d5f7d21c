"""Per-lot verdicts and the « petits lots » exceptions (R2123-1 2°, R2122-8 2nd paragraph).

Both exceptions transpose the same EU derogation (directive 2014/24/UE art. 5 §10), so the lots
taken out of the main procedure share one 20 % envelope. The smallest lots are taken first: it
exempts as many lots as the envelope allows; the buyer may prefer another selection.
"""

from __future__ import annotations

from decimal import Decimal

from openamo.law import LawSnapshot
from openamo.money import format_euros, format_share
from openamo.procurement._findings import Findings
from openamo.procurement.enums import ProcedureKind
from openamo.procurement.models import LotVerdict
from openamo.procurement.thresholds import Thresholds
from openamo.wording import count

LotKinds = tuple[tuple[ProcedureKind, bool], ...]
"""For each lot, in input order: its procedure and whether it is a petit lot."""


def lot_kinds(
    kind: ProcedureKind,
    lots: tuple[tuple[str, Decimal], ...],
    total: Decimal,
    limits: Thresholds,
) -> LotKinds:
    if kind is ProcedureKind.DISPENSE:
        return tuple((kind, False) for _ in lots)
    envelope = total * limits.petits_lots_share
    ceiling = limits.petit_lot if kind is ProcedureKind.FORMALISEE else limits.dispense
    exempt: set[int] = set()
    used = Decimal(0)
    for amount, index in sorted((a, i) for i, (_, a) in enumerate(lots) if a < ceiling):
        if used + amount > envelope:
            break
        used += amount
        exempt.add(index)
    return tuple(
        (_exempt_kind(amount, limits), True) if index in exempt else (kind, False)
        for index, (_, amount) in enumerate(lots)
    )


def _exempt_kind(amount: Decimal, limits: Thresholds) -> ProcedureKind:
    return ProcedureKind.DISPENSE if amount < limits.dispense else ProcedureKind.MAPA


def explain_lots(
    law: LawSnapshot,
    kind: ProcedureKind,
    lots: tuple[tuple[str, Decimal], ...],
    kinds: LotKinds,
    total: Decimal,
    limits: Thresholds,
    findings: Findings,
) -> list[LotVerdict]:
    verdicts = [
        LotVerdict(
            name=name,
            estimated_amount_ht=amount,
            procedure=lot_kind,
            petit_lot=petit,
            explanation=_lot_explanation(kind, lot_kind, petit, limits),
        )
        for (name, amount), (lot_kind, petit) in zip(lots, kinds, strict=True)
    ]
    exempt = [amount for (_, amount), (_, petit) in zip(lots, kinds, strict=True) if petit]
    if exempt:
        findings.explain(
            f"Petits lots : {count(len(exempt), 'lot')} pour {format_euros(sum(exempt, Decimal(0)))} HT, "
            f"dans la limite de {format_share(limits.petits_lots_share)} de la valeur de tous les lots "
            f"({format_euros(total * limits.petits_lots_share)} HT), peuvent être passés selon "
            "une procédure allégée.",
            law.reference("procurement.lots.petits_lots_part_cumulee"),
            law.reference(limits.petit_lot_path)
            if kind is ProcedureKind.FORMALISEE
            else law.reference(limits.dispense_path),
        )
        findings.flag_ambiguity(
            "OpenAMO impute les lots dispensés (R2122-8) et les petits lots en procédure adaptée "
            f"(R2123-1 2°) sur une même enveloppe de {format_share(limits.petits_lots_share)}, "
            "lecture prudente de la dérogation "
            "européenne commune (directive 2014/24/UE art. 5 §10) ; le choix des lots exemptés "
            "appartient à l'acheteur.",
            "CCP R2123-1 2°",
        )
    return verdicts


def _lot_explanation(
    kind: ProcedureKind, lot_kind: ProcedureKind, petit: bool, limits: Thresholds
) -> str:
    if kind is ProcedureKind.DISPENSE:
        return "Le besoin entier est sous le seuil de dispense : chaque lot aussi."
    if not petit:
        return (
            f"Lot passé selon la procédure du besoin entier ({kind.label}) : c'est la valeur "
            "de tous les lots qui compte (R2121-1)."
        )
    if lot_kind is ProcedureKind.MAPA:
        return (
            f"Petit lot de moins de {format_euros(limits.petit_lot)} HT : procédure adaptée "
            "possible (R2123-1 2°), dans l'enveloppe de "
            f"{format_share(limits.petits_lots_share)} de tous les lots."
        )
    return (
        f"Lot de moins de {format_euros(limits.dispense)} HT : marché sans publicité ni mise "
        "en concurrence possible (R2122-8, 2e alinéa), dans l'enveloppe de "
        f"{format_share(limits.petits_lots_share)} de tous les lots."
    )
