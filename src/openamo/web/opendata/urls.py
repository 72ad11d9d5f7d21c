from __future__ import annotations

from django.urls import path

from openamo.web.opendata import views

app_name = "opendata"

ORG = "donnees-essentielles/<int:org>/"

urlpatterns = [
    path("donnees-essentielles/", views.index, name="index"),
    path(ORG, views.portfolio, name="portfolio"),
    path(f"{ORG}marches/<int:pk>/", views.essential, name="essential"),
    path(f"{ORG}publier/", views.publish, name="publish"),
    path(f"{ORG}publications/<int:pk>/", views.publication_download, name="publication"),
    path(f"{ORG}audit/", views.audit, name="audit"),
    path(f"{ORG}import/", views.import_upload, name="import"),
    path(f"{ORG}import/<int:pk>/", views.import_detail, name="import_detail"),
]
