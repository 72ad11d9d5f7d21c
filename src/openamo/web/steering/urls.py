from __future__ import annotations

from django.urls import path

from openamo.web.steering.views import changes, dashboard, follow_up, framing, roi

app_name = "steering"

BASE = "operations/<int:pk>/pilotage/"

urlpatterns = [
    path(BASE, dashboard.dashboard, name="dashboard"),
    path(BASE + "cadrage/", framing.framing, name="framing"),
    path(BASE + "cadrage/questionnaire/", framing.framing_edit, name="framing_edit"),
    path(BASE + "base-de-reference/", framing.baseline, name="baseline"),
    path(BASE + "base-de-reference/produire/", framing.baseline_produce, name="baseline_produce"),
    path(BASE + "base-de-reference/valider/", framing.baseline_validate, name="baseline_validate"),
    path(BASE + "evolutions/", changes.changes, name="changes"),
    path(BASE + "evolutions/nouvelle/", changes.change_create, name="change_create"),
    path(BASE + "evolutions/<int:change_pk>/", changes.change_detail, name="change_detail"),
    path(BASE + "evolutions/<int:change_pk>/modifier/", changes.change_edit, name="change_edit"),
    path(BASE + "evolutions/<int:change_pk>/decider/", changes.change_decide, name="change_decide"),
    path(BASE + "planning/", follow_up.schedule, name="schedule"),
    path(BASE + "planning/<slug:milestone>/", follow_up.milestone_edit, name="milestone_edit"),
    path(BASE + "risques/", follow_up.risks, name="risks"),
    path(BASE + "risques/nouveau/", follow_up.risk_create, name="risk_create"),
    path(BASE + "risques/<slug:risk>/", follow_up.risk_edit, name="risk_edit"),
    path(BASE + "indicateurs/", follow_up.kpis, name="kpis"),
    path(
        BASE + "indicateurs/mesures/<int:measurement_pk>/supprimer/",
        follow_up.measurement_delete,
        name="measurement_delete",
    ),
    path(BASE + "cout-de-la-derive/", roi.roi, name="roi"),
    path(BASE + "rapport.pdf", dashboard.report_document, {"fmt": "pdf"}, name="report_pdf"),
    path(BASE + "rapport.docx", dashboard.report_document, {"fmt": "docx"}, name="report_docx"),
]
