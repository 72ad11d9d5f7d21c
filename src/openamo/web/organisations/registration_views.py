"""Sign-up by e-mail, then creating one's organisation by SIRET or asking to join it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations import registration
from openamo.web.organisations.forms import JoinForm, NewAccountForm, OrganisationForm, SignupForm
from openamo.web.organisations.mail import absolute_url
from openamo.web.organisations.models import Organisation
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("organisations:organisation_create")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        registration.start_signup(email, lambda path: absolute_url(path, request))
        context = page_context("Vérifiez votre messagerie", email=email)
        return render(request, "organisations/signup_sent.html", context)
    status = 400 if request.method == "POST" else 200
    context = page_context("Créer un compte", form=form)
    return render(request, "organisations/signup.html", context, status=status)


def _expired(request: HttpRequest, title: str, message: str) -> HttpResponse:
    context = page_context(title, message=message)
    return render(request, "organisations/link_expired.html", context, status=404)


@require_http_methods(["GET", "POST"])
def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    email = registration.signup_email(token)
    if email is None:
        return _expired(
            request,
            "Lien d'inscription expiré",
            "Ce lien a déjà servi ou n'est plus valable (deux jours). Recommencez l'inscription, "
            "ou connectez-vous si vous avez créé votre compte.",
        )
    form = NewAccountForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        user = registration.finish_signup(token, form.to_input())
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, "Compte créé. Indiquez maintenant votre organisation.")
        return redirect("organisations:organisation_create")
    status = 400 if request.method == "POST" else 200
    context = page_context("Créer votre compte", form=form, email=email)
    return render(request, "organisations/signup_finish.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthenticatedRequest) -> HttpResponse:
    # Prefilled with the SIRET ProConnect gave, when it sends the person here.
    siret = request.GET.get("siret", "")
    initial = {"siret": siret} if siret.isdigit() and len(siret) == 14 else {}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        existing = Organisation.objects.filter(siret=form.cleaned_data["siret"]).first()
        if existing is not None:
            return redirect("organisations:join", existing.siret)
        try:
            organisation = registration.create_organisation(
                request.user, form.to_input(), founder=request.user
            )
        except PermissionRefused:  # created by someone else meanwhile
            return redirect("organisations:join", form.cleaned_data["siret"])
        messages.success(
            request,
            f"Organisation « {organisation.name} » créée : vous en êtes le premier responsable. "
            "Invitez vos collègues depuis cette page.",
        )
        return redirect("organisations:members", organisation.pk)
    status = 400 if request.method == "POST" else 200
    context = page_context(
        "Créer ou rejoindre une organisation",
        ("Mon compte", reverse("organisations:account")),
        form=form,
    )
    return render(request, "organisations/organisation_create.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: AuthenticatedRequest, siret: str) -> HttpResponse:
    organisation = Organisation.objects.filter(siret=siret).exclude(siret="").first()
    if organisation is None:
        return redirect("organisations:organisation_create")
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.request_to_join(
                request.user,
                organisation,
                form.cleaned_data["message"],
                lambda path: absolute_url(path, request),
            )
        except PermissionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"Demande envoyée aux responsables de « {organisation.name} ». Vous aurez accès "
                "à l'organisation dès que l'un d'eux l'aura acceptée ; un courriel vous préviendra.",
            )
            return redirect("organisations:account")
    context = page_context(
        f"Rejoindre {organisation.name}",
        ("Mon compte", reverse("organisations:account")),
        organisation=organisation,
        form=form,
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "organisations/join.html", context, status=status)
