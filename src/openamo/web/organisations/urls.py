from __future__ import annotations

from django.urls import path

from openamo.web.organisations import views

app_name = "organisations"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password"),
    path("organisations/<int:pk>/membres/", views.members, name="members"),
    path(
        "organisations/<int:pk>/membres/<int:membership_pk>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "organisations/<int:pk>/membres/<int:membership_pk>/retirer/",
        views.member_remove,
        name="member_remove",
    ),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
