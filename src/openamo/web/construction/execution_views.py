"""Pages of the works in execution: lots by trade, a works contract's orders and their reserves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web.construction import execution, presenters, services
from openamo.web.construction.forms import OrderReservesForm, ReservesAnswerForm
from openamo.web.construction.views import GET_POST, _access, _done, _form_page, _page, _safe
from openamo.web.contracts.models import Contract


@login_required
def works(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    rows, review = execution.works_lots(access)
    lines = []
    for row in rows:
        contracts: list[Contract | None] = [*row.contracts] or [None]
        for contract in contracts:
            summary = None
            if contract is not None:
                orders = execution.issued_orders(contract)
                summary = _safe(lambda c=contract, o=orders: execution.orders_result(c, o))
            lines.append({"lot": row.lot, "contract": contract, "orders": summary,
                          "amount": presenters.euros(contract.initial_amount_ht) if contract
                          else presenters.euros(row.lot.estimated_amount_ht if row.lot else None)})  # fmt: skip
    return _page(request, "works.html", "Lots et marchés de travaux", access, lines=lines,
                 review=review)  # fmt: skip


@login_required
def works_contract(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    orders = execution.issued_orders(contract)
    result = _safe(lambda: execution.orders_result(contract, orders))
    error = result.get("error") if isinstance(result, dict) else None
    lines = execution.order_lines(orders, None if error else result)
    return _page(
        request, "works_contract.html", contract.title, access, contract=contract,
        orders=None if error else result, order_error=error, lines=lines,
        amount=presenters.euros(contract.initial_amount_ht),
        statuses=presenters.ORDER_STATUS,
    )  # fmt: skip


def _back(pk: int, contract_pk: int) -> str:
    return reverse("construction:works_contract", args=[pk, contract_pk])


@login_required
@require_http_methods(GET_POST)
def order_reserves(request: HttpRequest, pk: int, contract_pk: int, order_pk: int) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    order = execution.live_order(contract, order_pk)
    access.require_edit()
    form = OrderReservesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            execution.record_reserves(access, request.user, order, form.cleaned_data)
        except OpenAMOError as exc:
            form.add_error(None, str(exc))
        else:
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
    order = execution.live_order(contract, order_pk)
    access.require_validate()
    form = ReservesAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            execution.answer_reserves(access, request.user, order, form.cleaned_data)
        except OpenAMOError as exc:
            form.add_error(None, str(exc))
        else:
            return _done(request, access, f"Réponse aux réserves sur l'ordre n° {order.number} "
                         "enregistrée.", to=_back(pk, contract_pk))  # fmt: skip
    return _form_page(request, access, f"Répondre aux réserves — ordre de service n° {order.number}",
                      form, "Enregistrer la réponse", cancel=_back(pk, contract_pk))  # fmt: skip
