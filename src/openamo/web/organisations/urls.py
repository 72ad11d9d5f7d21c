from __future__ import annotations

from django.urls import path

from openamo.web.organisations import (
    invitation_views,
    passwords,
    proconnect,
    proconnect_views,
    registration_views,
    views,
)

app_name = "organisations"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path(
        "proconnect/connexion/", proconnect.ProConnectLoginView.as_view(), name="proconnect_login"
    ),
    path(
        "proconnect/retour/",
        proconnect.ProConnectCallbackView.as_view(),
        name="proconnect_callback",
    ),
    path("proconnect/suite/", proconnect_views.after_login, name="proconnect_next"),
    path("proconnect/echec/", proconnect_views.failed, name="proconnect_failed"),
    path("proconnect/relier/", proconnect_views.link, name="proconnect_link"),
    path("proconnect/deconnecte/", proconnect_views.logged_out, name="proconnect_logged_out"),
    path("compte/", views.account, name="account"),
    path("compte/mot-de-passe/", passwords.PasswordChangeView.as_view(), name="password"),
    path("mot-de-passe-oublie/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        passwords.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("inscription/", registration_views.signup, name="signup"),
    path("inscription/<str:token>/", registration_views.signup_finish, name="signup_finish"),
    path(
        "organisations/nouvelle/",
        registration_views.organisation_create,
        name="organisation_create",
    ),
    path("organisations/rejoindre/<str:siret>/", registration_views.join, name="join"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path("organisations/<int:pk>/identite/", views.identity, name="identity"),
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
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/annuler/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisations/<int:pk>/demandes/<int:request_pk>/",
        views.join_decide,
        name="join_decide",
    ),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
