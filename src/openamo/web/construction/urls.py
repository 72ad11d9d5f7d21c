from __future__ import annotations

from django.urls import path

from openamo.web.construction import execution_views, views

app_name = "construction"

BASE = "operations/<int:pk>/travaux/"

urlpatterns = [
    path(BASE, views.dashboard, name="dashboard"),
    path(BASE + "demarrer/", views.start, name="start"),
    path(BASE + "programme/", views.programme, name="programme"),
    path(BASE + "programme/document/", views.programme_document, name="programme_document"),
    path(BASE + "enveloppe/", views.envelope, name="envelope"),
    path(BASE + "organisation/", views.organisation, name="organisation"),
    path(BASE + "maitrise-oeuvre/", views.moe, name="moe"),
    path(BASE + "maitrise-oeuvre/marche/", views.moe_contract, name="moe_contract"),
    path(BASE + "maitrise-oeuvre/document/", views.moe_document, name="moe_document"),
    path(BASE + "phases/<slug:phase>/", views.phase, name="phase"),
    path(BASE + "phases/<slug:phase>/decider/", views.phase_decide, name="phase_decide"),
    path(BASE + "marches/", execution_views.works, name="works"),
    path(
        BASE + "marches/<int:contract_pk>/", execution_views.works_contract, name="works_contract"
    ),
    path(
        BASE + "marches/<int:contract_pk>/ordres-de-service/<int:order_pk>/reserves/",
        execution_views.order_reserves,
        name="order_reserves",
    ),
    path(
        BASE + "marches/<int:contract_pk>/ordres-de-service/<int:order_pk>/reponse/",
        execution_views.order_answer,
        name="order_answer",
    ),
    path(
        BASE + "marches/<int:contract_pk>/ordres-de-service/<int:order_pk>/document/",
        execution_views.order_document,
        name="order_document",
    ),
    path(
        BASE + "marches/<int:contract_pk>/receptions/<int:reception_pk>/document/",
        execution_views.reception_document,
        name="reception_document",
    ),
    path(
        BASE + "marches/<int:contract_pk>/receptions/<int:reception_pk>/avis-achevement/",
        execution_views.completion_notice,
        name="completion_notice",
    ),
    path(
        BASE + "marches/<int:contract_pk>/receptions/<int:reception_pk>/prise-de-possession/",
        execution_views.possession,
        name="possession",
    ),
    path(
        BASE + "marches/<int:contract_pk>/garantie-retenue/",
        execution_views.retention_guarantee,
        name="retention_guarantee",
    ),
    path(
        BASE + "marches/<int:contract_pk>/acomptes/nouveau/",
        execution_views.statement_create,
        name="statement_create",
    ),
    path(
        BASE + "marches/<int:contract_pk>/acomptes/<int:statement_pk>/decider/",
        execution_views.statement_decide,
        name="statement_decide",
    ),
    path(BASE + "marches/<int:contract_pk>/decompte/", views.final_account, name="final_account"),
    path(
        BASE + "marches/<int:contract_pk>/decompte/lettre/",
        views.final_account_letter,
        name="final_account_letter",
    ),
]
