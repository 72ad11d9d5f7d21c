"""After a ProConnect sign-in: where the person goes (their invitations accepted, a request to
join the organisation of their SIRET, or creating it), confirming the link with an account
that already had their address, and the return from ProConnect's logout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from openamo.web.organisations import invitations, proconnect, throttle
from openamo.web.organisations.forms import ProConnectLinkForm
from openamo.web.organisations.models import JoinRequest, Membership, Organisation
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest, AuthenticatedUser

LOGIN_CRUMB = ("Connexion", "/connexion/")


def unavailable(request: HttpRequest) -> HttpResponse:
    context = page_context("ProConnect est momentanément indisponible", LOGIN_CRUMB)
    return render(request, "organisations/proconnect_unavailable.html", context, status=503)


def _next_page(request: HttpRequest) -> str:
    asked = request.session.pop("oidc_login_next", None)
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return str(asked)
    return reverse("operations:dashboard")


@login_required
def after_login(request: AuthenticatedRequest) -> HttpResponse:
    """First the invitations sent to the address ProConnect vouches for; then, for someone
    who belongs nowhere yet, the organisation of their SIRET (asked to let them in) or its
    creation, prefilled."""
    proconnect.require_enabled()
    user: AuthenticatedUser = request.user
    # Only the address ProConnect vouched for in this session accepts invitations by itself.
    claims = request.session.get(proconnect.CLAIMS_SESSION) or {}
    if claims.get("email"):
        for membership in invitations.accept_all_for_email(user, claims["email"]):
            messages.success(request, f"Vous avez rejoint « {membership.organisation.name} ».")
    if Membership.objects.filter(user=user, ended_at__isnull=True).exists():
        return redirect(_next_page(request))
    siret = str(claims.get("siret") or "")
    organisation = Organisation.objects.filter(siret=siret).exclude(siret="").first()
    if organisation is not None:
        if JoinRequest.objects.filter(
            user=user, organisation=organisation, status=JoinRequest.Status.PENDING
        ).exists():
            messages.info(
                request,
                f"Votre demande pour rejoindre « {organisation.name} » attend la réponse de ses "
                "responsables.",
            )
            return redirect("organisations:account")
        messages.info(
            request,
            f"Votre organisation, « {organisation.name} », utilise déjà OpenAMO : demandez à ses "
            "responsables de vous y accueillir.",
        )
        return redirect("organisations:join", organisation.siret)
    messages.info(
        request,
        "Votre organisation n'utilise pas encore OpenAMO : complétez sa fiche pour la créer.",
    )
    url = reverse("organisations:organisation_create")
    return redirect(f"{url}?siret={siret}" if siret.isdigit() else url)


def failed(request: HttpRequest) -> HttpResponse:
    """The callback did not sign anyone in: an account to link first, or a refusal."""
    proconnect.require_enabled()
    if request.session.get(proconnect.PENDING_LINK_SESSION):
        return redirect("organisations:proconnect_link")
    context = page_context("Connexion par ProConnect interrompue", LOGIN_CRUMB)
    return render(request, "organisations/proconnect_failed.html", context, status=400)


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    """An account already has the address ProConnect gave: its owner types its password once to
    link the two (nobody takes over an account by an address alone)."""
    proconnect.require_enabled()
    pending = request.session.get(proconnect.PENDING_LINK_SESSION)
    account = invitations.account_for_email(pending["email"]) if pending else None
    if pending is None or account is None:
        return redirect("organisations:login")
    form = ProConnectLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            user = authenticate(
                request, username=account.get_username(), password=form.cleaned_data["password"]
            )
            wait = getattr(request, throttle.WAIT_ATTRIBUTE, None)
            if wait is not None:
                context = page_context(
                    "Connexion temporairement bloquée", wait=throttle.wait_in_words(wait)
                )
                return render(request, "organisations/locked_out.html", context, status=429)
            if user is None:
                form.add_error("password", "Mot de passe incorrect. Saisissez-le à nouveau.")
            else:
                proconnect.link_identity(user, pending["sub"])
                login(request, user, backend=proconnect.BACKEND)  # keeps the session's data
                request.session.pop(proconnect.PENDING_LINK_SESSION, None)
                messages.success(request, "Votre compte est relié à ProConnect.")
                return redirect("organisations:proconnect_next")
    context = page_context(
        "Relier votre compte à ProConnect", LOGIN_CRUMB, form=form, email=pending["email"]
    )
    return render(request, "organisations/proconnect_link.html", context, status=status)


def logged_out(request: HttpRequest) -> HttpResponse:
    """Back from ProConnect's logout."""
    expected = request.session.pop(proconnect.LOGOUT_STATE_SESSION, None)
    if expected is not None and request.GET.get("state") == expected:
        messages.success(request, "Vous êtes déconnecté d'OpenAMO et de ProConnect.")
    return redirect("organisations:login")
