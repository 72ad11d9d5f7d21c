"""Payment deadline, interruption, late-payment interest and the recovery indemnity.

Rules (figures in ``law/parameters/payment``): the period runs from the receipt of the payment
request (R2192-12): 30 days for the State and local authorities (R2192-10), 50 for public
hospitals, 60 for public companies (R2192-11). An interruption (R2192-27) opens, once the missing
documents are received, a new period of 30 days or the balance left if longer (R2192-29).
Interest runs from the day after the deadline up to the payment date (L2192-13) at the ECB main
refinancing rate in force on the first day of the half-year in which it started to run, plus 8
points (R2192-31) — one rate for the whole delay, even across two half-years —, per day on the
amount TTC (base 365); plus a flat 40 € indemnity (D2192-35), both payable within 45 days of the
payment of the principal (R2192-36).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from openamo import law
from openamo.errors import LawDataError
from openamo.money import format_euros, to_cents
from openamo.pricing._decimals import fixed, format_decimal, fr
from openamo.pricing.models import Interruption, PaymentInput, PaymentResult
from openamo.validation import parse_input
from openamo.wording import count

LATE_PAYMENT_REFERENCE = (
    "CCP L2192-13 (intérêts moratoires et indemnité forfaitaire dus de plein droit dès le "
    "lendemain de l'expiration du délai)"
)
RATE_TABLE = "payment.late_interest.taux_bce_refinancement"


def semester_start(day: date) -> date:
    """First day of the calendar half-year containing ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def payment_deadline(data: PaymentInput) -> tuple[int, date, bool, list[str], list[str]]:
    """(period in days, due date, interrupted?, warnings, references)."""
    rules = law.at(data.invoice_received_on)
    legal = int(rules.value(data.buyer.deadline_parameter))
    references = [rules.reference(data.buyer.deadline_parameter)]
    warnings: list[str] = []
    days = legal
    if data.contractual_days is not None:
        if data.contractual_days <= legal:
            days = data.contractual_days
        else:
            warnings.append(
                f"Le délai contractuel de {data.contractual_days} jours dépasse le maximum légal de "
                f"{legal} jours : le délai légal s'applique."
            )
    due = data.invoice_received_on + timedelta(days=days)
    stop = data.interruption or data.suspension
    if data.suspension is not None:
        warnings.append(
            "« suspension » est lu comme une interruption : depuis le décret n° 2013-269, le délai "
            "de paiement n'est plus suspendu mais interrompu (nouveau délai, R2192-29)."
        )
    if stop is None:
        return days, due, False, warnings, references
    if stop.notified_on > due:
        warnings.append(
            f"Interruption notifiée le {_d(stop.notified_on)}, après l'expiration du délai "
            f"({_d(due)}) : sans effet sur le retard déjà constitué."
        )
        return days, due, False, warnings, references
    return _interrupted(stop, due, rules, warnings, references)


def _interrupted(
    stop: Interruption,
    due: date,
    rules: law.LawSnapshot,
    warnings: list[str],
    references: list[str],
) -> tuple[int, date, bool, list[str], list[str]]:
    new_period = int(rules.value("payment.deadlines.interruption_nouveau_delai"))
    remaining = (due - stop.notified_on).days
    days = max(new_period, remaining)
    references.append(rules.reference("payment.deadlines.interruption_nouveau_delai"))
    references.append("CCP R2192-27 (interruption unique du délai, pièces manquantes ou erronées)")
    warnings.append(
        "Interruption valable seulement si elle est unique, notifiée avec date certaine et motivée "
        "par des pièces ou mentions manquantes, erronées ou incohérentes (R2192-27, R2192-28)."
    )
    return days, stop.documents_received_on + timedelta(days=days), True, warnings, references


