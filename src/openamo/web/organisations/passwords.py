"""Passwords: changing one's own, resetting it by e-mail (Django's flow with DSFR pages), and
the provisional password (set by platform staff) that must be replaced before anything else.

Changing or resetting a password ends the account's other sessions (Django checks a hash of the
password in every session); a reset also lifts a login lockout.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

from openamo.web.organisations import throttle
from openamo.web.organisations.forms import PasswordForm, ResetPasswordForm, ResetRequestForm
from openamo.web.organisations.models import ProvisionalPassword
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedUser

SESSION_FLAG = "openamo_provisional_password"


def mark_provisional(user: AuthenticatedUser) -> None:
    ProvisionalPassword.objects.get_or_create(user=user)


def clear_provisional(request: HttpRequest, user: AuthenticatedUser) -> None:
    ProvisionalPassword.objects.filter(user=user).delete()
    request.session.pop(SESSION_FLAG, None)


@receiver(user_logged_in)
def _flag_provisional_password(
    sender: type[AuthenticatedUser],
    request: HttpRequest | None,
    user: AuthenticatedUser,
    **_: object,
) -> None:
    if request is not None and ProvisionalPassword.objects.filter(user=user).exists():
        request.session[SESSION_FLAG] = True


class ProvisionalPasswordMiddleware:
    """While the password is provisional, every page but the password change (and signing out)
    leads to it; the API answers 403 in French."""

    ALLOWED = ("organisations:password", "organisations:logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_FLAG) and request.user.is_authenticated:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Changez d'abord votre mot de passe provisoire."}, status=403
                    )
                return redirect("organisations:password")
        response: HttpResponse = self.get_response(request)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "organisations/password_change.html"
    form_class = PasswordForm
    success_url = reverse_lazy("organisations:account")
    extra_context = {
        **page_context("Changer mon mot de passe", ("Mon compte", "/compte/")),
        "submit": "Changer le mot de passe",
    }

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["provisional"] = bool(self.request.session.get(SESSION_FLAG))
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session, ends the others
        clear_provisional(self.request, form.user)
        messages.success(self.request, "Mot de passe changé.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether the address has an account or not."""

    template_name = "organisations/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "organisations/mail/password_reset.txt"
    subject_template_name = "organisations/mail/password_reset_subject.txt"
    success_url = reverse_lazy("organisations:password_reset_done")
    extra_context = page_context("Mot de passe oublié", ("Connexion", "/connexion/"))


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "organisations/password_reset_done.html"
    extra_context = page_context("Vérifiez votre messagerie", ("Connexion", "/connexion/"))


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "organisations/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("organisations:login")
    extra_context = page_context("Choisir un nouveau mot de passe", ("Connexion", "/connexion/"))

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        clear_provisional(self.request, form.user)
        throttle.forget_account(form.user.get_username(), form.user.email)
        messages.success(
            self.request,
            "Mot de passe changé. Connectez-vous avec votre nouveau mot de passe ; vos autres "
            "sessions ont été fermées.",
        )
        return response
