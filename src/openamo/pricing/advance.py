"""Advance (avance) and retention money (retenue de garantie): when due, rates, base, repayment.

R2191-3: the advance is due when the initial amount exceeds 50 000 € HT and the execution period
two months; R2191-7: at least 5 % of the initial amount TTC (of 12 × amount / duration beyond
twelve months), more for SMEs with the State (30 % since 2023) and large buyers (10 %, buyers
whose operating expenses exceed 60 M€). Frameworks executed by orders: on the minimum when it
exceeds 50 000 € HT (R2191-17), otherwise on each order that meets R2191-3 (R2191-16).
Repayment in the silence of the contract: R2191-11 and R2191-12 (R2191-19 for frameworks).
R2191-33: retention at most 5 %, 3 % for an SME with the State and, since 2025, large buyers;
R2191-36: replaced by a first-demand guarantee or, if the buyer accepts, a personal surety.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openamo import law
from openamo.dates import add_months
from openamo.errors import LawDataError
from openamo.findings import Findings
from openamo.money import format_euros, to_cents
from openamo.pricing._decimals import fr
from openamo.pricing.enums import AdvanceBuyer, RetentionSubstitute
from openamo.pricing.execution_models import (
    AdvanceFramework,
    AdvanceInput,
    AdvanceOrderResult,
    AdvanceResult,
    Repayment,
    RetentionInput,
    RetentionResult,
)
from openamo.validation import parse_input
from openamo.wording import count

LARGE_BUYERS = {AdvanceBuyer.COLLECTIVITE, AdvanceBuyer.ETABLISSEMENT_PUBLIC_ETAT}
LARGE_BUYER_THRESHOLD = "payment.advance.seuil_grands_acheteurs"


def _fraction(rules: law.LawSnapshot, path: str) -> Decimal:
    return Decimal(str(rules.value(path)))


def _optional(rules: law.LawSnapshot, path: str) -> tuple[Decimal | None, str | None]:
    """A figure that exists only for some periods (None outside them)."""
    try:
        return _fraction(rules, path), rules.reference(path)
    except LawDataError:
        return None, None


def _is_large_buyer(
    rules: law.LawSnapshot,
    buyer: AdvanceBuyer,
    declared: bool,
    expenses: Decimal | None,
    findings: Findings,
) -> bool:
    """Operating expenses of the last closed year but one above 60 M€ (R2191-7, R2191-33).

    The expenses decide when given; otherwise the caller's « large_buyer » is taken as said."""
    if buyer not in LARGE_BUYERS:
        if declared or expenses is not None:
            findings.warn(
                "Le critère des dépenses de fonctionnement ne concerne que les collectivités et "
                "les établissements publics administratifs de l'État : il est sans effet pour "
                "cet acheteur.",
            )
        return False
    threshold, _ = _optional(rules, LARGE_BUYER_THRESHOLD)
    if threshold is None:  # before 2020 no buyer had raised SME rates but the State
        return False
    if expenses is None:
        return declared
    large = expenses > threshold
    findings.explain(
        f"Dépenses de fonctionnement de {format_euros(expenses)} "
        f"{'supérieures' if large else 'inférieures ou égales'} au seuil de "
        f"{format_euros(threshold)} : acheteur {'soumis' if large else 'non soumis'} aux taux "
        "majorés en faveur des PME.",
        rules.reference(LARGE_BUYER_THRESHOLD),
    )
    if declared and not large:
        findings.warn(
            "« large_buyer » indiqué alors que les dépenses de fonctionnement ne dépassent pas "
            f"{format_euros(threshold)} : les dépenses décident, taux de droit commun appliqués."
        )
    return large


def _sme_rate(
    rules: law.LawSnapshot, buyer: AdvanceBuyer, large: bool, state: str, others: str
) -> tuple[Decimal | None, str | None]:
    """The SME-specific figure for this buyer, or None when the general rule applies."""
    path = state if buyer is AdvanceBuyer.ETAT else None
    if path is None and large and buyer in LARGE_BUYERS:
        path = others
    if path is None:
        return None, None
    return _optional(rules, path)


def _base(rules: law.LawSnapshot, amount_ttc: Decimal, months: int) -> Decimal:
    reference_months = int(rules.value("payment.advance.duree_reference"))
    if months > reference_months:
        return amount_ttc * reference_months / months
    return amount_ttc


def _due(rules: law.LawSnapshot, amount_ht: Decimal, months: int) -> bool:
    threshold = _fraction(rules, "payment.advance.seuil_montant")
    return amount_ht > threshold and months > int(rules.value("payment.advance.seuil_duree"))


