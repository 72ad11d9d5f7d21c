"""Rows and domain results → what the DSFR templates display (labels, tables, badges, links).

Tables are data for ``partials/_table.html``: ``{"header": [...], "rows": [[cell, …]]}``, a
cell being ``{"text", "url"?, "badge"?: {"type", "label"}, "hint"?, "links"?}``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.apps import apps
from django.db.models import Model, QuerySet
from django.urls import reverse

from openamo.errors import OpenAMOError
from openamo.money import format_amount, format_euros
from openamo.pricing.execution_models import FrameworkResult
from openamo.pricing.models import RevisionResult
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.audit.services import Change, changes
from openamo.web.contracts import models as m
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.payments import PaymentStatus
from openamo.web.contracts.quality import CRITERIA, overdue
from openamo.web.organisations.models import Membership
from openamo.web.tables import Cell, Table
from openamo.wording import count

if TYPE_CHECKING:
    from openamo.web.contracts.queries import HolderSummary


def euros(amount: Decimal | None) -> str:
    return "—" if amount is None else format_euros(amount)


def day(value: datetime.date | None) -> str:
    return "—" if value is None else value.strftime("%d/%m/%Y")


def number(value: Decimal | str | None, places: int | None = None) -> str:
    """French display of a decimal: « 1,0423 ». A string is the domain's own rendering (its
    decimals are meaningful, « 2.20 »): only the separator changes. ``places`` fixes the
    decimals of a Decimal, else its shortest form."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value.replace(".", ",")
    text = f"{value:.{places}f}" if places is not None else f"{value.normalize():f}"
    return text.replace(".", ",")


def price(value: Decimal | None) -> str:
    """A unit price: its significant decimals, at least two (« 2,15 », « 3,8520 » → « 3,852 »)."""
    if value is None:
        return "—"
    places = max(2, -int(value.normalize().as_tuple().exponent))
    return number(value, places)


def badge(kind: str, label: str) -> Cell:
    return {"badge": {"type": kind, "label": label}}


def contract_url(contract: m.Contract, name: str = "detail", *args: Any) -> str:
    return reverse(f"contracts:{name}", args=[contract.pk, *args])


