"""Sign in and out (``throttle`` makes repeated failures wait), the user's account page and the
members page (members, former members, open invitations, requests to join)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations import invitations, proconnect, registration, services, throttle
from openamo.web.organisations.access import memberships
from openamo.web.organisations.forms import (
    DecisionForm,
    IdentityForm,
    InvitationForm,
    LoginForm,
    RoleForm,
)
from openamo.web.organisations.mail import absolute_url
from openamo.web.organisations.models import Role
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest


class LoginView(auth_views.LoginView):
    template_name = "organisations/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = page_context("Connexion")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["proconnect"] = proconnect.enabled()
        return context

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        wait = getattr(self.request, throttle.WAIT_ATTRIBUTE, None)
        if wait is None:
            return super().form_invalid(form)
        # The same page whether the identifier exists or not; it tells how long to wait.
        context = page_context(
            "Connexion temporairement bloquée", wait=throttle.wait_in_words(wait)
        )
        return render(self.request, "organisations/locked_out.html", context, status=429)


class LogoutView(auth_views.LogoutView):
    """Signing out of a session opened with ProConnect also ends the ProConnect session
    (its end_session endpoint, which sends the browser back to the sign-in page)."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if id_token and proconnect.enabled():
            url = proconnect.end_session_url(request, id_token)
            if url is not None:
                return redirect(url)
        return response


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    context = page_context("Mon compte", memberships=memberships(request.user))
    return render(request, "organisations/account.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/accessibility.html", page_context("Accessibilité"))


def _members_page(
    request: HttpRequest,
    access: services.OrganisationAccess,
    form: InvitationForm,
    status: int = 200,
) -> HttpResponse:
    organisation = access.organisation
    manage = access.can_manage_members
    context = page_context(
        f"Membres — {organisation.name}",
        ("Mon compte", reverse("organisations:account")),
        access=access,
        members=services.members(organisation),
        former_members=services.former_members(organisation),
        invitations=invitations.pending(organisation) if manage else [],
        join_requests=registration.pending_requests(organisation) if manage else [],
        form=form,
        role_form=RoleForm(kind=organisation.kind),
        decision_form=DecisionForm(kind=organisation.kind),
    )
    return render(request, "organisations/members.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def members(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = services.organisation_access(request.user, pk)
    form = InvitationForm(
        request.POST or None, initial={"role": Role.LECTEUR}, kind=access.organisation.kind
    )
    if request.method == "POST":
        access.require_manage()
        if form.is_valid():
            try:
                invitation, _ = invitations.invite(
                    access.organisation,
                    request.user,
                    form.to_input(),
                    lambda token: absolute_url(
                        reverse("organisations:invitation", args=[token]), request
                    ),
                )
            except PermissionRefused as exc:
                form.add_error("email", exc.message)
            else:
                # The same answer whether the address has an account or not.
                messages.success(
                    request,
                    f"Invitation envoyée à {invitation.email}. La personne rejoindra "
                    "l'organisation quand elle l'aura acceptée.",
                )
                return redirect("organisations:members", pk)
        return _members_page(request, access, form, status=400)
    return _members_page(request, access, form)


@login_required
@require_http_methods(["POST"])
def invitation_revoke(request: AuthenticatedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    access = services.organisation_access(request.user, pk)
    access.require_manage()
    invitations.revoke(access.organisation, request.user, invitation_pk)
    messages.success(request, "Invitation annulée : son lien ne fonctionne plus.")
    return redirect("organisations:members", pk)


@login_required
@require_http_methods(["POST"])
def join_decide(request: AuthenticatedRequest, pk: int, request_pk: int) -> HttpResponse:
    access = services.organisation_access(request.user, pk)
    access.require_manage()
    accept = request.POST.get("decision") == "accept"
    form = DecisionForm(request.POST, kind=access.organisation.kind)
    if accept and not form.is_valid():
        messages.error(request, "Choisissez le rôle accordé dans la liste.")
        return redirect("organisations:members", pk)
    role = form.cleaned_data["role"] if accept else Role.LECTEUR
    join = registration.decide(access, request.user, request_pk, accept=accept, role=role)
    name = join.user.get_full_name() or join.user.username
    messages.success(
        request,
        f"{name} a rejoint l'organisation." if accept else f"Demande de {name} refusée.",
    )
    return redirect("organisations:members", pk)


@login_required
@require_http_methods(["POST"])
def member_role(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    access = services.organisation_access(request.user, pk)
    form = RoleForm(request.POST, kind=access.organisation.kind)
    if not form.is_valid():
        messages.error(request, "Choisissez un rôle dans la liste.")
    else:
        try:
            services.change_role(access, request.user, membership_pk, form.cleaned_data["role"])
        except PermissionRefused as exc:
            if not access.can_manage_members:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, "Rôle modifié.")
    return redirect("organisations:members", pk)


@login_required
@require_http_methods(["POST"])
def member_remove(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    access = services.organisation_access(request.user, pk)
    try:
        services.remove_member(access, request.user, membership_pk)
    except PermissionRefused as exc:
        if not access.can_manage_members:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "Le membre n'a plus accès à l'organisation.")
    return redirect("organisations:members", pk)


@login_required
@require_http_methods(["GET", "POST"])
def identity(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What the letters, the DCE and the avenants print of the organisation; its managers
    change it, every member reads it."""
    access = services.organisation_access(request.user, pk)
    organisation = access.organisation
    form = IdentityForm(
        request.POST or None,
        initial=IdentityForm.initial_of(organisation),
        organisation=organisation,
        editable=access.can_manage_members,
    )
    if request.method == "POST":
        access.require_manage()
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
            if services.update_identity(access, request.user, values):
                messages.success(request, "Identité de l'organisation enregistrée.")
            return redirect("organisations:identity", pk)
    context = page_context(
        f"Identité — {organisation.name}",
        ("Mon compte", reverse("organisations:account")),
        access=access,
        organisation=organisation,
        form=form,
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "organisations/identity.html", context, status=status)
