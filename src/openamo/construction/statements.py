"""Monthly payments on account of a works contract (CCAG-Travaux 2021, art. 12.2; CCP R2191-32
ff. and R2192-10 ff.).

Before the end of each month the holder sends the maître d'œuvre a projet de décompte mensuel:
the cumulative value of the works done since the start, at the contract's initial prices. The
maître d'œuvre accepts or corrects it and draws up the état d'acompte; the month's payment is
the accepted cumulative value less the previous one, revised by the price variation coefficient
(``openamo.pricing``), plus VAT, less the retenue de garantie unless the holder gave a first-
demand guarantee or a surety instead, less the repayment of the advance (précompte, R2191-11
and R2191-12: from 65 % of the works done, over by 80 % for consultations launched before 2025,
unless the contract sets its own rhythm). The payment deadline (30 days for the State and local
authorities) runs from the receipt of the request by the maître d'œuvre; beyond it, late-payment
interest is due as of right (``openamo.pricing.late_payment``). When two successive payments
stay unpaid, the holder may, 30 days after sending the second request, give 30 days' notice that
it will stop the works (CCAG-Travaux 2021, art. 53.2).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from openamo import law
from openamo.construction import _calendar as cal
from openamo.construction._law import days, rules
from openamo.construction.models import StatementRow, StatementsInput, StatementsResult
from openamo.errors import LawDataError
from openamo.money import format_euros, to_cents
from openamo.pricing import late_payment
from openamo.pricing._decimals import fr
from openamo.pricing.advance import retention
from openamo.pricing.enums import AdvanceBuyer, PaymentBuyer
from openamo.pricing.execution_models import RetentionInput
from openamo.pricing.models import PaymentInput
from openamo.validation import parse_input
from openamo.wording import count

MONTHLY = (
    "CCAG-Travaux 2021, art. 12.2 (projet de décompte mensuel remis au maître d'œuvre, qui "
    "l'accepte ou le rectifie et établit l'état d'acompte)"
)
RETENTION = (
    "CCP R2191-32 à R2191-35 (retenue de garantie : objet, plafond sur le montant initial "
    "augmenté des modifications, libération)"
)
ADVANCE_START = "payment.advance.remboursement_debut"
ADVANCE_FIRST_PAYMENT = "payment.advance.remboursement_seuil_premiere_demande"
ADVANCE_END = "payment.advance.remboursement_fin"
SUBSTITUTE = (
    "CCP R2191-36 (retenue remplacée, au gré du titulaire, par une garantie à première demande "
    "ou, si l'acheteur ne s'y oppose pas, par une caution personnelle et solidaire)"
)
STOP_WAIT = "construction.ccag_travaux.interruption_retard_paiement_delai"
STOP_NOTICE = "construction.ccag_travaux.interruption_retard_paiement_preavis"
STOP_INTEREST = "construction.ccag_travaux.interruption_retard_paiement_majoration_interets"
ADVANCE_BUYER = {
    PaymentBuyer.ETAT: AdvanceBuyer.ETAT,
    PaymentBuyer.SERVICE_SANTE_ARMEES: AdvanceBuyer.ETAT,
    PaymentBuyer.COLLECTIVITE: AdvanceBuyer.COLLECTIVITE,
}


def monthly_statements(data: StatementsInput) -> StatementsResult:
    snapshot = rules(data.consultation_date, "Acomptes mensuels")
    base_ht = data.initial_amount_ht + data.modifications_ht
    vat = data.vat_rate_percent / 100
    warnings: list[str] = []
    ambiguities = [
        "La retenue est calculée ici sur le montant TTC de chaque acompte (usage courant : « "
        "prélevée sur chacun des versements »), plafonnée au même taux du montant du marché TTC."
    ]
    references = [MONTHLY]
    cap_ttc = Decimal(0)
    rate = Decimal(0)
    substitute_on = data.retention_substitute_on
    if data.retention_substitute or substitute_on:
        references.append(SUBSTITUTE)
    if not data.retention_substitute and data.retention_rate_percent:
        check = retention(RetentionInput(
            consultation_date=data.consultation_date,
            buyer=ADVANCE_BUYER.get(data.buyer, AdvanceBuyer.AUTRE), sme=data.sme,
            initial_amount_ht=data.initial_amount_ht,
            modifications_amount_ht=data.modifications_ht,
            rate_percent=data.retention_rate_percent,
        ))  # fmt: skip
        references += [*check.references, RETENTION]
        warnings += check.warnings
        rate = min(data.retention_rate_percent, check.cap_percent) / 100
        cap_ttc = to_cents(check.cap_amount_ht * (1 + vat))
    schedule = _advance_schedule(data, snapshot, vat, warnings, references, ambiguities)
    rows: list[StatementRow] = []
    previous = Decimal(0)
    retained = Decimal(0)
    repaid = Decimal(0)
    for entry in sorted(data.statements, key=lambda s: s.number):
        accepted = entry.accepted_cumulative_ht
        cumulative = accepted if accepted is not None else entry.claimed_cumulative_ht
        if cumulative < previous:
            warnings.append(
                f"Acompte n° {entry.number} : le cumul ({format_euros(cumulative)} HT) est "
                f"inférieur au précédent ({format_euros(previous)} HT) : l'acompte est négatif, "
                "le trop-perçu se déduit des acomptes suivants."
            )
        if accepted is not None and accepted != entry.claimed_cumulative_ht:
            warnings.append(
                f"Acompte n° {entry.number} : le maître d'œuvre a rectifié le projet du titulaire "
                f"({format_euros(entry.claimed_cumulative_ht)} → {format_euros(accepted)} HT) ; "
                "il notifie l'état d'acompte rectifié au titulaire, qui peut le contester."
            )
        month_ht = cumulative - previous
        coefficient = data.revision_coefficient or Decimal(1)
        revision_ht = to_cents(month_ht * (coefficient - 1))
        month_ttc = to_cents((month_ht + revision_ht) * (1 + vat))
        covered = substitute_on is not None and entry.received_by_moe_on >= substitute_on
        hold = to_cents(month_ttc * rate) if month_ttc > 0 and not covered else Decimal(0)
        if substitute_on is not None and not covered and hold:
            warnings.append(
                f"Acompte n° {entry.number} : la garantie qui remplace la retenue n'a été "
                f"constituée que le {substitute_on:%d/%m/%Y}, après la demande de paiement ; la "
                "retenue est prélevée sur cet acompte (R2191-36)."
            )
        hold = max(Decimal(0), min(hold, cap_ttc - retained))
        retained += hold
        owed = _repaid_at(schedule, cumulative / base_ht if base_ht else Decimal(0))
        repayment = max(Decimal(0), owed - repaid)
        repaid += repayment
        payable = month_ttc - hold - repayment
        row, payment_references = _row(
            data, entry, accepted, month_ht, revision_ht, month_ttc, hold, repayment, payable
        )
        references += payment_references
        rows.append(row)
        previous = cumulative
    if previous > base_ht:
        warnings.append(
            f"Travaux exécutés ({format_euros(previous)} HT) au-delà du montant du marché et de "
            f"ses modifications ({format_euros(base_ht)} HT) : une modification du marché "
            "(avenant) est nécessaire avant de payer ce dépassement ; vérifiez-la avec "
            "« amo avenant check »."
        )
    _unpaid_twice(data, snapshot, rows, warnings, references)
    progress = (previous / base_ht * 100).quantize(Decimal("0.1")) if base_ht else Decimal(0)
    return StatementsResult(
        consultation_date=data.consultation_date, contract_amount_ht=base_ht,
        cumulative_ht=previous, progress_percent=progress, retention_total_ttc=retained,
        retention_cap_ttc=cap_ttc, advance_ttc=data.advance_ttc or Decimal(0),
        advance_repaid_ttc=repaid, statements=rows,
        buyer_choices=[
            "Le taux de la retenue de garantie (au plus le plafond réglementaire), ou aucune "
            "retenue ; le titulaire peut la remplacer par une garantie à première demande",
            "Le modèle de projet de décompte mensuel que le titulaire doit suivre",
            "Un délai de paiement plus court que le maximum légal, écrit dans le marché",
            "Le rythme de remboursement de l'avance (début et fin, en part des travaux "
            "exécutés), à défaut celui du code",
        ],
        warnings=warnings,
        ambiguities=ambiguities,
        references=list(dict.fromkeys(references)),
        explanation=_explain(data, rows, previous, base_ht, progress, retained, repaid),
    )  # fmt: skip


def _unpaid_twice(
    data: StatementsInput,
    snapshot: law.LawSnapshot,
    rows: list[StatementRow],
    warnings: list[str],
    references: list[str],
) -> None:
    """Two successive payments on account left unpaid open the holder's right to stop the
    works (CCAG-Travaux 2021, art. 53.2.1 to 53.2.3)."""
    if data.as_of is None:
        return
    for first, second in pairwise(rows):
        if first.paid_on or second.paid_on or first.payable_ttc <= 0 or second.payable_ttc <= 0:
            continue
        opens = cal.add_days(second.received_by_moe_on, days(snapshot, STOP_WAIT))
        if data.as_of <= opens:
            continue
        notice = days(snapshot, STOP_NOTICE)
        surcharge = Decimal(str(snapshot.value(STOP_INTEREST))) * 100
        warnings.append(
            f"Acomptes n° {first.number} et {second.number} impayés : depuis le "
            f"{cal.fr_date(opens)}, le titulaire peut notifier au maître d'ouvrage son intention "
            f"d'interrompre les travaux au terme d'un délai de {count(notice, 'jour')} ; sans "
            "décision ordonnant leur poursuite dans ce délai, il peut les interrompre et le délai "
            "d'exécution est prolongé d'autant (art. 53.2.1 et 53.2.3). Si la poursuite est "
            f"ordonnée, les intérêts moratoires des acomptes sont majorés de {fr(surcharge, 0)} % "
            "(art. 53.2.2)."
        )
        references += [snapshot.reference(path) for path in (STOP_WAIT, STOP_NOTICE, STOP_INTEREST)]
        return


def _optional(snapshot: law.LawSnapshot, path: str) -> Decimal | None:
    try:
        return Decimal(str(snapshot.value(path)))
    except LawDataError:
        return None


def _advance_schedule(
    data: StatementsInput,
    snapshot: law.LawSnapshot,
    vat: Decimal,
    warnings: list[str],
    references: list[str],
    ambiguities: list[str],
) -> tuple[Decimal, Decimal, Decimal] | None:
    """(advance TTC, start, end) as shares of the works done, or None without an advance.

    In the silence of the contract the précompte starts at 65 % of the works done (from the
    first payment when the advance exceeds 30 %) and is over at 80 % (consultations launched
    before 2025); since 2025 the code sets no end: spread to the last payment on account."""
    if not data.advance_ttc:
        return None
    contract_ttc = to_cents((data.initial_amount_ht + data.modifications_ht) * (1 + vat))
    rate = data.advance_ttc / contract_ttc if contract_ttc else Decimal(0)
    first = _optional(snapshot, ADVANCE_FIRST_PAYMENT)
    start = _optional(snapshot, ADVANCE_START) or Decimal(0)
    references.append(snapshot.reference(ADVANCE_START))
    if first is not None and rate > first:
        start = Decimal(0)
        references.append(snapshot.reference(ADVANCE_FIRST_PAYMENT))
    end = _optional(snapshot, ADVANCE_END)
    if end is not None:
        references.append(snapshot.reference(ADVANCE_END))
    if data.advance_repayment_start_percent is not None:
        start = data.advance_repayment_start_percent / 100
    if data.advance_repayment_end_percent is not None:
        end = data.advance_repayment_end_percent / 100
    elif end is None:
        end = Decimal(1)
        ambiguities.append(
            "Remboursement de l'avance : depuis 2025 le code ne fixe plus d'avancement auquel il "
            "doit être terminé ; sans rythme écrit dans le marché, OpenAMO l'étale jusqu'à "
            "l'achèvement des travaux (au plus tard sur le solde)."
        )
    if end <= start:
        end = min(Decimal(1), start + Decimal("0.01"))
    if rate > 1:
        warnings.append(
            f"Avance de {format_euros(data.advance_ttc)} TTC supérieure au montant du marché "
            f"({format_euros(contract_ttc)} TTC) : vérifiez son montant."
        )
    return data.advance_ttc, start, end


def _repaid_at(schedule: tuple[Decimal, Decimal, Decimal] | None, progress: Decimal) -> Decimal:
    """The share of the advance repaid once ``progress`` of the works is done (linear)."""
    if schedule is None:
        return Decimal(0)
    amount, start, end = schedule
    share = min(Decimal(1), max(Decimal(0), (progress - start) / (end - start)))
    return to_cents(amount * share)


def monthly_statements_from_dict(data: Any) -> StatementsResult:
    return monthly_statements(parse_input(StatementsInput, data))


def _payment(
    data: StatementsInput, received: date, paid: date | None, amount: Decimal
) -> PaymentInput:
    return PaymentInput(
        buyer=data.buyer, invoice_received_on=received, paid_on=paid,
        amount_ttc=max(amount, Decimal(0)), contractual_days=data.contractual_days,
        as_of=data.as_of,
    )  # fmt: skip


def _row(
    data: StatementsInput,
    entry: Any,
    accepted: Decimal | None,
    month_ht: Decimal,
    revision_ht: Decimal,
    month_ttc: Decimal,
    hold: Decimal,
    repayment: Decimal,
    payable: Decimal,
) -> tuple[StatementRow, list[str]]:
    payment = late_payment(_payment(data, entry.received_by_moe_on, entry.paid_on, payable))
    if accepted is None:
        state = "a_verifier"
    elif entry.paid_on is not None:
        state = "payee_en_retard" if payment.late else "payee"
    elif payment.late:
        state = "en_retard"
    else:
        state = "a_payer"
    return StatementRow(
        number=entry.number, month=entry.month, received_by_moe_on=entry.received_by_moe_on,
        claimed_cumulative_ht=entry.claimed_cumulative_ht, accepted_cumulative_ht=accepted,
        month_ht=month_ht, revision_ht=revision_ht, month_ttc=month_ttc, retention_ttc=hold,
        advance_repayment_ttc=repayment, payable_ttc=payable, payment_due_on=payment.due_on, paid_on=entry.paid_on,
        days_late=payment.days_late, interest=payment.interest, status=state,
    ), payment.references  # fmt: skip


def _explain(
    data: StatementsInput,
    rows: list[StatementRow],
    cumulative: Decimal,
    base: Decimal,
    progress: Decimal,
    retained: Decimal,
    repaid: Decimal,
) -> str:
    lines = [
        f"{count(len(rows), 'acompte')} : travaux acceptés {format_euros(cumulative)} HT sur "
        f"{format_euros(base)} HT, soit {fr(progress, 1)} % du marché."
    ]
    if data.retention_substitute or (data.retention_substitute_on and not retained):
        lines.append(
            "Pas de retenue de garantie : le titulaire l'a remplacée par une garantie à première "
            "demande ou une caution personnelle et solidaire (R2191-36)."
        )
    elif retained:
        lines.append(f"Retenue de garantie prélevée : {format_euros(retained)} TTC.")
    if data.advance_ttc:
        lines.append(
            f"Avance de {format_euros(data.advance_ttc)} TTC : {format_euros(repaid)} TTC déjà "
            "remboursés par précompte sur les acomptes (R2191-11)."
        )
    for row in rows:
        if row.payment_due_on and row.status in {"a_payer", "en_retard"}:
            lines.append(
                f"Acompte n° {row.number} : {format_euros(row.payable_ttc)} TTC à payer au plus "
                f"tard le {row.payment_due_on:%d/%m/%Y} (délai courant de la réception de la "
                "demande par le maître d'œuvre)."
            )
    return "\n".join(lines)
