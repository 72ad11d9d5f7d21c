"""Service orders of a works contract (CCAG-Travaux 2021, art. 3.8, 13, 18 and 53).

An ordre de service is written, dated, numbered and notified by the maître d'œuvre or the
maître d'ouvrage; the contractor acknowledges it with a date (art. 3.8.1). If it thinks an order
calls for observations (« réserves » in practice), it must notify them to the maître d'œuvre
within 15 days, or lose the right to claim on it (forclusion, art. 3.8.2); it complies with the
order all the same (art. 3.8.3). The maître d'ouvrage answers within 15 days: without an
answer, the contractor need not execute an order it showed to be unsafe or unlawful (art. 3.8.2).
Reserves received before any dated acknowledgment are in time:
the window had not started, and the order was received at the latest on that day. An order that stops the works (ajournement, art. 53.1) entitles
the contractor to the costs of keeping the site; after more than a year of interruption, one or
several ajournements together, it may obtain the termination of the contract (art. 53.1.2).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from openamo import law
from openamo.construction import _calendar as cal
from openamo.construction._law import days, reference, rules
from openamo.construction.enums import OrderKind
from openamo.construction.models import OrderRow, OrdersInput, OrdersResult
from openamo.validation import parse_input
from openamo.wording import count

RESERVES = "construction.ccag_travaux.ordre_service_delai_reserves"
ANSWER = "construction.ccag_travaux.ordre_service_delai_reponse_observations"
ADJOURNMENT = "construction.ccag_travaux.ajournement_duree_resiliation"
ADJOURNMENT_ANSWER = "construction.ccag_travaux.ajournement_delai_demande_resiliation"
COMPLY = (
    "CCAG-Travaux 2021, art. 3.8.3 (le titulaire se conforme aux ordres de service, qu'ils aient "
    "fait ou non l'objet de réserves)"
)
EFFECTS = {
    OrderKind.DEMARRAGE: (
        "Le délai d'exécution court de la date d'effet de cet ordre (sauf date fixée par le "
        "marché) : c'est elle qui servira au calcul des pénalités de retard (art. 19.2).",
        "CCAG-Travaux 2021, art. 18.1.1 (un ordre de service fixe le démarrage de la période de "
        "préparation, puis celui de l'exécution des travaux)",
    ),
    OrderKind.PRESTATIONS: (
        "Des prestations supplémentaires ou modificatives sans prix au marché : l'ordre de "
        "service fixe des prix provisoires, arrêtés par le maître d'œuvre avec l'accord du "
        "maître d'ouvrage ; sans valorisation financière, le titulaire n'est pas tenu de s'y "
        "conformer. Au-delà du montant du marché, une modification (avenant) est nécessaire.",
        "CCAG-Travaux 2021, art. 13.4 et 13.6 (prix provisoires fixés par l'ordre de service ; "
        "ordre sans valorisation financière)",
    ),
    OrderKind.ARRET: (
        "Ajournement : les ouvrages exécutés et les matériaux approvisionnés sont constatés "
        "contradictoirement ; le titulaire, qui garde le chantier, est indemnisé des frais de "
        "garde et du préjudice subi.",
        "CCAG-Travaux 2021, art. 53.1.1 (ajournement des travaux)",
    ),
    OrderKind.REPRISE: (
        "Fin de l'ajournement : le délai d'exécution reprend, prolongé de la durée de "
        "l'interruption.",
        "CCAG-Travaux 2021, art. 18.2 et 53.1 (prolongation du délai, ajournement)",
    ),
    OrderKind.AUTRE: (
        "Prescription d'exécution : le titulaire s'y conforme ; ses réserves éventuelles ouvrent "
        "la discussion sur le prix ou le délai.",
        COMPLY,
    ),
}


def service_orders(data: OrdersInput) -> OrdersResult:
    snapshot = rules(data.consultation_date, "Ordres de service")
    window = days(snapshot, RESERVES)
    answer_window = days(snapshot, ANSWER)
    rows: list[OrderRow] = []
    warnings: list[str] = []
    references = [reference(snapshot, RESERVES), COMPLY, cal.CCAG_COUNTING]
    if any(order.reserves_on for order in data.orders):
        references.append(reference(snapshot, ANSWER))
    for order in sorted(data.orders, key=lambda o: o.number):
        effect, effect_reference = EFFECTS[order.kind]
        due = cal.add_days(order.received_on, window) if order.received_on else None
        state = _state(due, order.reserves_on, data.as_of)
        answer_due = _answer_due(snapshot, order.reserves_on) if order.reserves_on else None
        rows.append(OrderRow(
            number=order.number, kind=order.kind, label=order.kind.label,
            effective_on=order.effective_on or order.received_on, received_on=order.received_on,
            reserves_due_on=due, reserves_on=order.reserves_on, answer_due_on=answer_due,
            answered_on=order.answered_on, status=state,
            foreclosed=state in {"reserves_tardives", "sans_reserves"}, effect=effect,
            reference=effect_reference,
        ))  # fmt: skip
        references.append(effect_reference)
        if state == "reserves_tardives" and order.reserves_on and due:
            warnings.append(
                f"Ordre de service n° {order.number} : réserves notifiées le "
                f"{cal.fr_date(order.reserves_on)}, après le {cal.fr_date(due)} (délai de {window} "
                "jours) : le titulaire est forclos, il ne peut plus contester cet ordre "
                "(art. 3.8.2)."
            )
        if order.received_on is None and order.reserves_on is not None:
            warnings.append(
                f"Ordre de service n° {order.number} : réserves reçues le "
                f"{cal.fr_date(order.reserves_on)} sans accusé de réception daté de l'ordre ; le "
                f"délai de {window} jours n'avait pas commencé, elles sont dans le délai "
                "(art. 3.8.1 et 3.8.2). Faites dater l'accusé de réception pour le dossier."
            )
        elif order.received_on is None:
            warnings.append(
                f"Ordre de service n° {order.number} : sans accusé de réception daté du "
                f"titulaire, le délai de {window} jours pour ses réserves ne court pas "
                "(art. 3.8.1) ; faites-le accuser réception."
            )
        if answer_due and order.answered_on is None and data.as_of and data.as_of > answer_due:
            warnings.append(
                f"Ordre de service n° {order.number} : réserves reçues le "
                f"{cal.fr_date(order.reserves_on or answer_due)} sans réponse du maître "
                f"d'ouvrage au {cal.fr_date(answer_due)} (délai de {answer_window} jours) : si "
                "elles signalent un risque pour la sécurité ou la santé, ou un ordre contraire à "
                "la loi, le titulaire n'est pas tenu de l'exécuter (art. 3.8.2)."
            )
    interrupted, resume_due = _adjournment(data, snapshot, warnings, references)
    return OrdersResult(
        consultation_date=data.consultation_date, reserves_days=window, orders=rows,
        interrupted_days=interrupted, termination_right=resume_due,
        buyer_choices=[
            "Le CCAP peut fixer un autre délai pour les réserves du titulaire (dérogation "
            "récapitulée dans son dernier article)",
            "Qui signe les ordres de service : le maître d'œuvre, ou le maître d'ouvrage pour "
            "ceux que le CCAP lui réserve (par exemple ceux qui ont une incidence financière)",
            "Répondre aux réserves du titulaire, les accepter (prix nouveau, délai prolongé) ou "
            "les rejeter de façon motivée",
        ],
        warnings=warnings,
        ambiguities=[
            "Le délai de réserves court de la réception de l'ordre par le titulaire ; la date "
            "d'accusé de réception fait foi. Le CCAG de 2021 parle d'« observations » du "
            "titulaire sur l'ordre de service (art. 3.8.2), la pratique dit « réserves »."
        ],
        references=list(dict.fromkeys(references)),
        explanation=_explain(rows, window, interrupted),
    )  # fmt: skip


def reserves_answer_days(consultation_date: date) -> int:
    """The days the maître d'ouvrage has to answer the holder's reserves (art. 3.8.2)."""
    return days(rules(consultation_date, "Réponse aux réserves"), ANSWER)


def reserves_answer_deadline(consultation_date: date, reserves_on: date) -> date:
    """The day by which the maître d'ouvrage answers reserves received on ``reserves_on``
    (art. 3.8.2), for a contract consulted on ``consultation_date``."""
    return _answer_due(rules(consultation_date, "Réponse aux réserves"), reserves_on)


def _answer_due(snapshot: law.LawSnapshot, reserves_on: date) -> date:
    return cal.add_days(reserves_on, days(snapshot, ANSWER))


def service_orders_from_dict(data: Any) -> OrdersResult:
    return service_orders(parse_input(OrdersInput, data))


def _state(due: date | None, reserves_on: date | None, as_of: date | None) -> str:
    if due is None:
        return "sans_accuse" if reserves_on is None else "reserves_dans_le_delai"
    if reserves_on is not None:
        return "reserves_dans_le_delai" if reserves_on <= due else "reserves_tardives"
    if as_of is not None and as_of > due:
        return "sans_reserves"
    return "delai_ouvert"


def _adjournment(
    data: OrdersInput, snapshot: Any, warnings: list[str], references: list[str]
) -> tuple[int, bool]:
    """Days the works stood still (from each stop to the next restart, or ``as_of``)."""
    stopped: date | None = None
    first: date | None = None
    total = 0
    for order in sorted(data.orders, key=lambda o: o.number):
        start = order.effective_on or order.received_on
        if start is None:
            continue
        if order.kind is OrderKind.ARRET and stopped is None:
            stopped = start
            first = first or start
        elif order.kind is OrderKind.REPRISE and stopped is not None:
            total += (start - stopped).days
            stopped = None
    if stopped is not None and data.as_of is not None and data.as_of > stopped:
        total += (data.as_of - stopped).days
    if total == 0 or first is None:
        return total, False
    months = int(snapshot.value(ADJOURNMENT))
    references += [reference(snapshot, ADJOURNMENT), reference(snapshot, ADJOURNMENT_ANSWER)]
    limit = cal.add_months(first, months)
    right = first + timedelta(days=total) > limit
    if right:
        answer = days(snapshot, ADJOURNMENT_ANSWER)
        warnings.append(
            f"Travaux interrompus {total} jours au total : plus de {months} mois d'ajournement, le "
            "titulaire peut obtenir la résiliation du marché ; informé par écrit d'une telle "
            f"durée, il doit la demander dans les {answer} jours (art. 53.1.2)."
        )
    return total, right


def _explain(rows: list[OrderRow], window: int, interrupted: int) -> str:
    lines = [
        f"{count(len(rows), 'ordre de service', 'ordres de service')}. Le titulaire dispose de {window} jours à compter de la "
        "réception de chaque ordre pour notifier ses réserves au maître d'œuvre, sous peine de "
        "forclusion (CCAG-Travaux 2021, art. 3.8.2) ; il exécute l'ordre même s'il le conteste."
    ]
    for row in rows:
        if row.reserves_due_on:
            lines.append(
                f"Ordre n° {row.number} ({row.label}) : réserves possibles jusqu'au "
                f"{cal.fr_date(row.reserves_due_on)}."
            )
    if interrupted:
        lines.append(f"Durée totale des ajournements : {interrupted} jours.")
    return "\n".join(lines)
