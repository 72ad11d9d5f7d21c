from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from openamo.web.forms import OpenAMOForm


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
