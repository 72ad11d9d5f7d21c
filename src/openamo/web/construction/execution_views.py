"""Pages of the works in execution: lots by trade, a works contract's orders and their reserves."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
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
    record_possession,
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
    PossessionForm,
    ReservesAnswerForm,
    RetentionGuaranteeForm,
    StatementDecisionForm,
    StatementForm,
)
from openamo.web.construction.models import (
    CompletionNotice,
    OrderReserves,
    RetentionGuarantee,
    WorksPossession,
)
from openamo.web.construction.requests import (
    GuaranteeRequest,
    NoticeRequest,
    PossessionRequest,
    StatementPayment,
    initial_of,
)
from openamo.web.construction.views import (
    GET_POST,
    _access,
    _done,
    _edit,
    _form_page,
    _page,
    contract_label,
    document,
)
from openamo.web.contracts.models import Contract
from openamo.web.downloads import post_only
from openamo.web.forms import submitted, text_above
from openamo.web.users import AuthenticatedRequest


@login_required
def works(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
def works_contract(request: AuthenticatedRequest, pk: int, contract_pk: int) -> HttpResponse:
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
def order_reserves(
    request: AuthenticatedRequest, pk: int, contract_pk: int, order_pk: int
) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    order = live_order(contract, order_pk)
    access.require_propose()
    form = OrderReservesForm(
        request.POST or None,
        current=OrderReserves.objects.filter(service_order=order),
    )
    return _edit(
        request, access, form,
        lambda: record_reserves(access, request.user, order, form.request()),
        f"Réserves sur l'ordre n° {order.number} enregistrées.",
        f"Réserves du titulaire — ordre de service n° {order.number}", "Enregistrer les réserves",
        to=_back(pk, contract_pk), summary=order.subject, cancel=_back(pk, contract_pk),
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def order_answer(
    request: AuthenticatedRequest, pk: int, contract_pk: int, order_pk: int
) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    order = live_order(contract, order_pk)
    access.require_validate()
    form = ReservesAnswerForm(
        request.POST or None,
        current=OrderReserves.objects.filter(service_order=order),
    )
    return _edit(
        request, access, form,
        lambda: answer_reserves(access, request.user, order, form.request()),
        f"Réponse aux réserves sur l'ordre n° {order.number} enregistrée.",
        f"Répondre aux réserves — ordre de service n° {order.number}", "Enregistrer la réponse",
        to=_back(pk, contract_pk), cancel=_back(pk, contract_pk),
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def statement_create(request: AuthenticatedRequest, pk: int, contract_pk: int) -> HttpResponse:
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
    request: AuthenticatedRequest, pk: int, contract_pk: int, statement_pk: int
) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    statement = live_statement(contract, statement_pk)
    access.require_validate()
    initial = initial_of(statement, StatementPayment)
    form = StatementDecisionForm(request.POST or None, initial=initial, current=statement)
    summary = (
        f"État d'acompte du maître d'œuvre : cumul de "
        f"{presenters.euros(statement.accepted_cumulative_ht)} HT."
    )
    return _edit(
        request, access, form,
        lambda: decide_statement(access, request.user, statement, form.request()),
        f"Acompte n° {statement.number} : décision enregistrée.",
        f"Ordonner l'acompte n° {statement.number}", "Enregistrer",
        to=_back(pk, contract_pk) + "#acomptes", cancel=_back(pk, contract_pk), summary=summary,
    )  # fmt: skip


def _lot_label(contract: Contract) -> str:
    return f"Lot {contract.lot.number} — {contract.lot.name}" if contract.lot else ""


@login_required
def order_document(
    request: AuthenticatedRequest, pk: int, contract_pk: int, order_pk: int
) -> HttpResponse:
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
    return document(
        request, "os", f"Ordre de service n° {order.number} — {contract.reference or contract.title}",
        lambda path: make_service_order(
            row, result, path,
            buyer=access.operation.organisation.name, holder=contract.holder_name,
            contract=contract_label(contract), lot=_lot_label(contract), subject=order.subject,
            description=order.description, issued_on=order.issued_on,
            signatory=order.issued_by.get_full_name() if order.issued_by else "",
        ),
    )  # fmt: skip


@login_required
def reception_document(
    request: AuthenticatedRequest, pk: int, contract_pk: int, reception_pk: int
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
    return document(
        request, "reception", f"Réception — {contract.reference or contract.title}",
        lambda path: make_reception_report(
            path,
            buyer=access.operation.organisation.name, holder=contract.holder_name,
            contract=contract_label(contract), label=reception.label,
            inspected_on=reception.inspected_on,
            notice_on=line.notice.notice_on if line.notice else None,
            decision=reception.get_decision_display(),
            effective_on=reception.effective_on, decided_on=reception.decided_on,
            note=reception.note,
            reserves=[(r.description, r.due_on, r.lifted_on) for r in line.reserves],
            result=line.result, retention=retention_release(contract, line),
            guarantor=guarantee.guarantor if guarantee else "",
            possession_on=line.possession.possession_on if line.possession else None,
            condition_survey_on=line.possession.condition_survey_on if line.possession else None,
            urgency=line.possession.urgency if line.possession else "",
        ),
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def retention_guarantee(request: AuthenticatedRequest, pk: int, contract_pk: int) -> HttpResponse:
    """The guarantee the holder gave instead of the retention money (R2191-36)."""
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    access.require_propose()
    current = RetentionGuarantee.objects.filter(contract=contract)
    existing = current.first()
    initial = initial_of(existing, GuaranteeRequest)
    form = RetentionGuaranteeForm(request.POST or None, initial=initial, current=current)
    return _edit(
        request, access, form,
        lambda: record_guarantee(access, request.user, contract, form.request()),
        "Garantie remplaçant la retenue enregistrée.",
        f"Garantie remplaçant la retenue — {contract.title}", "Enregistrer la garantie",
        to=_back(pk, contract_pk) + "#acomptes", cancel=_back(pk, contract_pk),
        summary="Constituée au plus tard à la première demande de paiement, elle dispense les "
        "acomptes de la retenue de garantie ; sinon la retenue est prélevée sur les acomptes "
        "demandés avant (CCP R2191-36).",
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def completion_notice(
    request: AuthenticatedRequest, pk: int, contract_pk: int, reception_pk: int
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
    return _edit(
        request, access, form,
        lambda: record_completion_notice(
            access, request.user, contract, line.reception, form.request()
        ),
        "Avis d'achèvement enregistré.", f"Avis d'achèvement — {line.reception.label}",
        "Enregistrer l'avis", to=_back(pk, contract_pk) + "#reception",
        cancel=_back(pk, contract_pk),
        summary="Le titulaire avise le maître d'ouvrage et le maître d'œuvre de l'achèvement "
        "des travaux ; les opérations préalables à la réception ont lieu dans les vingt jours "
        "(CCAG-Travaux 2021, art. 41.1).",
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def possession(
    request: AuthenticatedRequest, pk: int, contract_pk: int, reception_pk: int
) -> HttpResponse:
    """The buyer taking possession of the works, and the condition survey that precedes it when
    it comes before the reception (CCAG-Travaux 2021, art. 41.8, 42.2)."""
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    line = live_reception(contract, reception_pk)
    access.require_edit()
    current = WorksPossession.objects.filter(reception=line.reception)
    initial = initial_of(current.first(), PossessionRequest)
    form = PossessionForm(request.POST or None, initial=initial, current=current)
    return _edit(
        request, access, form,
        lambda: record_possession(access, request.user, contract, line.reception, form.request()),
        "Prise de possession enregistrée.", f"Prise de possession — {line.reception.label}",
        "Enregistrer la prise de possession", to=_back(pk, contract_pk) + "#reception",
        cancel=_back(pk, contract_pk),
        summary="Toute prise de possession des ouvrages suit leur réception ; avant elle, "
        "seulement en cas d'urgence et après un état des lieux contradictoire (CCAG-Travaux "
        "2021, art. 41.8). Pour certains ouvrages avant l'achèvement de l'ensemble, une "
        "réception partielle la précède et transfère la garde (art. 42.2).",
    )  # fmt: skip
