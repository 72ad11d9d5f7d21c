from __future__ import annotations

from django.urls import path

from openamo.web.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("operations/", views.operation_list, name="list"),
    path("operations/nouvelle/", views.operation_create, name="create"),
    path("operations/<int:pk>/", views.operation_detail, name="detail"),
    path("operations/<int:pk>/modifier/", views.operation_edit, name="edit"),
    path("operations/<int:pk>/supprimer/", views.operation_delete, name="delete"),
    path("operations/<int:pk>/besoin/", views.need_edit, name="need"),
    path("operations/<int:pk>/lots/nouveau/", views.lot_create, name="lot_create"),
    path("operations/<int:pk>/lots/<int:lot_pk>/modifier/", views.lot_edit, name="lot_edit"),
    path("operations/<int:pk>/lots/<int:lot_pk>/supprimer/", views.lot_delete, name="lot_delete"),
    path("operations/<int:pk>/procedure/assistant/", views.wizard, name="wizard"),
    path("operations/<int:pk>/procedure/", views.consultation, name="consultation"),
    path("operations/<int:pk>/procedure/valider/", views.validate, name="validate"),
    path("operations/<int:pk>/partage/", views.sharing, name="sharing"),
    path("operations/<int:pk>/historique/", views.history, name="history"),
]
