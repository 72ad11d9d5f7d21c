from __future__ import annotations

from django.urls import path

from openamo.web.amendments import views

app_name = "amendments"

AMENDMENT = "marches/<int:pk>/avenants/<int:amendment_pk>/"

urlpatterns = [
    path("avenants/", views.overview, name="overview"),
    path("marches/<int:pk>/avenants/", views.amendment_list, name="list"),
    path("marches/<int:pk>/avenants/nouveau/", views.create, name="create"),
    path(AMENDMENT, views.detail, name="detail"),
    path(f"{AMENDMENT}modifier/", views.edit, name="edit"),
    path(f"{AMENDMENT}etapes/<slug:action>/", views.step, name="step"),
    path(f"{AMENDMENT}echanges/nouveau/", views.exchange, name="exchange"),
    path(f"{AMENDMENT}reponse-du-titulaire/", views.respond, name="respond"),
    path(f"{AMENDMENT}pieces/<int:attachment_pk>/", views.attachment, name="attachment"),
    path(f"{AMENDMENT}avenant.<str:kind>", views.document, name="document"),
]
