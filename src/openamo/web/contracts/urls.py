from __future__ import annotations

from django.urls import path

from openamo.web.contracts.views import (
    contract,
    creation,
    payments,
    prices,
    quality,
    subcontractors,
)

app_name = "contracts"

C = "marches/<int:pk>/"

urlpatterns = [
    path("marches/", contract.contract_list, name="list"),
    path("marches/nouveau/", creation.create, name="create"),
    path(
        "marches/nouveau/operation/<int:operation_pk>/",
        creation.create_from_operation,
        name="create_from_operation",
    ),
    path("marches/factures/", payments.invoices_dashboard, name="invoices_dashboard"),
    path("marches/evaluations/", contract.evaluations, name="evaluations"),
    path(C, contract.detail, name="detail"),
    path(f"{C}modifier/", contract.edit, name="edit"),
    path(f"{C}supprimer/", contract.delete, name="delete"),
    path(f"{C}historique/", contract.history, name="history"),
    path(
        f"{C}reconductions/<int:renewal_pk>/decision/",
        contract.renewal_decide,
        name="renewal_decide",
    ),
    path(
        f"{C}sous-traitants/nouveau/",
        subcontractors.subcontractor_create,
        name="subcontractor_create",
    ),
    path(
        f"{C}sous-traitants/<int:sub_pk>/modifier/",
        subcontractors.subcontractor_edit,
        name="subcontractor_edit",
    ),
    path(
        f"{C}sous-traitants/<int:sub_pk>/retirer/",
        subcontractors.subcontractor_delete,
        name="subcontractor_delete",
    ),
    path(f"{C}prix/", prices.prices_page, name="prices"),
    path(f"{C}prix/formule/", prices.formula, name="formula"),
    path(f"{C}prix/termes/nouveau/", prices.term_create, name="term_create"),
    path(f"{C}prix/termes/<int:term_pk>/retirer/", prices.term_delete, name="term_delete"),
    path(f"{C}prix/indices/nouvelle-valeur/", prices.index_value, name="index_value"),
    path(f"{C}prix/indices/import/", prices.index_import, name="index_import"),
    path(f"{C}prix/revisions/nouvelle/", prices.revision_create, name="revision_create"),
    path(
        f"{C}prix/revisions/<int:revision_pk>/",
        prices.revision_detail,
        name="revision_detail",
    ),
    path(f"{C}paiements/", payments.payments_page, name="payments"),
    path(f"{C}commandes/nouvelle/", payments.order_create, name="order_create"),
    path(f"{C}commandes/<int:order_pk>/modifier/", payments.order_edit, name="order_edit"),
    path(f"{C}factures/nouvelle/", payments.invoice_create, name="invoice_create"),
    path(f"{C}factures/<int:invoice_pk>/", payments.invoice_detail, name="invoice_detail"),
    path(f"{C}factures/<int:invoice_pk>/modifier/", payments.invoice_edit, name="invoice_edit"),
    path(
        f"{C}factures/<int:invoice_pk>/annuler/",
        payments.invoice_cancel,
        name="invoice_cancel",
    ),
    path(f"{C}qualite/", quality.quality_page, name="quality"),
    path(
        f"{C}ordres-de-service/nouveau/",
        quality.service_order_create,
        name="service_order_create",
    ),
    path(
        f"{C}ordres-de-service/<int:order_pk>/emettre/",
        quality.service_order_issue,
        name="service_order_issue",
    ),
    path(f"{C}receptions/nouvelle/", quality.reception_create, name="reception_create"),
    path(
        f"{C}receptions/<int:reception_pk>/reserves/nouvelle/",
        quality.reserve_create,
        name="reserve_create",
    ),
    path(
        f"{C}receptions/<int:reception_pk>/decision/",
        quality.reception_decide,
        name="reception_decide",
    ),
    path(f"{C}reserves/<int:reserve_pk>/levee/", quality.reserve_lift, name="reserve_lift"),
    path(f"{C}penalites/nouvelle/", quality.penalty_create, name="penalty_create"),
    path(
        f"{C}penalites/<int:penalty_pk>/decision/",
        quality.penalty_decide,
        name="penalty_decide",
    ),
    path(f"{C}evaluations/nouvelle/", quality.evaluation_create, name="evaluation_create"),
]
