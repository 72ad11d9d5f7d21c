"""Turn rows and domain results into the data DSFR templates display (labels, tables, links)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import capfirst

from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.procurement.deadlines import DEADLINE_LABELS
from openamo.procurement.enums import ALLOWED_PROCEDURE_LABELS
from openamo.procurement.models import ProcedureResult
from openamo.web.audit.models import AuditEvent
from openamo.web.audit.services import HistoryEntry, audited_model, model_changes
from openamo.web.operations import mappers
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Consultation, Lot, Need, Operation, Share
from openamo.web.organisations.models import Organisation
from openamo.web.tables import Cell, Link, Table, links


def euros(amount: Decimal | None) -> str:
    return "—" if amount is None else format_euros(amount)


def operations_table(operations: Iterable[Operation]) -> Table:
    rows: list[list[Cell]] = []
    for op in operations:
        consultation = getattr(op, "consultation", None)
        op_lots = getattr(op, "lot_count", None)
        rows.append(
            [
                {"text": op.title, "url": reverse("operations:detail", args=[op.pk])},
                {"text": op.organisation.name},
                {"text": op.get_stage_display()},
                {"text": str(getattr(op, "lot_count", ""))},
                # No lot (one contract for the whole need): no « 0,00 € » of lots.
                {"text": euros(getattr(op, "lots_amount", None)) if op_lots else "—"},
                {"text": consultation.get_status_display() if consultation else "Non analysée"},
            ]
        )
    header = ["Opération", "Acheteur", "Étape", "Lots", "Montant des lots HT", "Procédure"]
    return {"header": header, "rows": rows}


def lots_table(lots: list[Lot], access: OperationAccess, with_actions: bool = True) -> Table:
    show_actions = with_actions and access.can_edit
    header = ["N°", "Lot", "Montant estimé HT"] + (["Actions"] if show_actions else [])
    rows = []
    # A lot with a contract passed on it cannot be deleted (services.delete_lot): no button.
    contracted = (
        set(
            Lot.objects.filter(
                pk__in=[lot.pk for lot in lots],
                contracts__isnull=False,
                contracts__deleted_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        if show_actions
        else set()
    )
    for lot in lots:
        row: list[Cell] = [
            {"text": str(lot.number)},
            {"text": lot.name},
            {"text": euros(lot.estimated_amount_ht)},
        ]
        if show_actions:
            args = [lot.operation_id, lot.pk]
            actions: list[Link] = [
                {
                    "text": "Modifier",
                    "url": reverse("operations:lot_edit", args=args),
                    "label": f"Modifier le lot {lot.number}",
                }
            ]
            if lot.pk not in contracted:
                actions.append(
                    {
                        "text": "Supprimer",
                        "url": reverse("operations:lot_delete", args=args),
                        "label": f"Supprimer le lot {lot.number}",
                    }
                )
            row.append(links(*actions))
        rows.append(row)
    total = sum((lot.estimated_amount_ht for lot in lots), Decimal(0))
    return {"header": header, "rows": rows, "total": euros(total) if lots else None}


def need_initial(need: Need | None) -> dict[str, object]:
    """The need form's initial values (field name → stored value)."""
    if need is None:
        return {"renewals": 0}
    return {
        "object": need.object,
        "nature": need.nature,
        "estimated_amount_ht": need.estimated_amount_ht,
        "duration_months": need.duration_months,
        "renewals": need.renewals,
        "renewal_duration_months": need.renewal_duration_months,
        "options_amount_ht": need.options_amount_ht,
        "social_and_specific_services": need.social_and_specific_services,
        "constraints": need.constraints,
        "is_framework": need.is_framework,
        **{
            name: getattr(need, name)
            for name in mappers.FRAMEWORK_FIELDS.values()
            if getattr(need, name) not in (None, "")
        },
    }


def attach_domain_errors(form: forms.Form, exc: OpenAMOError) -> None:
    """Show the domain's French messages next to the fields they concern (else above the form)."""
    if not exc.details:
        # A date outside the legal data the law package holds concerns the date field.
        field = "date" if exc.code == "date_out_of_range" and "date" in form.fields else None
        form.add_error(field, exc.message)
        return
    for detail in exc.details:
        parts = detail.location.split(".")
        field = parts[0].split("[")[0]
        if field == "framework":
            field = mappers.FRAMEWORK_FIELDS.get(parts[1] if len(parts) > 1 else "", "is_framework")
        if field in form.fields:
            form.add_error(field, detail.message)
        else:
            form.add_error(None, f"{detail.location} : {detail.message}")


def verdict(result: ProcedureResult) -> dict[str, object]:
    """Labels for a stored or fresh ``ProcedureResult`` of the domain."""
    return {
        "procedure": result.procedure.label,
        "procedure_code": result.procedure.value,
        "estimated_value": euros(result.estimated_value_ht),
        "allowed": [ALLOWED_PROCEDURE_LABELS.get(p, p) for p in result.allowed_procedures],
        "conditional": [
            {**c, "label": ALLOWED_PROCEDURE_LABELS.get(c["procedure"], c["procedure"])}
            for c in result.conditional_procedures
        ],
        "publicity": result.publicity.label,
        "dce_on_buyer_profile": result.dce_on_buyer_profile,
        "min_response_days": result.min_response_days,
        "deadlines": [
            {"label": DEADLINE_LABELS.get(key, key.replace("_", " ").capitalize()), "days": days}
            for key, days in result.deadlines.items()
        ],
        "lots": [
            {
                "name": lot.name,
                "amount": euros(lot.estimated_amount_ht),
                "procedure": lot.procedure.label,
                "petit_lot": lot.petit_lot,
                "explanation": lot.explanation,
            }
            for lot in result.lots
        ],
        "warnings": result.warnings,
        "ambiguities": result.ambiguities,
        "references": result.references,
        "explanation": result.explanation.splitlines(),
    }


def history_events(operation: Operation) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(operation=operation).order_by("-created_at", "-pk")


_MODELS: dict[str, type[models.Model]] = {
    "operation": Operation,
    "need": Need,
    "lot": Lot,
    "consultation": Consultation,
    "share": Share,
    "organisation": Organisation,
}
_TYPE_LABELS = {
    "operation": "Opération",
    "need": "Besoin",
    "lot": "Lot",
    "consultation": "Consultation",
    "share": "Partage",
}


def _model(object_type: str) -> type[models.Model] | None:
    """The model of an audited object: the operation's own, else any app's (steering, …)."""
    return audited_model(object_type, _MODELS)


def _type_label(object_type: str) -> str:
    model = _model(object_type)
    if object_type in _TYPE_LABELS or model is None:
        return _TYPE_LABELS.get(object_type, object_type)
    return capfirst(str(model._meta.verbose_name))


_EXTRA_LABELS = {"input": "données analysées", "organisation": "organisation"}


def history_entries(events: Iterable[AuditEvent]) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            event=event,
            actor=event.actor_label,
            type=_type_label(event.object_type),
            changes=[
                c
                for c in model_changes(event, _model(event.object_type), _EXTRA_LABELS)
                if c.field != "données analysées"
            ],
        )
        for event in events
    ]
