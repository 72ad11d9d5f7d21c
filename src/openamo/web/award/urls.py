from __future__ import annotations

from django.urls import path

from openamo.web.award.views import analysis, candidacies, criteria, documents, offers

app_name = "award"

BASE = "operations/<int:pk>/passation/"
LOT = BASE + "lots/<int:lot_pk>/"
OFFER = LOT + "offres/<int:offer_pk>/"

urlpatterns = [
    path(BASE, criteria.index, name="index"),
    path(BASE + "criteres/", criteria.criteria, name="criteria"),
    path(BASE + "criteres/modifier/", criteria.criteria_edit, name="criteria_edit"),
    path(BASE + "criteres/valider/", criteria.criteria_validate, name="criteria_validate"),
    path(BASE + "criteres/<int:index>/", criteria.criterion_edit, name="criterion_edit"),
    path(BASE + "candidatures/", candidacies.candidacies, name="candidacies"),
    path(BASE + "candidatures/nouvelle/", candidacies.candidacy_create, name="candidacy_create"),
    path(
        BASE + "candidatures/<int:candidacy_pk>/modifier/",
        candidacies.candidacy_edit,
        name="candidacy_edit",
    ),
    path(
        BASE + "candidatures/<int:candidacy_pk>/supprimer/",
        candidacies.candidacy_delete,
        name="candidacy_delete",
    ),
    path(LOT + "offres/", offers.offers, name="offers"),
    path(LOT + "offres/nouvelle/", offers.offer_create, name="offer_create"),
    path(OFFER + "modifier/", offers.offer_edit, name="offer_edit"),
    path(OFFER + "notes/", offers.offer_marks, name="offer_marks"),
    path(OFFER + "supprimer/", offers.offer_delete, name="offer_delete"),
    path(LOT + "analyse/", analysis.analysis, name="analysis"),
    path(LOT + "analyse/valider/", analysis.validate, name="validate"),
    path(LOT + "analyse/rouvrir/", analysis.reopen, name="reopen"),
    path(LOT + "rapport.docx", analysis.report_docx, name="report_docx"),
    path(LOT + "rapport.pdf", analysis.report_pdf, name="report_pdf"),
    path(LOT + "lettres.zip", analysis.letters_zip, name="letters_zip"),
    path(LOT + "demandes.zip", analysis.requests_zip, name="requests_zip"),
    path(BASE + "dce/", documents.dce_settings, name="dce_settings"),
    path(BASE + "dce.zip", documents.dce_download, name="dce_download"),
]
