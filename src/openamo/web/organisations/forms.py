from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from openamo.web.forms import OpenAMOForm
from openamo.web.organisations.models import Role


class LoginForm(AuthenticationForm, OpenAMOForm):
    username = forms.CharField(
        label="Identifiant",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class MemberForm(OpenAMOForm):
    username = forms.RegexField(
        label="Identifiant",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={
            "invalid": "Lettres, chiffres et les caractères . @ + - _ uniquement, sans espace."
        },
        help_text="Par exemple : prenom.nom. Un compte existant est simplement ajouté.",
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        error_messages={"invalid": "Saisissez une adresse électronique valide."},
    )
    role = forms.ChoiceField(label="Rôle du nouveau membre", choices=Role.choices)


class RoleForm(OpenAMOForm):
    role = forms.ChoiceField(label="Nouveau rôle", choices=Role.choices)


class PasswordForm(PasswordChangeForm, OpenAMOForm):
    """Django's password change (validators of the settings), with DSFR rendering."""
