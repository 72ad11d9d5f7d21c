"""Sign in and out (django-axes throttles failed attempts), and the user's account page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openamo.web.organisations.access import memberships
from openamo.web.organisations.forms import LoginForm
from openamo.web.pages import page_context


class LoginView(auth_views.LoginView):
    template_name = "organisations/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = page_context("Connexion")


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def account(request: HttpRequest) -> HttpResponse:
    context = page_context("Mon compte", memberships=memberships(request.user))
    return render(request, "organisations/account.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/accessibility.html", page_context("Accessibilité"))