def advance(data: AdvanceInput) -> AdvanceResult:
    rules = law.at(data.consultation_date)
    findings = Findings()
    findings.cite(
        rules.reference("payment.advance.seuil_montant"),
        rules.reference("payment.advance.taux_minimum"),
    )
    large = _is_large_buyer(
        rules, data.buyer, data.large_buyer, data.operating_expenses_ht, findings
    )
    rate = _fraction(rules, "payment.advance.taux_minimum")
    if data.sme:
        sme_rate, reference = _sme_rate(
            rules, data.buyer, large,
            "payment.advance.taux_minimum_pme_etat",
            "payment.advance.taux_minimum_pme_grands_acheteurs",
        )  # fmt: skip
        if sme_rate is not None and reference is not None:
            rate = max(rate, sme_rate)
            findings.cite(reference)
    threshold = _fraction(rules, "payment.advance.seuil_montant")
    framework = data.framework
    basis, orders = "montant_initial", []
    if (
        framework is not None
        and framework.minimum_ht is not None
        and framework.minimum_ht > threshold
    ):
        basis = "minimum_accord_cadre"
        assert framework.minimum_ttc is not None
        mandatory = _due(rules, framework.minimum_ht, data.duration_months)
        base = _base(rules, framework.minimum_ttc, data.duration_months)
        findings.cite("CCP R2191-17")
        head = (
            f"Accord-cadre à bons de commande avec un minimum de "
            f"{format_euros(framework.minimum_ht)} HT, supérieur à {format_euros(threshold)} : "
            "l'avance est accordée en une seule fois sur la base de ce minimum (R2191-17)."
        )
    elif framework is not None:
        basis = "bons_de_commande"
        orders = _orders(rules, framework, rate, findings)
        mandatory = any(order.mandatory for order in orders)
        base = sum((order.base_ttc for order in orders if order.mandatory), Decimal(0))
        findings.cite("CCP R2191-16")
        head = (
            "Accord-cadre à bons de commande sans minimum supérieur à "
            f"{format_euros(threshold)} HT : l'avance est accordée pour chaque bon de commande "
            "de plus de 50 000 € HT et de plus de deux mois (R2191-16) — "
            f"{count(sum(order.mandatory for order in orders), 'bon')} sur {len(orders)} y "
            + ("ouvre" if sum(order.mandatory for order in orders) < 2 else "ouvrent")
            + " droit."
        )
    else:
        mandatory = _due(rules, data.initial_amount_ht, data.duration_months)
        base = _base(rules, data.initial_amount_ttc, data.duration_months)
        head = (
            f"Avance {'due (sauf refus du titulaire)' if mandatory else 'non obligatoire'} : "
            f"montant initial de {format_euros(data.initial_amount_ht)} HT "
            f"{'>' if data.initial_amount_ht > threshold else '≤'} {format_euros(threshold)} et "
            f"durée de {data.duration_months} mois (R2191-3)."
        )
    minimum = to_cents(base * rate)
    contractual = None
    effective_rate = rate
    if data.contractual_rate_percent is not None:
        contractual = to_cents(base * data.contractual_rate_percent / 100)
        effective_rate = max(rate, data.contractual_rate_percent / 100)
        if data.contractual_rate_percent / 100 < rate:
            findings.warn(
                f"Le taux contractuel de {fr(data.contractual_rate_percent)} % est inférieur au "
                f"minimum réglementaire de {fr(rate * 100)} % (R2191-7)."
            )
        _check_cap(rules, data.contractual_rate_percent / 100, findings)
    repayment = _repayment(rules, effective_rate, findings)
    text = (
        f"{head} Taux minimal {fr(rate * 100)} % de {format_euros(to_cents(base))} TTC, soit "
        f"{format_euros(minimum)} TTC (R2191-7). {repayment.explanation}"
    )
    return AdvanceResult(
        mandatory=mandatory, minimum_rate_percent=rate * 100, base_ttc=to_cents(base),
        minimum_amount_ttc=minimum, contractual_amount_ttc=contractual, large_buyer=large,
        basis=basis, orders=orders, repayment=repayment, warnings=findings.warnings,
        ambiguities=findings.ambiguities, references=findings.references,
        explanation=" ".join([*findings.lines, text]),
    )  # fmt: skip