def ecb_rate(
    data: PaymentInput, semester: date
) -> tuple[Decimal | None, str, list[str], list[str]]:
    """ECB rate in percent for the half-year: the user's figure, else the dated table, else
    ``None`` (source ``inconnu``) — an unknown rate is said, never guessed."""
    warnings: list[str] = []
    try:
        known = law.at(semester).get(RATE_TABLE)
    except LawDataError:
        known = None
    if data.ecb_rate_percent is not None:
        if known is not None and known.value is not None:
            table = Decimal(str(known.value)) * 100
            if table != data.ecb_rate_percent:
                warnings.append(
                    f"Le taux BCE saisi ({format_decimal(data.ecb_rate_percent)} %) diffère de celui "
                    f"de la table au {_d(semester)} ({format_decimal(table)} %) : vérifiez."
                )
        return data.ecb_rate_percent, "saisi", warnings, []
    if known is None or known.value is None:
        return None, "inconnu", warnings, [law.parameter(RATE_TABLE).values[-1].reference]
    return Decimal(str(known.value)) * 100, "table", warnings, [known.reference]


def missing_rate_message(semester: date) -> str:
    return (
        f"Taux BCE au {_d(semester)} inconnu d'OpenAMO : les intérêts moratoires ne peuvent pas "
        "encore être chiffrés ; indiquez le taux des opérations principales de refinancement en "
        "vigueur ce jour-là (en %). L'indemnité forfaitaire de 40 € est due quoi qu'il en soit."
    )


def late_payment(data: PaymentInput) -> PaymentResult:
    days, due, interrupted, warnings, references = payment_deadline(data)
    end = data.paid_on or data.as_of
    base = {
        "buyer": data.buyer,
        "invoice_received_on": data.invoice_received_on,
        "payment_period_days": days,
        "interrupted": interrupted,
        "due_on": due,
        "paid_on": data.paid_on,
        "amount_ttc": data.amount_ttc,
    }
    if end is None or end <= due:
        return PaymentResult(
            **base, late=False, days_late=0, interest_start_on=None, semester_start=None,
            ecb_rate_percent=None, ecb_rate_source=None, rate_percent=None,
            interest=Decimal(0), indemnity=Decimal(0), total_due=Decimal(0),
            interest_payable_by=None, rate_known=True, missing_rate=None, warnings=warnings,
            references=[*references, LATE_PAYMENT_REFERENCE],
            explanation=_explain_on_time(data, days, due, end, interrupted),
        )  # fmt: skip
    start = due + timedelta(days=1)
    semester = semester_start(start)
    ecb, source, rate_warnings, rate_references = ecb_rate(data, semester)
    rules = law.at(start)
    majoration = Decimal(str(rules.value("payment.late_interest.majoration"))) * 100
    rate = None if ecb is None else ecb + majoration
    year = int(rules.value("payment.late_interest.base_annuelle"))
    days_late = (end - due).days
    interest = None if rate is None else to_cents(data.amount_ttc * rate / 100 * days_late / year)
    indemnity = to_cents(Decimal(str(rules.value("payment.late_interest.indemnite_forfaitaire"))))
    payable_by = _payable_by(data.paid_on, rules)
    missing = None if ecb is not None else missing_rate_message(semester)
    if missing is not None:
        rate_warnings.append(missing)
    if semester_start(end) != semester:
        rate_warnings.append(
            f"Le retard se poursuit au-delà du semestre commencé le {_d(semester)} : un seul taux "
            "s'applique, celui du semestre au cours duquel les intérêts ont commencé à courir "
            "(R2192-31)."
        )
    if data.paid_on is None:
        rate_warnings.append(
            f"Facture non payée : intérêts arrêtés au {_d(end)} ; ils continuent de courir."
        )
    references += [
        LATE_PAYMENT_REFERENCE,
        rules.reference("payment.late_interest.majoration"),
        *rate_references,
        rules.reference("payment.late_interest.indemnite_forfaitaire"),
    ]
    if payable_by is not None:
        references.append(rules.reference("payment.late_interest.delai_versement"))
    result = PaymentResult(
        **base, late=True, days_late=days_late, interest_start_on=start, semester_start=semester,
        ecb_rate_percent=None if ecb is None else fixed(ecb, 2), ecb_rate_source=source,
        rate_percent=None if rate is None else fixed(rate, 2),
        interest=interest, indemnity=indemnity,
        total_due=indemnity if interest is None else interest + indemnity,
        interest_payable_by=payable_by, rate_known=ecb is not None, missing_rate=missing,
        warnings=warnings + rate_warnings, references=references, explanation="",
    )  # fmt: skip
    return result.model_copy(update={"explanation": _explain_late(data, result, rate, ecb, year)})


