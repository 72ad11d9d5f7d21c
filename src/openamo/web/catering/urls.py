from __future__ import annotations

from django.urls import path

from openamo.web.catering import views

app_name = "catering"

urlpatterns = [
    path("restauration/", views.index, name="index"),
    path("restauration/modele-dqe.csv", views.dqe_template, name="dqe_template"),
    path("restauration/<int:org>/", views.dashboard, name="dashboard"),
    path("restauration/<int:org>/achats/", views.purchase_list, name="purchases"),
    path("restauration/<int:org>/achats/nouveau/", views.purchase_create, name="purchase_create"),
    path(
        "restauration/<int:org>/achats/<int:pk>/modifier/",
        views.purchase_edit,
        name="purchase_edit",
    ),
    path(
        "restauration/<int:org>/achats/<int:pk>/supprimer/",
        views.purchase_delete,
        name="purchase_delete",
    ),
    path("restauration/<int:org>/import/", views.import_upload, name="import_upload"),
    path("restauration/<int:org>/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("restauration/<int:org>/export/", views.export, name="export"),
    path("restauration/<int:org>/previsions/", views.forecasts, name="forecasts"),
    path(
        "restauration/<int:org>/previsions/<int:pk>/",
        views.forecast_detail,
        name="forecast_detail",
    ),
    path(
        "restauration/<int:org>/previsions/<int:pk>/supprimer/",
        views.forecast_delete,
        name="forecast_delete",
    ),
    path("restauration/<int:org>/historique/", views.history, name="history"),
    path("restauration/<int:org>/profil/", views.profile_edit, name="profile"),
]
