"""Warnings a careful AMO gives: splitting, short MAPA deadlines, habits with one supplier."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from openamo.law import LawSnapshot
from openamo.money import format_euros
from openamo.procurement._findings import Findings
from openamo.procurement.enums import ProcedureKind
from openamo.procurement.models import PastPurchase, ProcedureInput
from openamo.procurement.thresholds import Thresholds
from openamo.wording import count


def advise(
    law: LawSnapshot,
    data: ProcedureInput,
    kind: ProcedureKind,
    value: Decimal,
    limits: Thresholds,
    min_days: int | None,
    findings: Findings,
) -> None:
    _near_threshold(law, value, limits, findings)
    _cumulated_purchases(law, data, value, limits, findings)
    _response_time(law, data, kind, min_days, findings)
    if kind is ProcedureKind.DISPENSE:
        _same_supplier(law, data, findings)
        _open_data(law, value, findings)


def _near_threshold(
    law: LawSnapshot, value: Decimal, limits: Thresholds, findings: Findings
) -> None:
    share = law.value("procurement.advice.proximite_seuil")
    assert isinstance(share, Decimal)
    for label, threshold in (("de dispense", limits.dispense), ("européen", limits.eu)):
        if threshold * share <= value < threshold:
            findings.warn(
                f"Valeur estimée ({format_euros(value)} HT) juste sous le seuil {label} "
                f"({format_euros(threshold)} HT) : vérifiez qu'aucun besoin homogène, option, "
                "reconduction ou lot n'a été oublié, et documentez l'estimation — une valeur "
                "sous-estimée ou un besoin scindé expose à l'annulation (R2121-4).",
                "CCP R2121-4",
            )


def _months(law: LawSnapshot) -> int:
    months = law.value("procurement.advice.fenetre_achats_homogenes")
    assert isinstance(months, int)
    return months


def _window(law: LawSnapshot, data: ProcedureInput) -> list[PastPurchase]:
    months = _months(law)
    start = data.date - timedelta(days=round(months * 365 / 12))
    return [p for p in data.previous_purchases if start <= p.date <= data.date]


def _cumulated_purchases(
    law: LawSnapshot, data: ProcedureInput, value: Decimal, limits: Thresholds, findings: Findings
) -> None:
    recent = _window(law, data)
    if not recent:
        return
    cumulated = value + sum((p.amount_ht for p in recent), Decimal(0))
    for label, threshold in (("de dispense", limits.dispense), ("européen", limits.eu)):
        if value < threshold <= cumulated:
            findings.warn(
                f"Avec les {count(len(recent), 'achat')} de même nature des {_months(law)} derniers mois, le besoin "
                f"cumulé atteint {format_euros(cumulated)} HT, au-delà du seuil {label} "
                f"({format_euros(threshold)} HT). S'il s'agit de fournitures ou services "
                "homogènes (ou de la même opération de travaux), la valeur estimée doit les "
                "inclure : risque de saucissonnage (R2121-4, R2121-6, R2121-7).",
                "CCP R2121-4",
                "CCP R2121-6",
                "CCP R2121-7",
            )


def _response_time(
    law: LawSnapshot,
    data: ProcedureInput,
    kind: ProcedureKind,
    min_days: int | None,
    findings: Findings,
) -> None:
    planned = data.planned_response_days
    if kind is ProcedureKind.FORMALISEE and planned is not None and min_days is not None:
        if planned < min_days:
            findings.warn(
                f"Délai de réponse prévu ({planned} jours) inférieur au minimum légal de "
                f"{min_days} jours : la procédure serait irrégulière.",
                "CCP R2161-2",
            )
        return
    if kind is not ProcedureKind.MAPA:
        return
    with_visit = law.get("procurement.advice.delai_mapa_visite_conseille")
    without = law.get("procurement.advice.delai_mapa_minimum_conseille")
    assert isinstance(with_visit.value, int) and isinstance(without.value, int)
    if data.site_visit and (planned is None or planned < with_visit.value):
        shown = f"{planned} jours" if planned is not None else "un délai non précisé"
        findings.warn(
            f"MAPA avec visite obligatoire des lieux et {shown} de réponse : le juge a jugé "
            "insuffisants 15 à 16 jours avec visite. Prévoyez au moins "
            f"{with_visit.value} jours après la publication et plusieurs créneaux de visite.",
            with_visit.reference,
        )
    elif planned is not None and planned < without.value:
        findings.warn(
            f"Délai de réponse de {planned} jours en MAPA : aucun minimum légal, mais un délai "
            f"de moins de {without.value} jours est rarement jugé suffisant, même pour un "
            "marché simple (délai compté à partir de la publication).",
            without.reference,
        )


def _normalise(name: str) -> str:
    return " ".join(name.casefold().split())


def _same_supplier(law: LawSnapshot, data: ProcedureInput, findings: Findings) -> None:
    if not data.supplier:
        return
    limit = law.get("procurement.advice.dispense_repetition")
    assert isinstance(limit.value, int)
    same = [
        p
        for p in _window(law, data)
        if p.supplier
        and _normalise(p.supplier) == _normalise(data.supplier)
        and p.procedure in (None, ProcedureKind.DISPENSE)
    ]
    if len(same) >= limit.value:
        findings.warn(
            f"Déjà {count(len(same), 'achat')} sans mise en concurrence auprès de « {data.supplier} » "
            f"sur les {_months(law)} derniers mois : l'acheteur doit veiller à ne pas contracter "
            "systématiquement avec le même opérateur lorsque plusieurs peuvent répondre. "
            "Consultez d'autres fournisseurs et gardez trace de la comparaison.",
            limit.reference,
        )


def _open_data(law: LawSnapshot, value: Decimal, findings: Findings) -> None:
    decp = law.get("opendata.decp_seuil")
    threshold = decp.value
    assert isinstance(threshold, Decimal)
    if value >= threshold:
        findings.warn(
            f"Même sans mise en concurrence, un marché d'au moins {format_euros(threshold)} HT "
            "doit faire l'objet d'une publication de ses données essentielles (DECP) après sa "
            "notification.",
            decp.reference,
        )