def _orders(
    rules: law.LawSnapshot, framework: AdvanceFramework, rate: Decimal, findings: Findings
) -> list[AdvanceOrderResult]:
    if framework.minimum_ht is not None:
        findings.flag_ambiguity(
            f"Minimum de {format_euros(framework.minimum_ht)} HT, qui ne dépasse pas 50 000 € : "
            "R2191-17 ne s'applique pas et R2191-16 ne vise que l'accord-cadre « sans minimum » ; "
            "OpenAMO applique la règle par bon de commande, lecture la plus favorable au titulaire.",
            "CCP R2191-16",
            "CCP R2191-17",
        )
    if not framework.orders:
        findings.warn(
            "Aucun bon de commande indiqué : l'avance se calcule sur chaque bon de plus de "
            "50 000 € HT et de plus de deux mois, au fur et à mesure de leur émission."
        )
    results = []
    for order in framework.orders:
        due = _due(rules, order.amount_ht, order.duration_months)
        base = to_cents(_base(rules, order.amount_ttc, order.duration_months))
        results.append(AdvanceOrderResult(
            reference=order.reference, amount_ht=order.amount_ht, mandatory=due,
            base_ttc=base if due else Decimal(0),
            minimum_amount_ttc=to_cents(base * rate) if due else Decimal(0),
        ))  # fmt: skip
    return results


def _check_cap(rules: law.LawSnapshot, contractual: Decimal, findings: Findings) -> None:
    cap, reference = _optional(rules, "payment.advance.plafond")
    if cap is not None and reference is not None and contractual > cap:
        findings.warn(
            f"Avance de {fr(contractual * 100)} % au-delà du plafond de {fr(cap * 100)} % en "
            "vigueur pour cette consultation (plafond supprimé pour les consultations engagées "
            "depuis le 18/10/2020).",
            reference,
        )


def _repayment(rules: law.LawSnapshot, rate: Decimal, findings: Findings) -> Repayment:
    start = _fraction(rules, "payment.advance.remboursement_debut")
    findings.cite(rules.reference("payment.advance.remboursement_debut"))
    first_payment_above, first_ref = _optional(
        rules, "payment.advance.remboursement_seuil_premiere_demande"
    )
    end, end_ref = _optional(rules, "payment.advance.remboursement_fin")
    first_payment = first_payment_above is not None and rate > first_payment_above
    if first_payment:
        assert first_payment_above is not None and first_ref is not None
        findings.cite(first_ref)
        start_text = (
            f"avance de {fr(rate * 100)} %, supérieure à {fr(first_payment_above * 100, 0)} % : "
            "remboursement dès la première demande de paiement"
        )
    else:
        start_text = (
            f"remboursement par précompte à partir du moment où les prestations exécutées "
            f"atteignent {fr(start * 100, 0)} % du montant TTC"
        )
    if end is not None and rate < end:
        findings.cite(end_ref or "")
        end_text = f"terminé lorsqu'elles atteignent {fr(end * 100, 0)} %"
        end_percent: Decimal | None = end * 100
    elif end is not None:
        end_text = "terminé lorsque les prestations exécutées atteignent le montant de l'avance"
        end_percent = rate * 100
    else:
        end_percent = None
        end_text = (
            "échelonné selon le montant de l'avance et les sommes restant dues, sans seuil de fin "
            "de 80 % (supprimé pour les consultations engagées depuis le 01/01/2025), au plus tard "
            "sur le solde"
        )
        findings.flag_ambiguity(
            "Remboursement de l'avance pour une consultation engagée depuis le 01/01/2025 : la "
            "suppression de la borne de 80 % (décret n° 2024-1251) est relevée sur des sources "
            "secondaires concordantes, la rédaction actuelle de R2191-12 n'a pas été relue ; "
            "prévoyez le rythme de remboursement dans le CCAP.",
            "CCP R2191-11",
            "CCP R2191-12",
        )
    own = "payment.advance.remboursement_prestations_propres"
    own_text = ""
    if rules.value(own) is True:
        findings.cite(rules.reference(own))
        own_text = (
            " L'avancement se mesure sur les seules prestations exécutées par le titulaire "
            "lui-même (R2191-11 modifié par le décret n° 2025-1383)."
        )
    return Repayment(
        starts_at_percent=None if first_payment else start * 100,
        starts_with_first_payment=first_payment,
        ends_at_percent=end_percent,
        explanation=f"Dans le silence du marché : {start_text}, {end_text} (R2191-11, R2191-12)."
        + own_text,
    )


def advance_from_dict(data: Any) -> AdvanceResult:
    return advance(parse_input(AdvanceInput, data))


