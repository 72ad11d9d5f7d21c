from __future__ import annotations

from django.urls import path

from openamo.web.organisations import views

app_name = "organisations"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("compte/", views.account, name="account"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
