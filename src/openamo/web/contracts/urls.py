from __future__ import annotations

from django.urls import path

from openamo.web.contracts import payment_views, price_views, quality_views, views

app_name = "contracts"

C = "marches/<int:pk>/"

urlpatterns = [
    path("marches/", views.contract_list, name="list"),
    path("marches/nouveau/", views.create, name="create"),
    path(
        "marches/nouveau/operation/<int:operation_pk>/",
        views.create_from_operation,
        name="create_from_operation",
    ),
    path("marches/factures/", payment_views.invoices_dashboard, name="invoices_dashboard"),
    path("marches/evaluations/", views.evaluations, name="evaluations"),
    path(C, views.detail, name="detail"),
    path(f"{C}modifier/", views.edit, name="edit"),
    path(f"{C}supprimer/", views.delete, name="delete"),
    path(f"{C}historique/", views.history, name="history"),
    path(
        f"{C}reconductions/<int:renewal_pk>/decision/",
        views.renewal_decide,
        name="renewal_decide",
    ),
    path(f"{C}sous-traitants/nouveau/", views.subcontractor_create, name="subcontractor_create"),
    path(
        f"{C}sous-traitants/<int:sub_pk>/modifier/",
        views.subcontractor_edit,
        name="subcontractor_edit",
    ),
    path(
        f"{C}sous-traitants/<int:sub_pk>/retirer/",
        views.subcontractor_delete,
        name="subcontractor_delete",
    ),
    path(f"{C}prix/", price_views.prices_page, name="prices"),
    path(f"{C}prix/formule/", price_views.formula, name="formula"),
    path(f"{C}prix/termes/nouveau/", price_views.term_create, name="term_create"),
    path(f"{C}prix/termes/<int:term_pk>/retirer/", price_views.term_delete, name="term_delete"),
    path(f"{C}prix/indices/nouvelle-valeur/", price_views.index_value, name="index_value"),
    path(f"{C}prix/indices/import/", price_views.index_import, name="index_import"),
    path(f"{C}prix/revisions/nouvelle/", price_views.revision_create, name="revision_create"),
    path(
        f"{C}prix/revisions/<int:revision_pk>/",
        price_views.revision_detail,
        name="revision_detail",
    ),
    path(f"{C}paiements/", payment_views.payments_page, name="payments"),
    path(f"{C}commandes/nouvelle/", payment_views.order_create, name="order_create"),
    path(f"{C}commandes/<int:order_pk>/modifier/", payment_views.order_edit, name="order_edit"),
    path(f"{C}factures/nouvelle/", payment_views.invoice_create, name="invoice_create"),
    path(f"{C}factures/<int:invoice_pk>/", payment_views.invoice_detail, name="invoice_detail"),
    path(
        f"{C}factures/<int:invoice_pk>/modifier/", payment_views.invoice_edit, name="invoice_edit"
    ),
    path(
        f"{C}factures/<int:invoice_pk>/annuler/",
        payment_views.invoice_cancel,
        name="invoice_cancel",
    ),
    path(f"{C}qualite/", quality_views.quality_page, name="quality"),
    path(
        f"{C}ordres-de-service/nouveau/",
        quality_views.service_order_create,
        name="service_order_create",
    ),
    path(
        f"{C}ordres-de-service/<int:order_pk>/emettre/",
        quality_views.service_order_issue,
        name="service_order_issue",
    ),
    path(f"{C}receptions/nouvelle/", quality_views.reception_create, name="reception_create"),
    path(
        f"{C}receptions/<int:reception_pk>/reserves/nouvelle/",
        quality_views.reserve_create,
        name="reserve_create",
    ),
    path(
        f"{C}receptions/<int:reception_pk>/decision/",
        quality_views.reception_decide,
        name="reception_decide",
    ),
    path(f"{C}reserves/<int:reserve_pk>/levee/", quality_views.reserve_lift, name="reserve_lift"),
    path(f"{C}penalites/nouvelle/", quality_views.penalty_create, name="penalty_create"),
    path(
        f"{C}penalites/<int:penalty_pk>/decision/",
        quality_views.penalty_decide,
        name="penalty_decide",
    ),
    path(f"{C}evaluations/nouvelle/", quality_views.evaluation_create, name="evaluation_create"),
]
