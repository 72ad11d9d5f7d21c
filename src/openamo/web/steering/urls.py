from __future__ import annotations

from django.urls import path

from openamo.web.steering import views

app_name = "steering"

BASE = "operations/<int:pk>/pilotage/"

urlpatterns = [
    path(BASE, views.dashboard, name="dashboard"),
    path(BASE + "cadrage/", views.framing, name="framing"),
    path(BASE + "cadrage/questionnaire/", views.framing_edit, name="framing_edit"),
    path(BASE + "base-de-reference/", views.baseline, name="baseline"),
    path(BASE + "base-de-reference/produire/", views.baseline_produce, name="baseline_produce"),
    path(BASE + "base-de-reference/valider/", views.baseline_validate, name="baseline_validate"),
    path(BASE + "evolutions/", views.changes, name="changes"),
    path(BASE + "evolutions/nouvelle/", views.change_create, name="change_create"),
    path(BASE + "evolutions/<int:change_pk>/", views.change_detail, name="change_detail"),
    path(BASE + "evolutions/<int:change_pk>/modifier/", views.change_edit, name="change_edit"),
    path(BASE + "evolutions/<int:change_pk>/decider/", views.change_decide, name="change_decide"),
    path(BASE + "planning/", views.schedule, name="schedule"),
    path(BASE + "planning/<slug:milestone>/", views.milestone_edit, name="milestone_edit"),
    path(BASE + "risques/", views.risks, name="risks"),
    path(BASE + "risques/nouveau/", views.risk_create, name="risk_create"),
    path(BASE + "risques/<slug:risk>/", views.risk_edit, name="risk_edit"),
    path(BASE + "indicateurs/", views.kpis, name="kpis"),
    path(
        BASE + "indicateurs/mesures/<int:measurement_pk>/supprimer/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path(BASE + "cout-de-la-derive/", views.roi, name="roi"),
    path(BASE + "rapport.pdf", views.report_document, {"fmt": "pdf"}, name="report_pdf"),
    path(BASE + "rapport.docx", views.report_document, {"fmt": "docx"}, name="report_docx"),
]