def retention(data: RetentionInput) -> RetentionResult:
    rules = law.at(data.consultation_date)
    findings = Findings()
    cap = _fraction(rules, "payment.retention.plafond")
    findings.cite(rules.reference("payment.retention.plafond"))
    large = _is_large_buyer(
        rules, data.buyer, data.large_buyer, data.operating_expenses_ht, findings
    )
    if data.sme:
        sme_cap, reference = _sme_rate(
            rules, data.buyer, large,
            "payment.retention.plafond_pme_etat",
            "payment.retention.plafond_pme_grands_acheteurs",
        )  # fmt: skip
        if sme_cap is not None and reference is not None:
            cap = min(cap, sme_cap)
            findings.cite(reference)
    base = data.initial_amount_ht + data.modifications_amount_ht
    cap_amount = to_cents(base * cap)
    requested = to_cents(base * data.rate_percent / 100)
    allowed = data.rate_percent / 100 <= cap
    if not allowed:
        findings.warn(
            f"Retenue de {fr(data.rate_percent)} % supérieure au plafond de {fr(cap * 100)} % "
            "(R2191-33) : ramenez-la au plafond."
        )
    text = (
        f"Retenue de garantie plafonnée à {fr(cap * 100)} % du montant initial augmenté des "
        f"modifications ({format_euros(base)} HT), soit {format_euros(cap_amount)} HT ; taux prévu "
        f"{fr(data.rate_percent)} % : {'conforme' if allowed else 'trop élevé'} (R2191-33)."
    )
    substitute_allowed = _substitute(data, findings)
    release, substitute_release = _release(rules, data, findings)
    return RetentionResult(
        allowed=allowed, cap_percent=cap * 100, cap_amount_ht=cap_amount,
        retention_ht=min(requested, cap_amount), large_buyer=large, substitute=data.substitute,
        substitute_allowed=substitute_allowed, release_on=release,
        substitute_release_on=substitute_release, warnings=findings.warnings,
        ambiguities=findings.ambiguities, references=findings.references, explanation=" ".join([*findings.lines[:1], text,
                                                              *findings.lines[1:]]),
    )  # fmt: skip


def _substitute(data: RetentionInput, findings: Findings) -> bool | None:
    """R2191-36 to R2191-38: a first-demand guarantee at the holder's choice, a personal surety
    unless the buyer opposes it; same amount and object, set up by the first payment request."""
    if data.substitute is None:
        return None
    allowed = (
        data.substitute is RetentionSubstitute.GARANTIE_PREMIERE_DEMANDE
        or not data.buyer_opposes_caution
    )
    if allowed:
        findings.explain(
            f"La retenue peut être remplacée par une {data.substitute.label} "
            + (
                "au seul choix du titulaire"
                if data.substitute is RetentionSubstitute.GARANTIE_PREMIERE_DEMANDE
                else "dès lors que l'acheteur ne s'y oppose pas"
            )
            + ", pour un montant au plus égal et un objet identique ; elle est constituée au plus "
            "tard à la date de la première demande de paiement, faute de quoi la retenue est "
            "prélevée sur l'acompte (R2191-36 à R2191-38).",
            "CCP R2191-36 à R2191-38",
        )
        return True
    findings.warn(
        "L'acheteur s'oppose à la caution personnelle et solidaire : elle ne peut remplacer la "
        "retenue ; le titulaire peut toujours proposer une garantie à première demande (R2191-36).",
        "CCP R2191-36 à R2191-38",
    )
    return False


def _release(
    rules: law.LawSnapshot, data: RetentionInput, findings: Findings
) -> tuple[dt.date | None, dt.date | None]:
    """The retention's refund (R2191-35, 30 days) and its substitute's release (R2191-42, one
    month), both from the end of the guarantee period or the lifting of the reserves."""
    if data.guarantee_period_ends_on is None:
        return None, None
    days = int(rules.value("payment.retention.remboursement_delai"))
    reference = rules.reference("payment.retention.remboursement_delai")
    start = data.guarantee_period_ends_on
    if data.reserves_lifted_on is not None and data.reserves_lifted_on > start:
        start = data.reserves_lifted_on
        what = f"la levée des réserves le {start:%d/%m/%Y}"
    else:
        what = f"l'expiration du délai de garantie le {start:%d/%m/%Y}"
    release = start + dt.timedelta(days=days)
    findings.explain(
        f"Remboursement de la retenue au plus tard {days} jours après {what}, soit le "
        f"{release:%d/%m/%Y} (R2191-35).",
        reference,
    )
    if data.substitute is None:
        return release, None
    path = "payment.retention.liberation_garantie_delai"
    months = int(rules.value(path))
    freed = add_months(start, months)
    findings.explain(
        f"La {data.substitute.label} qui remplace la retenue libère son garant {months} mois au "
        f"plus tard après {what}, soit le {freed:%d/%m/%Y} (R2191-42) — un mois, et non les "
        f"{days} jours du remboursement de la retenue.",
        rules.reference(path),
    )
    return release, freed


def retention_from_dict(data: Any) -> RetentionResult:
    return retention(parse_input(RetentionInput, data))
