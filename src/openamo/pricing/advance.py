"""Advance (avance) and retention money (retenue de garantie): when due, minimum and maximum rates.

R2191-3: the advance is due when the initial amount exceeds 50 000 € HT and the execution period
two months; R2191-7: at least 5 % of the initial amount TTC (of 12 × amount / duration beyond
twelve months), more for SMEs with the State (30 % since 2023) and large buyers (10 %).
R2191-33: retention at most 5 %, 3 % for an SME with the State and, since 2025, large buyers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openamo import law
from openamo.errors import LawDataError
from openamo.money import format_euros, to_cents
from openamo.pricing._decimals import fr
from openamo.pricing.enums import AdvanceBuyer
from openamo.pricing.execution_models import (
    AdvanceInput,
    AdvanceResult,
    RetentionInput,
    RetentionResult,
)
from openamo.validation import parse_input


def _fraction(rules: law.LawSnapshot, path: str) -> Decimal:
    return Decimal(str(rules.value(path)))


def _sme_rate(
    rules: law.LawSnapshot, buyer: AdvanceBuyer, large: bool, state: str, others: str
) -> tuple[Decimal | None, str | None]:
    """The SME-specific figure for this buyer, or None when the general rule applies."""
    path = state if buyer is AdvanceBuyer.ETAT else None
    if (
        path is None
        and large
        and buyer in {AdvanceBuyer.COLLECTIVITE, AdvanceBuyer.ETABLISSEMENT_PUBLIC_ETAT}
    ):
        path = others
    if path is None:
        return None, None
    try:
        return _fraction(rules, path), rules.reference(path)
    except LawDataError:
        return None, None


def advance(data: AdvanceInput) -> AdvanceResult:
    rules = law.at(data.consultation_date)
    threshold = _fraction(rules, "payment.advance.seuil_montant")
    min_months = int(rules.value("payment.advance.seuil_duree"))
    mandatory = data.initial_amount_ht > threshold and data.duration_months > min_months
    rate = _fraction(rules, "payment.advance.taux_minimum")
    references = [
        rules.reference("payment.advance.seuil_montant"),
        rules.reference("payment.advance.taux_minimum"),
    ]
    if data.sme:
        sme_rate, reference = _sme_rate(
            rules, data.buyer, data.large_buyer,
            "payment.advance.taux_minimum_pme_etat",
            "payment.advance.taux_minimum_pme_grands_acheteurs",
        )  # fmt: skip
        if sme_rate is not None and reference is not None:
            rate, references = max(rate, sme_rate), [*references, reference]
    reference_months = int(rules.value("payment.advance.duree_reference"))
    base = data.initial_amount_ttc
    if data.duration_months > reference_months:
        base = data.initial_amount_ttc * reference_months / data.duration_months
    minimum = to_cents(base * rate)
    warnings = []
    contractual = None
    if data.contractual_rate_percent is not None:
        contractual = to_cents(base * data.contractual_rate_percent / 100)
        if data.contractual_rate_percent / 100 < rate:
            warnings.append(
                f"Le taux contractuel de {fr(data.contractual_rate_percent)} % est inférieur au "
                f"minimum réglementaire de {fr(rate * 100)} % (R2191-7)."
            )
    text = (
        f"Avance {'due (sauf refus du titulaire)' if mandatory else 'non obligatoire'} : montant "
        f"initial de {format_euros(data.initial_amount_ht)} HT "
        f"{'>' if data.initial_amount_ht > threshold else '≤'} {format_euros(threshold)} et durée "
        f"de {data.duration_months} mois (R2191-3). Taux minimal {fr(rate * 100)} % de "
        f"{format_euros(to_cents(base))} TTC, soit {format_euros(minimum)} TTC (R2191-7)."
    )
    return AdvanceResult(
        mandatory=mandatory, minimum_rate_percent=rate * 100, base_ttc=base,
        minimum_amount_ttc=minimum, contractual_amount_ttc=contractual,
        warnings=warnings, references=references, explanation=text,
    )  # fmt: skip


def advance_from_dict(data: Any) -> AdvanceResult:
    return advance(parse_input(AdvanceInput, data))


def retention(data: RetentionInput) -> RetentionResult:
    rules = law.at(data.consultation_date)
    cap = _fraction(rules, "payment.retention.plafond")
    references = [rules.reference("payment.retention.plafond")]
    if data.sme:
        sme_cap, reference = _sme_rate(
            rules, data.buyer, data.large_buyer,
            "payment.retention.plafond_pme_etat",
            "payment.retention.plafond_pme_grands_acheteurs",
        )  # fmt: skip
        if sme_cap is not None and reference is not None:
            cap, references = min(cap, sme_cap), [*references, reference]
    base = data.initial_amount_ht + data.modifications_amount_ht
    cap_amount = to_cents(base * cap)
    requested = to_cents(base * data.rate_percent / 100)
    allowed = data.rate_percent / 100 <= cap
    warnings = []
    if not allowed:
        warnings.append(
            f"Retenue de {fr(data.rate_percent)} % supérieure au plafond de {fr(cap * 100)} % "
            "(R2191-33) : ramenez-la au plafond."
        )
    text = (
        f"Retenue de garantie plafonnée à {fr(cap * 100)} % du montant initial augmenté des "
        f"modifications ({format_euros(base)} HT), soit {format_euros(cap_amount)} HT ; taux prévu "
        f"{fr(data.rate_percent)} % : {'conforme' if allowed else 'trop élevé'} (R2191-33)."
    )
    return RetentionResult(
        allowed=allowed, cap_percent=cap * 100, cap_amount_ht=cap_amount,
        retention_ht=min(requested, cap_amount), warnings=warnings, references=references,
        explanation=text,
    )  # fmt: skip


def retention_from_dict(data: Any) -> RetentionResult:
    return retention(parse_input(RetentionInput, data))
