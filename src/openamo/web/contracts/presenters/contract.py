"""Contracts, their renewals and their subcontractors."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from openamo.validation import siret_display
from openamo.web.contracts import models as m
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.presenters.labels import badge, contract_url, day, euros
from openamo.web.tables import Cell, Table


def contracts_table(contracts: Iterable[m.Contract]) -> Table:
    rows: list[list[Cell]] = []
    for contract in contracts:
        late = getattr(contract, "late_invoices", 0)
        rows.append(
            [
                {"text": str(contract), "url": contract_url(contract)},
                {"text": contract.organisation.name},
                {"text": contract.holder_name, "hint": siret_display(contract.holder_siret)},
                {"text": euros(contract.initial_amount_ht)},
                {"text": day(contract.notified_on)},
                {"text": contract.get_price_form_display()},
                badge("error", f"{late} facture{'s' if late > 1 else ''} en retard")
                if late
                else badge("info", contract.get_status_display()),
            ]
        )
    header = [
        "Marché",
        "Acheteur",
        "Titulaire",
        "Montant initial HT",
        "Notifié le",
        "Prix",
        "Situation",
    ]
    return {"header": header, "rows": rows}


def renewal_badge(renewal: m.Renewal, today: datetime.date) -> Cell:
    if renewal.decision == m.RenewalDecision.RECONDUIT:
        return badge("success", "Reconduit")
    if renewal.decision == m.RenewalDecision.NON_RECONDUIT:
        return badge("info", "Non reconduit")
    deadline = renewal.decision_deadline
    if deadline is not None and deadline < today:
        return badge("error", "Décision en retard")
    if deadline is not None and (deadline - today).days <= 60:
        return badge("warning", "À décider bientôt")
    return badge("new", "À décider")


def renewals_table(
    renewals: list[m.Renewal], access: ContractAccess, today: datetime.date
) -> Table:
    pending = [r for r in renewals if r.decision == m.RenewalDecision.A_DECIDER]
    # The periods follow one another: only the next one can be decided.
    next_pending = pending[0].pk if pending and access.can_validate else None
    header = ["N°", "Période", "Décision avant le", "Situation", "Décision"]
    rows: list[list[Cell]] = []
    for renewal in renewals:
        decision: Cell = {"text": renewal.note or "—"}
        if renewal.decided_on:
            decision = {"text": f"Le {day(renewal.decided_on)}", "hint": renewal.note}
        elif renewal.pk == next_pending:
            decision = {
                "links": [
                    {
                        "text": "Décider",
                        "url": contract_url(renewal.contract, "renewal_decide", renewal.pk),
                        "label": f"reconduction n° {renewal.number}",
                    }
                ]
            }
        rows.append(
            [
                {"text": str(renewal.number)},
                {"text": f"du {day(renewal.starts_on)} au {day(renewal.ends_on)}"},
                {"text": day(renewal.decision_deadline)},
                renewal_badge(renewal, today),
                decision,
            ]
        )
    return {"header": header, "rows": rows}


def subcontractors_table(subcontractors: list[m.Subcontractor], access: ContractAccess) -> Table:
    header = ["Sous-traitant", "SIRET", "Prestations", "Montant HT", "Paiement direct", "Agréé le"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for sub in subcontractors:
        row: list[Cell] = [
            {"text": sub.name},
            {"text": siret_display(sub.siret)},
            {"text": sub.services},
            {"text": euros(sub.amount_ht)},
            {"text": "Oui" if sub.direct_payment else "Non"},
            {"text": day(sub.accepted_on)},
        ]
        if access.can_edit:
            row.append(
                {
                    "links": [
                        {
                            "text": "Modifier",
                            "url": contract_url(sub.contract, "subcontractor_edit", sub.pk),
                            "label": sub.name,
                        },
                        {
                            "text": "Retirer",
                            "url": contract_url(sub.contract, "subcontractor_delete", sub.pk),
                            "label": sub.name,
                        },
                    ]
                }
            )
        rows.append(row)
    return {"header": header, "rows": rows}
