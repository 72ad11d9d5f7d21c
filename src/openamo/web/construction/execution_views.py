"""Pages of the works in execution: lots by trade, a works contract's orders and their reserves."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.documents.travaux import make_reception_report, make_service_order
from openamo.errors import OpenAMOError
from openamo.web.construction import presenters, services
from openamo.web.construction.execution import statements as execution_statements
from openamo.web.construction.execution.amendments import amendments_summary
from openamo.web.construction.execution.lots import works_lots
from openamo.web.construction.execution.orders import (
    answer_reserves,
    issued_orders,
    live_order,
    order_lines,
    orders_result,
    record_reserves,
)
from openamo.web.construction.execution.penalties import penalty_summary
from openamo.web.construction.execution.reception import (
    ReceptionLine,
    live_reception,
    reception_lines,
    record_completion_notice,
)
from openamo.web.construction.execution.statements import (
    decide_statement,
    live_statement,
    propose_statement,
    record_guarantee,
    retention_release,
    statements_of,
    statements_result,
)
from openamo.web.construction.execution.subcontracting import subcontractor_lines
from openamo.web.construction.forms import (
    CompletionNoticeForm,
    OrderReservesForm,
    ReservesAnswerForm,
    RetentionGuaranteeForm,
    StatementDecisionForm,
    StatementForm,
)
from openamo.web.construction.models import CompletionNotice, OrderReserves, RetentionGuarantee
from openamo.web.construction.requests import (
    GuaranteeRequest,
    NoticeRequest,
    StatementPayment,
    initial_of,
)
from openamo.web.construction.views import (
    GET_POST,
    _access,
    _done,
    _form_page,
    _page,
    document_format,
)
from openamo.web.contracts.models import Contract
from openamo.web.downloads import attachment, post_only
from openamo.web.forms import saved, submitted, text_above


@login_required
def works(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    rows, review = works_lots(access)
    lines = []
    for row in rows:
        contracts: list[Contract | None] = [*row.contracts] or [None]
        for contract in contracts:
            summary = None
            if contract is not None:
                orders = issued_orders(contract)
                summary = presenters.safe(partial(orders_result, contract, orders))
            lines.append({"lot": row.lot, "contract": contract, "orders": summary,
                          "amount": presenters.euros(contract.initial_amount_ht) if contract
                          else presenters.euros(row.lot.estimated_amount_ht if row.lot else None)})  # fmt: skip
    return _page(request, "works.html", "Lots et marchés de travaux", access, lines=lines,
                 review=review)  # fmt: skip


@login_required
def works_contract(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    orders = issued_orders(contract)
    result = presenters.safe(lambda: orders_result(contract, orders))
    error = result.error if isinstance(result, presenters.Refused) else None
    found = None if isinstance(result, presenters.Refused) else result
    lines = order_lines(orders, found)
    statements = statements_of(contract)
    paid = presenters.safe(lambda: statements_result(contract, statements))
    paid_error = paid.error if isinstance(paid, presenters.Refused) else None
    computed = None if isinstance(paid, presenters.Refused) else paid
    return _page(
        request, "works_contract.html", contract.title, access, contract=contract,
        orders=found, order_error=error, lines=lines,
        statements=presenters.statement_lines(statements, computed),
        receptions=_receptions(contract),
        amendments=amendments_summary(contract),
        subcontractors=subcontractor_lines(contract),
        guarantee=execution_statements.retention_guarantee(contract),
        penalties=penalty_summary(contract),
        payments=computed, payments_error=paid_error,
        amount=presenters.euros(contract.initial_amount_ht),
        statuses=presenters.ORDER_STATUS,
    )  # fmt: skip


def _receptions(contract: Contract) -> list[ReceptionLine]:
    lines = reception_lines(contract)
    for line in lines:
        line.calendar = presenters.steps(line.result.steps) if line.result else []
    return lines


def _back(pk: int, contract_pk: int) -> str:
    return reverse("construction:works_contract", args=[pk, contract_pk])


@login_required
@require_http_methods(GET_POST)
def order_reserves(request: HttpRequest, pk: int, contract_pk: int, order_pk: int) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    order = live_order(contract, order_pk)
    access.require_propose()
    form = OrderReservesForm(
        request.POST or None,
        current=OrderReserves.objects.filter(service_order=order),
    )
    if saved(
        request,
        form,
        lambda: record_reserves(access, request.user, order, form.request()),
        text_above,
    ):
        return _done(request, access, f"Réserves sur l'ordre n° {order.number} enregistrées.",
                     to=_back(pk, contract_pk))  # fmt: skip
    return _form_page(request, access, f"Réserves du titulaire — ordre de service n° {order.number}",
                      form, "Enregistrer les réserves", summary=order.subject,
                      cancel=_back(pk, contract_pk))  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def order_answer(request: HttpRequest, pk: int, contract_pk: int, order_pk: int) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    order = live_order(contract, order_pk)
    access.require_validate()
    form = ReservesAnswerForm(
        request.POST or None,
        current=OrderReserves.objects.filter(service_order=order),
    )
    if saved(
        request,
        form,
        lambda: answer_reserves(access, request.user, order, form.request()),
        text_above,
    ):
        return _done(request, access, f"Réponse aux réserves sur l'ordre n° {order.number} "
                     "enregistrée.", to=_back(pk, contract_pk))  # fmt: skip
    return _form_page(request, access, f"Répondre aux réserves — ordre de service n° {order.number}",
                      form, "Enregistrer la réponse", cancel=_back(pk, contract_pk))  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def statement_create(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    access.require_propose()
    form = StatementForm(request.POST or None)
    statement = submitted(
        request,
        form,
        lambda: propose_statement(access, request.user, contract, form.request()),
        text_above,
    )
    if statement is not None:
        return _done(request, access, f"Acompte n° {statement.number} enregistré.",
                     to=_back(pk, contract_pk) + "#acomptes")  # fmt: skip
    return _form_page(request, access, f"Acompte mensuel — {contract.title}", form,
                      "Enregistrer l'acompte", cancel=_back(pk, contract_pk),
                      summary="Le titulaire remet avant la fin de chaque mois son projet de "
                      "décompte au maître d'œuvre, qui l'accepte ou le rectifie.")  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def statement_decide(
    request: HttpRequest, pk: int, contract_pk: int, statement_pk: int
) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    statement = live_statement(contract, statement_pk)
    access.require_validate()
    initial = initial_of(statement, StatementPayment)
    form = StatementDecisionForm(request.POST or None, initial=initial, current=statement)
    if saved(
        request,
        form,
        lambda: decide_statement(access, request.user, statement, form.request()),
        text_above,
    ):
        return _done(request, access, f"Acompte n° {statement.number} : décision enregistrée.",
                     to=_back(pk, contract_pk) + "#acomptes")  # fmt: skip
    summary = (
        f"État d'acompte du maître d'œuvre : cumul de "
        f"{presenters.euros(statement.accepted_cumulative_ht)} HT."
    )
    return _form_page(request, access, f"Ordonner l'acompte n° {statement.number}", form,
                      "Enregistrer", cancel=_back(pk, contract_pk), summary=summary)  # fmt: skip


def _contract_label(contract: Contract) -> str:
    return (
        f"Marché {contract.reference} — {contract.title}" if contract.reference else contract.title
    )


def _lot_label(contract: Contract) -> str:
    return f"Lot {contract.lot.number} — {contract.lot.name}" if contract.lot else ""


@login_required
def order_document(request: HttpRequest, pk: int, contract_pk: int, order_pk: int) -> HttpResponse:
    """The ordre de service in Word or PDF (by POST; a reader may download it)."""
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    order = live_order(contract, order_pk)
    refused = post_only(request)
    if refused is not None:
        return refused
    try:
        result = orders_result(contract, issued_orders(contract))
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return redirect(_back(pk, contract_pk))
    assert result is not None
    row = next(item for item in result.orders if item.number == order.number)
    suffix, kind = document_format(request)
    with tempfile.TemporaryDirectory() as folder:
        out = make_service_order(
            row, result, Path(folder) / f"os{suffix}",
            buyer=access.operation.organisation.name, holder=contract.holder_name,
            contract=_contract_label(contract), lot=_lot_label(contract), subject=order.subject,
            description=order.description, issued_on=order.issued_on,
            signatory=order.issued_by.get_full_name() if order.issued_by else "",
        )  # fmt: skip
        content = out.read_bytes()
    name = f"Ordre de service n° {order.number} — {contract.reference or contract.title}{suffix}"
    return attachment(content, kind, name)


@login_required
def reception_document(
    request: HttpRequest, pk: int, contract_pk: int, reception_pk: int
) -> HttpResponse:
    """The reception report with its reserves and guarantees (Word or PDF, by POST)."""
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    line = live_reception(contract, reception_pk)
    refused = post_only(request)
    if refused is not None:
        return refused
    reception = line.reception
    guarantee = execution_statements.retention_guarantee(contract)
    suffix, kind = document_format(request)
    with tempfile.TemporaryDirectory() as folder:
        out = make_reception_report(
            Path(folder) / f"reception{suffix}",
            buyer=access.operation.organisation.name, holder=contract.holder_name,
            contract=_contract_label(contract), label=reception.label,
            inspected_on=reception.inspected_on,
            notice_on=line.notice.notice_on if line.notice else None,
            decision=reception.get_decision_display(),
            effective_on=reception.effective_on, decided_on=reception.decided_on,
            note=reception.note,
            reserves=[(r.description, r.due_on, r.lifted_on) for r in line.reserves],
            result=line.result, retention=retention_release(contract, line),
            guarantor=guarantee.guarantor if guarantee else "",
        )  # fmt: skip
        content = out.read_bytes()
    name = f"Réception — {contract.reference or contract.title}{suffix}"
    return attachment(content, kind, name)


@login_required
@require_http_methods(GET_POST)
def retention_guarantee(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    """The guarantee the holder gave instead of the retention money (R2191-36)."""
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    access.require_propose()
    current = RetentionGuarantee.objects.filter(contract=contract)
    existing = current.first()
    initial = initial_of(existing, GuaranteeRequest)
    form = RetentionGuaranteeForm(request.POST or None, initial=initial, current=current)
    if saved(
        request,
        form,
        lambda: record_guarantee(access, request.user, contract, form.request()),
        text_above,
    ):
        return _done(request, access, "Garantie remplaçant la retenue enregistrée.",
                     to=_back(pk, contract_pk) + "#acomptes")  # fmt: skip
    return _form_page(request, access, f"Garantie remplaçant la retenue — {contract.title}", form,
                      "Enregistrer la garantie", cancel=_back(pk, contract_pk),
                      summary="Constituée au plus tard à la première demande de paiement, elle "
                      "dispense les acomptes de la retenue de garantie ; sinon la retenue est "
                      "prélevée sur les acomptes demandés avant (CCP R2191-36).")  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def completion_notice(
    request: HttpRequest, pk: int, contract_pk: int, reception_pk: int
) -> HttpResponse:
    """The holder's notice of completion, which opens the window of the inspection (art. 41.1)."""
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    line = live_reception(contract, reception_pk)
    access.require_propose()
    current = CompletionNotice.objects.filter(reception=line.reception)
    existing = current.first()
    initial = initial_of(existing, NoticeRequest)
    form = CompletionNoticeForm(request.POST or None, initial=initial, current=current)
    if saved(
        request,
        form,
        lambda: record_completion_notice(
            access, request.user, contract, line.reception, form.request()
        ),
        text_above,
    ):
        return _done(request, access, "Avis d'achèvement enregistré.",
                     to=_back(pk, contract_pk) + "#reception")  # fmt: skip
    return _form_page(request, access, f"Avis d'achèvement — {line.reception.label}", form,
                      "Enregistrer l'avis", cancel=_back(pk, contract_pk),
                      summary="Le titulaire avise le maître d'ouvrage et le maître d'œuvre de "
                      "l'achèvement des travaux ; les opérations préalables à la réception ont "
                      "lieu dans les vingt jours (CCAG-Travaux 2021, art. 41.1).")  # fmt: skip