def late_payment_from_dict(data: Any) -> PaymentResult:
    return late_payment(parse_input(PaymentInput, data))


def _payable_by(paid_on: date | None, rules: law.LawSnapshot) -> date | None:
    if paid_on is None:
        return None
    try:
        delay = int(rules.value("payment.late_interest.delai_versement"))
    except LawDataError:
        return None
    return paid_on + timedelta(days=delay)


def _deadline_sentence(data: PaymentInput, days: int, due: date, interrupted: bool) -> str:
    text = (
        f"Demande de paiement reçue le {_d(data.invoice_received_on)} par un acheteur de type "
        f"« {data.buyer.label} » : délai de {days} jours"
    )
    if interrupted:
        stop = data.interruption or data.suspension
        assert stop is not None
        text += (
            f" après l'interruption notifiée le {_d(stop.notified_on)} et la réception des pièces "
            f"le {_d(stop.documents_received_on)} (R2192-29)"
        )
    return text + f", échéance le {_d(due)}."


def _explain_on_time(
    data: PaymentInput, days: int, due: date, end: date | None, interrupted: bool
) -> str:
    text = _deadline_sentence(data, days, due, interrupted)
    if end is None:
        return text + " Aucune date de paiement : pas de retard calculé."
    return text + f" Paiement le {_d(end)}, dans le délai : ni intérêts moratoires ni indemnité."


def _explain_late(
    data: PaymentInput,
    result: PaymentResult,
    rate: Decimal | None,
    ecb: Decimal | None,
    year: int,
) -> str:
    assert result.interest_start_on and result.semester_start
    end = data.paid_on or data.as_of
    assert end is not None
    paid = f"Payée le {_d(end)}" if data.paid_on else f"Non payée au {_d(end)}"
    text = _deadline_sentence(data, result.payment_period_days, result.due_on, result.interrupted)
    text += f" {paid} : {count(result.days_late, 'jour')} de retard."
    if rate is None or ecb is None or result.interest is None:
        text += (
            f" Intérêts moratoires dus de plein droit à compter du "
            f"{_d(result.interest_start_on)} au taux BCE en vigueur le "
            f"{_d(result.semester_start)} + 8 points (R2192-31) : ce taux n'est pas encore connu "
            "d'OpenAMO, le montant des intérêts reste à calculer. Indemnité forfaitaire pour frais "
            f"de recouvrement, due en tout état de cause : {format_euros(result.indemnity)} "
            f"(D2192-35). Total dû à ce jour, intérêts non compris : "
            f"{format_euros(result.total_due)}."
        )
    else:
        text += (
            f" Intérêts moratoires de plein droit à "
            f"compter du {_d(result.interest_start_on)} au taux de {fr(rate)} % (taux BCE de "
            f"{fr(ecb)} % au {_d(result.semester_start)} + 8 points, R2192-31) : "
            f"{format_euros(data.amount_ttc)} TTC × {fr(rate)} % × {result.days_late} / {year} = "
            f"{format_euros(result.interest)}. Indemnité forfaitaire pour frais de recouvrement : "
            f"{format_euros(result.indemnity)} (D2192-35). Total dû : "
            f"{format_euros(result.total_due)}."
        )
    if result.interest_payable_by is not None:
        text += f" À verser au plus tard le {_d(result.interest_payable_by)} (R2192-36)."
    return text


@dataclass(frozen=True)
class InvoiceTotals:
    invoiced_ttc: Decimal
    paid_ttc: Decimal
    late_payment_due: Decimal
    """Interest and indemnities owed on the invoices paid or payable late."""


def invoice_totals(invoices: Iterable[tuple[Decimal, bool, PaymentResult | None]]) -> InvoiceTotals:
    """The contract's invoices summed, each given as (amount TTC, paid, its payment result)."""
    invoiced = paid = due = Decimal(0)
    for amount_ttc, is_paid, result in invoices:
        invoiced += amount_ttc
        if is_paid:
            paid += amount_ttc
        if result is not None and result.late:
            due += result.total_due
    return InvoiceTotals(to_cents(invoiced), to_cents(paid), to_cents(due))
