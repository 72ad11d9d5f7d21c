"""The delay penalties of a works contract."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openamo import law
from openamo.money import format_euros, to_cents
from openamo.pricing.enums import PenaltyClause
from openamo.web.contracts import quality
from openamo.web.contracts.models import (
    Contract,
    Penalty,
    PenaltyStatus,
)
from openamo.web.contracts.services.contract import signed_amendments_ht

PENALTY_DIVISOR = "pricing.penalties.diviseur_travaux"


@dataclass
class PenaltySummary:
    """The contract's delay penalties (entered and decided on the contract's page, computed by
    ``openamo.pricing.penalties``) and the CCAG-Travaux rule when the contract keeps it."""

    rows: list[Penalty]
    applied_ht: Decimal
    proposed_ht: Decimal
    clause: str
    daily_ht: Decimal | None
    rule: str
    reference: str


def penalty_summary(contract: Contract) -> PenaltySummary:
    rows = quality.penalties_of(contract)
    rules = law.at(contract.consultation_on or contract.notified_on)
    divisor = Decimal(str(rules.value(PENALTY_DIVISOR)))
    ccag = contract.penalty_clause in {"", PenaltyClause.CCAG_TRAVAUX.value}
    base = contract.initial_amount_ht + signed_amendments_ht(contract)
    daily = to_cents(base / divisor) if ccag else None
    rule = (
        f"Pénalité journalière de 1/{divisor:,.0f} du montant HT du marché avec ses avenants".replace(
            ",", "\u202f"
        )
        + f", soit {format_euros(daily)} HT par jour calendaire de retard sur le délai "
        "d'exécution fixé par ordre de service ; le titulaire présente ses observations avant "
        "qu'elle soit appliquée."
        if daily is not None
        else "Le marché fixe sa propre clause de pénalités de retard (voir la page du marché)."
    )
    return PenaltySummary(
        rows=rows,
        applied_ht=sum(
            (p.penalty_ht for p in rows if p.status == PenaltyStatus.VALIDEE), Decimal(0)
        ),
        proposed_ht=sum(
            (p.penalty_ht for p in rows if p.status == PenaltyStatus.PROPOSEE), Decimal(0)
        ),
        clause=contract.get_penalty_clause_display() or "CCAG-Travaux (par défaut)",
        daily_ht=daily,
        rule=rule,
        reference=rules.reference(PENALTY_DIVISOR)
        + " ; CCAG-Travaux 2021, art. 19.1.1 (jours calendaires) et 19.2.4 (procédure contradictoire)",
    )