def contracts_table(contracts: Iterable[m.Contract]) -> Table:
    rows: list[list[Cell]] = []
    for contract in contracts:
        late = getattr(contract, "late_invoices", 0)
        rows.append(
            [
                {"text": str(contract), "url": contract_url(contract)},
                {"text": contract.organisation.name},
                {"text": contract.holder_name, "hint": contract.holder_siret},
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
            {"text": sub.siret},
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


@dataclass(frozen=True)
class Outcome:
    """What every domain verdict says of itself: its explanation, warnings and articles."""

    explanation: str
    warnings: list[str]
    references: list[str]


class Explained(Protocol):
    @property
    def explanation(self) -> str: ...
    @property
    def warnings(self) -> list[str]: ...
    @property
    def references(self) -> list[str]: ...


def domain_result(result: Explained) -> Outcome:
    """Explanation, warnings and references of a domain result."""
    return Outcome(result.explanation, result.warnings, result.references)


@dataclass(frozen=True)
class TermFigures:
    """One term of a computed revision, in French figures (« 0,875 »)."""

    index: str | None
    weight: str
    base_period: str | None
    index_base: str
    current_period: str | None
    index_current: str
    ratio: str


@dataclass(frozen=True)
class DriftFigures:
    """The invoiced price against the one the formula allows, in French figures."""

    invoiced_price_ht: str
    allowed_price_ht: str
    difference_ht: str
    difference_percent: str
    alert: bool


@dataclass(frozen=True)
class RevisionFigures:
    """What the revision page shows of the domain's result: every figure in its domain
    decimals, with a French comma."""

    coefficient: str
    coefficient_rounding: str
    revised: str
    base: str
    fixed_part: str
    variation: str
    terms: list[TermFigures]
    drift: DriftFigures | None


def revision_figures(result: RevisionResult) -> RevisionFigures:
    drift = result.drift
    return RevisionFigures(
        coefficient=number(result.coefficient),
        coefficient_rounding=result.coefficient_rounding,
        revised=number(result.revised_price_ht),
        base=number(result.base_price_ht),
        fixed_part=number(result.fixed_part),
        variation=number(result.variation_percent),
        terms=[
            TermFigures(
                index=t.index,
                weight=number(t.weight),
                base_period=t.base_period,
                index_base=number(t.index_base),
                current_period=t.current_period,
                index_current=number(t.index_current),
                ratio=number(t.ratio),
            )
            for t in result.terms
        ],
        drift=None
        if drift is None
        else DriftFigures(
            invoiced_price_ht=number(format_amount(drift.invoiced_price_ht)),
            allowed_price_ht=number(drift.allowed_price_ht),
            difference_ht=number(format_amount(drift.difference_ht)),
            difference_percent=number(drift.difference_percent),
            alert=drift.alert,
        ),
    )


def terms_table(terms: list[m.RevisionTerm], access: ContractAccess) -> Table:
    header = ["Série", "Indice", "Poids bᵢ", "Période de base"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for term in terms:
        row: list[Cell] = [
            {"text": term.index_name},
            {"text": term.label or "—"},
            {"text": number(term.weight)},
            {"text": term.base_period},
        ]
        if access.can_edit:
            row.append(
                {
                    "links": [
                        {
                            "text": "Retirer",
                            "url": contract_url(term.contract, "term_delete", term.pk),
                            "label": f"terme {term.index_name}",
                        }
                    ]
                }
            )
        rows.append(row)
    return {"header": header, "rows": rows}


SHOWN_VALUES = 12


@dataclass(frozen=True)
class SeriesTable:
    name: str
    count: int
    first: str
    last: str
    table: Table


def series_tables(values: list[m.IndexValue]) -> list[SeriesTable]:
    """One table per series: its latest values (the most recent first)."""
    by_series: dict[str, list[m.IndexValue]] = {}
    for value in values:
        by_series.setdefault(value.series, []).append(value)
    tables = []
    for name, rows in sorted(by_series.items()):
        latest = sorted(rows, key=lambda v: v.period, reverse=True)[:SHOWN_VALUES]
        tables.append(
            SeriesTable(
                name=name,
                count=len(rows),
                first=min(v.period for v in rows),
                last=max(v.period for v in rows),
                table={
                    "header": ["Période", "Valeur", "Statut", "Origine"],
                    "rows": [
                        [
                            {"text": v.period},
                            {"text": number(v.value)},
                            {"text": "Provisoire" if v.provisional else "Définitive"},
                            {"text": v.get_source_display()},
                        ]
                        for v in latest
                    ],
                },
            )
        )
    return tables


def revisions_table(revisions: list[m.PriceRevision]) -> Table:
    rows: list[list[Cell]] = []
    for revision in revisions:
        rows.append(
            [
                {
                    "text": day(revision.revised_on),
                    "url": contract_url(revision.contract, "revision_detail", revision.pk),
                },
                {"text": revision.current_period},
                {"text": f"{price(revision.base_price_ht)} €"},
                {"text": number(revision.coefficient)},
                {"text": f"{number(revision.result.get('revised_price_ht'))} €"},
                badge("error", "Prix facturé trop élevé")
                if revision.drift_alert
                else (
                    badge("success", "Conforme")
                    if revision.invoiced_price_ht is not None
                    else {"text": "Non contrôlé"}
                ),
            ]
        )
    header = [
        "Révision du",
        "Indices de",
        "Prix de base HT",
        "Coefficient",
        "Prix révisé HT",
        "Prix facturé",
    ]
    return {"header": header, "rows": rows}


def orders_table(
    orders: list[m.Order], framework: FrameworkResult | None, access: ContractAccess
) -> Table:
    cumulative = {}
    over = {}
    if framework is not None:
        for check in framework.orders:
            cumulative[(check.reference, check.date)] = check.cumulative_ht
            over[(check.reference, check.date)] = check.exceeds_maximum
    header = ["Bon de commande", "Émis le", "Objet", "Montant HT", "Cumul HT", "Maximum"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for order in orders:
        key = (order.reference, order.issued_on)
        row: list[Cell] = [
            {"text": order.reference},
            {"text": day(order.issued_on)},
            {"text": order.description or "—"},
            {"text": euros(order.amount_ht)},
            {"text": euros(cumulative.get(key))},
            badge("error", "Dépassé") if over.get(key) else badge("success", "Respecté"),
        ]
        if access.can_edit:
            row.append(
                {
                    "links": [
                        {
                            "text": "Modifier",
                            "url": contract_url(order.contract, "order_edit", order.pk),
                            "label": f"bon de commande {order.reference}",
                        }
                    ]
                }
            )
        rows.append(row)
    return {"header": header, "rows": rows}


def invoice_badge(status: PaymentStatus, invoice: m.Invoice, today: datetime.date) -> Cell:
    if invoice.paid_on is not None:
        if status.days_late:
            return badge("warning", f"Payée avec {status.days_late} j de retard")
        return badge("success", "Payée dans le délai")
    if status.days_late:
        return badge("error", f"En retard de {status.days_late} j")
    if (status.due_on - today).days <= DUE_SOON_DAYS:
        return badge("warning", "Échéance proche")
    return badge("info", "À payer")


DUE_SOON_DAYS = 10
"""An unpaid invoice due within this many days is shown as « échéance proche »."""


def interest_cell(status: PaymentStatus) -> Cell:
    if status.missing_rate is not None:
        return badge("warning", "Taux BCE à saisir")
    result = status.result
    if result is None or not result.late:
        return {"text": "—"}
    return {
        "text": f"{euros(result.interest)} + {euros(result.indemnity)}",
        "hint": "intérêts + indemnité forfaitaire",
    }


def invoices_table(rows_in: list[tuple[m.Invoice, PaymentStatus]], today: datetime.date) -> Table:
    header = ["Facture", "Reçue le", "Montant TTC", "Échéance", "Situation", "Intérêts moratoires"]
    rows: list[list[Cell]] = []
    for invoice, status in rows_in:
        rows.append(
            [
                {
                    "text": invoice.reference,
                    "url": contract_url(invoice.contract, "invoice_detail", invoice.pk),
                    "hint": invoice.description,
                },
                {"text": day(invoice.received_on)},
                {"text": euros(invoice.amount_ttc)},
                {
                    "text": day(status.due_on),
                    "hint": "délai suspendu" if invoice.suspended_on else "",
                },
                invoice_badge(status, invoice, today),
                interest_cell(status),
            ]
        )
    return {"header": header, "rows": rows}


def dashboard_table(rows_in: list[tuple[m.Invoice, PaymentStatus]], today: datetime.date) -> Table:
    header = ["Facture", "Marché", "Titulaire", "Montant TTC", "Échéance", "Situation", "Intérêts"]
    rows: list[list[Cell]] = []
    for invoice, status in rows_in:
        contract = invoice.contract
        rows.append(
            [
                {
                    "text": invoice.reference,
                    "url": contract_url(contract, "invoice_detail", invoice.pk),
                },
                {
                    "text": str(contract),
                    "url": contract_url(contract),
                    "hint": contract.organisation.name,
                },
                {"text": contract.holder_name},
                {"text": euros(invoice.amount_ttc)},
                {"text": day(status.due_on)},
                invoice_badge(status, invoice, today),
                interest_cell(status),
            ]
        )
    return {"header": header, "rows": rows}


def service_orders_table(orders: list[m.ServiceOrder], access: ContractAccess) -> Table:
    header = ["N°", "Nature", "Objet", "Effet le", "Émis le", "Reçu le"]
    rows: list[list[Cell]] = []
    for order in orders:
        issued: Cell = {"text": day(order.issued_on)}
        if order.issued_on is None:
            issued = badge("new", "Projet à signer")
            if access.can_validate:
                issued = {
                    "links": [
                        {
                            "text": "Signer et émettre",
                            "url": contract_url(order.contract, "service_order_issue", order.pk),
                            "label": f"ordre de service n° {order.number}",
                        }
                    ]
                }
        rows.append(
            [
                {"text": str(order.number)},
                {"text": order.get_kind_display()},
                {"text": order.subject, "hint": order.description},
                {"text": day(order.effective_on)},
                issued,
                {"text": day(order.acknowledged_on)},
            ]
        )
    return {"header": header, "rows": rows}


def reception_badge(reception: m.Reception) -> dict[str, str]:
    kinds = {
        m.ReceptionDecision.A_DECIDER: "new",
        m.ReceptionDecision.SANS_RESERVE: "success",
        m.ReceptionDecision.AVEC_RESERVES: "warning",
        m.ReceptionDecision.AJOURNEE: "warning",
        m.ReceptionDecision.REFUSEE: "error",
    }
    return {
        "type": kinds[m.ReceptionDecision(reception.decision)],
        "label": reception.get_decision_display(),
    }


@dataclass(frozen=True)
class ReserveView:
    reserve: m.Reserve
    late: bool
    """Still to lift after its deadline."""


@dataclass(frozen=True)
class ReceptionView:
    reception: m.Reception
    badge: dict[str, str]
    open: bool
    """Reserves may still be added (to decide, or pronounced with reserves)."""
    reserves: list[ReserveView]


def receptions_view(
    receptions: list[m.Reception], reserves: dict[int, list[m.Reserve]], today: datetime.date
) -> list[ReceptionView]:
    return [
        ReceptionView(
            reception=reception,
            badge=reception_badge(reception),
            open=reception.decision
            in {m.ReceptionDecision.A_DECIDER, m.ReceptionDecision.AVEC_RESERVES},
            reserves=[
                ReserveView(reserve, reserve.lifted_on is None and overdue(reserve.due_on, today))
                for reserve in reserves.get(reception.pk, [])
            ],
        )
        for reception in receptions
    ]


def penalties_table(penalties: list[m.Penalty], access: ContractAccess) -> Table:
    header = ["Manquement", "Retard", "Pénalité HT", "Statut", "Décision"]
    kinds = {"proposee": "new", "validee": "warning", "abandonnee": "info"}
    rows: list[list[Cell]] = []
    for penalty in penalties:
        decision: Cell = {"text": day(penalty.decided_on)}
        if penalty.status == m.PenaltyStatus.PROPOSEE and access.can_validate:
            decision = {
                "links": [
                    {
                        "text": "Décider",
                        "url": contract_url(penalty.contract, "penalty_decide", penalty.pk),
                        "label": penalty.reason,
                    }
                ]
            }
        rows.append(
            [
                {"text": penalty.reason, "hint": penalty.result.get("explanation", "")},
                {"text": count(penalty.days_late, "jour")},
                {"text": euros(penalty.penalty_ht)},
                badge(kinds[penalty.status], penalty.get_status_display()),
                decision,
            ]
        )
    return {"header": header, "rows": rows}


def marks_text(marks: dict[str, int]) -> str:
    labels = dict(CRITERIA)
    return " ; ".join(f"{labels.get(code, code)} : {mark}/5" for code, mark in marks.items())


def evaluations_table(evaluations: Iterable[m.Evaluation], *, with_contract: bool = False) -> Table:
    header = ["Évaluée le", "Moment", "Moyenne", "Notes", "Appréciation"]
    if with_contract:
        header = ["Titulaire", "Marché", *header]
    rows = []
    for evaluation in evaluations:
        row: list[Cell] = [
            {"text": day(evaluation.evaluated_on)},
            {"text": f"{evaluation.get_stage_display()} — {evaluation.milestone}"},
            {"text": f"{number(evaluation.average, 2)}/5"},
            {"text": marks_text(evaluation.marks)},
            {"text": evaluation.comments or "—"},
        ]
        if with_contract:
            contract = evaluation.contract
            row = [
                {"text": contract.holder_name, "hint": contract.holder_siret},
                {"text": str(contract), "url": contract_url(contract)},
                *row,
            ]
        rows.append(row)
    return {"header": header, "rows": rows}


def holders_table(summary: list[HolderSummary]) -> Table:
    rows: list[list[Cell]] = [
        [
            {"text": line.name, "hint": line.siret},
            {"text": str(line.count)},
            {"text": f"{number(line.mean, 2)}/5"},
            {"text": day(line.last)},
        ]
        for line in summary
    ]
    header = ["Titulaire", "Évaluations", "Moyenne", "Dernière évaluation"]
    return {"header": header, "rows": rows}


def attach_domain_errors(form: forms.Form, exc: OpenAMOError, fields: dict[str, str]) -> None:
    """The domain's French message above the form, and each detail next to the field it
    concerns (``fields`` maps the domain's input names to the form's)."""
    form.add_error(None, exc.message)
    for detail in exc.details:
        name = detail.location.split(".")[0].split("[")[0]
        target = fields.get(name, name)
        if target in form.fields:
            form.add_error(target, detail.message)
        else:
            form.add_error(None, f"{detail.location} : {detail.message}")


# History -------------------------------------------------------------------------------------

_MODELS: dict[str, type[Model]] = {
    "contract": m.Contract,
    "renewal": m.Renewal,
    "subcontractor": m.Subcontractor,
    "revisionterm": m.RevisionTerm,
    "indexvalue": m.IndexValue,
    "pricerevision": m.PriceRevision,
    "order": m.Order,
    "invoice": m.Invoice,
    "serviceorder": m.ServiceOrder,
    "reception": m.Reception,
    "reserve": m.Reserve,
    "penalty": m.Penalty,
    "evaluation": m.Evaluation,
}


def _model(object_type: str) -> type[Model] | None:
    """The model of an audited object: the contract's own, else any app's (avenants, …)."""
    model = _MODELS.get(object_type)
    if model is None:
        model = next((m for m in apps.get_models() if m._meta.model_name == object_type), None)
    return model


def _type_label(object_type: str) -> str:
    model = _model(object_type)
    if model is None:
        return object_type.capitalize()
    return str(model._meta.verbose_name).capitalize()


def _labels(object_type: str) -> dict[str, str]:
    model = _model(object_type)
    if model is None:
        return {}
    return {f.name: str(getattr(f, "verbose_name", f.name)) for f in model._meta.get_fields()}


def _choices(object_type: str) -> dict[str, dict[str, str]]:
    model = _model(object_type)
    if model is None:
        return {}
    return {
        f.name: {str(value): str(label) for value, label in getattr(f, "choices", None) or ()}
        for f in model._meta.get_fields()
        if getattr(f, "choices", None)
    }


def history_events(contract: m.Contract, access: ContractAccess) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(contract=contract).order_by("-created_at", "-pk")
    if access.is_holder:
        # The holder sees what concerns its contract, not the buyer's internal file: neither
        # its evaluation of the supplier nor who produced or downloaded which document.
        events = events.exclude(object_type="evaluation").exclude(action=Action.GENERATE)
    return events


@dataclass(frozen=True)
class HistoryEntry:
    """A line of ``partials/_history.html``: the event, who (as the reader may see it), what
    kind of row, and the changes field by field."""

    event: AuditEvent
    actor: str
    type: str
    changes: list[Change]


def history_entries(
    events: Iterable[AuditEvent], access: ContractAccess | None = None
) -> list[HistoryEntry]:
    """Rows of the history; for the holder, the buyer's staff are named by their organisation
    (« Commune de Saint-Exemple »), its own members by their names."""
    own: set[int] = set()
    holder_id = access.contract.holder_organisation_id if access and access.is_holder else None
    if holder_id is not None:
        own = set(
            Membership.objects.filter(organisation_id=holder_id).values_list("user_id", flat=True)
        )
    return [
        HistoryEntry(
            event=event,
            actor=(
                event.actor_label
                if access is None or not access.is_holder or event.actor_id in own
                else access.contract.organisation.name
            ),
            type=_type_label(event.object_type),
            changes=changes(event, _labels(event.object_type), _choices(event.object_type)),
        )
        for event in events
    ]
