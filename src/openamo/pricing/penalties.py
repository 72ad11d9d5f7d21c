"""Late-delivery penalties computed from the contract's clause (CCAG 2021 defaults in law data).

Clauses: ``ccag_travaux`` (contract amount HT × days / 3000), ``ccag_fcs`` and ``ccag_tic``
(V × R / 1000), ``ccag_pi``, ``ccag_mi``, ``ccag_moe`` (V × R / 3000), ``forfait_journalier``
(a fixed amount per day) and ``taux_journalier`` (a percentage of V per day). CCAG clauses exempt
totals up to 1 000 € HT and cap penalties at 10 % of the contract amount, unless the CCAP says
otherwise (``exemption_ht``, ``cap_percent``). Every calendar day counts (CCAG-Travaux 19.1.1).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openamo import law
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.money import format_euros, to_cents
from openamo.pricing._decimals import fr
from openamo.pricing.enums import PenaltyClause
from openamo.pricing.execution_models import PenaltyInput, PenaltyResult
from openamo.validation import parse_input
from openamo.wording import count

_DIVISORS = {
    PenaltyClause.CCAG_TRAVAUX: "pricing.penalties.diviseur_travaux",
    PenaltyClause.CCAG_FCS: "pricing.penalties.diviseur_fcs_tic",
    PenaltyClause.CCAG_TIC: "pricing.penalties.diviseur_fcs_tic",
    PenaltyClause.CCAG_PI: "pricing.penalties.diviseur_pi_mi_moe",
    PenaltyClause.CCAG_MI: "pricing.penalties.diviseur_pi_mi_moe",
    PenaltyClause.CCAG_MOE: "pricing.penalties.diviseur_pi_mi_moe",
}


_CCAG_CLAUSES = {
    "CCAG-Travaux": PenaltyClause.CCAG_TRAVAUX,
    "CCAG-FCS": PenaltyClause.CCAG_FCS,
    "CCAG-TIC": PenaltyClause.CCAG_TIC,
    "CCAG-PI": PenaltyClause.CCAG_PI,
    "CCAG-MI": PenaltyClause.CCAG_MI,
    "CCAG-MOE": PenaltyClause.CCAG_MOE,
}


def ccag_clause(ccag: str) -> PenaltyClause | None:
    """The penalty clause of the CCAG a consultation file names by its first word
    (« CCAG-FCS (arrêté du 30 mars 2021) » → ``ccag_fcs``); None for no or another CCAG."""
    return _CCAG_CLAUSES.get(ccag.split(" ")[0]) if ccag else None


def _raw(data: PenaltyInput, days: int, rules: law.LawSnapshot) -> tuple[Decimal, str, list[str]]:
    value = data.late_value_ht if data.late_value_ht is not None else data.contract_amount_ht
    if data.clause in _DIVISORS:
        path = _DIVISORS[data.clause]
        divisor = int(rules.value(path))
        base = data.contract_amount_ht if data.clause is PenaltyClause.CCAG_TRAVAUX else value
        return (
            base * days / divisor,
            f"{format_euros(base)} × {days} / {divisor}",
            [rules.reference(path)],
        )
    if data.clause is PenaltyClause.FORFAIT_JOURNALIER:
        if data.daily_amount_ht is None:
            raise OpenAMOError(
                "Pénalité au forfait journalier : indiquez le forfait journalier du CCAP.",
                details=[ErrorDetail("daily_amount_ht", "champ obligatoire pour cette clause")],
            )
        return data.daily_amount_ht * days, f"{format_euros(data.daily_amount_ht)} × {days}", []
    if data.daily_rate_percent is None:
        raise OpenAMOError(
            "Pénalité au taux journalier : indiquez le taux journalier du CCAP.",
            details=[ErrorDetail("daily_rate_percent", "champ obligatoire pour cette clause")],
        )
    formula = f"{format_euros(value)} × {fr(data.daily_rate_percent, None)} % × {days}"
    return value * data.daily_rate_percent / 100 * days, formula, []


def penalty(data: PenaltyInput) -> PenaltyResult:
    days = max((data.delivered_on - data.due_on).days, 0)
    rules = law.at(data.due_on)
    raw, formula, references = _raw(data, days, rules)
    computed = to_cents(raw)
    is_ccag = data.clause in _DIVISORS
    exemption = data.exemption_ht
    cap_percent = data.cap_percent
    if is_ccag:
        if exemption is None:
            exemption = Decimal(str(rules.value("pricing.penalties.exoneration")))
            references.append(rules.reference("pricing.penalties.exoneration"))
        if cap_percent is None:
            cap_percent = Decimal(str(rules.value("pricing.penalties.plafond"))) * 100
            references.append(rules.reference("pricing.penalties.plafond"))
    # The CCAG exemption and cap apply to the total of the contract's penalties.
    total = data.previous_penalties_ht + computed
    exempted = exemption is not None and computed > 0 and total <= exemption
    amount = Decimal(0) if exempted else computed
    capped = False
    if cap_percent is not None:
        room = max(
            to_cents(data.contract_amount_ht * cap_percent / 100) - data.previous_penalties_ht,
            Decimal(0),
        )
        capped, amount = amount > room, min(amount, room)
    warnings = [
        "Avant d'appliquer des pénalités, invitez le titulaire à présenter ses observations "
        "(procédure contradictoire des CCAG 2021, sauf dérogation du CCAP)."
    ] if amount else []  # fmt: skip
    text = (
        f"{count(days, 'jour')} de retard (du {data.due_on:%d/%m/%Y} au {data.delivered_on:%d/%m/%Y}) : "
        f"{formula} = {format_euros(computed)} HT"
    )
    if exempted:
        text += f", exonéré car inférieur ou égal à {format_euros(exemption or Decimal(0))} HT"
    if capped:
        text += f", ramené au plafond de {fr(cap_percent or Decimal(0), None)} % du marché"
    text += f". Pénalité retenue : {format_euros(amount)} HT (hors champ de la TVA)."
    return PenaltyResult(
        days_late=days, computed_ht=computed, exempted=exempted, capped=capped,
        penalty_ht=amount, formula=formula, warnings=warnings,
        references=references or ["Clause de pénalités du CCAP (stipulation contractuelle)"],
        explanation=text,
    )  # fmt: skip


def penalty_from_dict(data: Any) -> PenaltyResult:
    return penalty(parse_input(PenaltyInput, data))
