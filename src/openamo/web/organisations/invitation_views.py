"""The invited person's side: read the invitation, then accept (creating an account with their
own password, or with the account they already have) or decline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.web.organisations import invitations
from openamo.web.organisations.forms import NewAccountForm
from openamo.web.organisations.registration_views import MODEL_BACKEND, _expired
from openamo.web.pages import page_context


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invitations.open_invitation(token)
    if found is None:
        return _expired(
            request,
            "Invitation expirée",
            "Ce lien d'invitation a déjà servi, a été annulé ou n'est plus valable (sept jours). "
            "Demandez une nouvelle invitation à la personne qui vous l'a envoyée.",
        )
    organisation = found.organisation
    action = request.POST.get("action")
    if request.method == "POST" and action == "decline":
        user = request.user
        invitations.decline(token, user if user.is_authenticated else None)
        messages.info(request, f"Invitation à rejoindre « {organisation.name} » refusée.")
        return redirect("organisations:login" if not request.user.is_authenticated else "/")
    has_account = invitations.account_for_email(found.email) is not None
    form = None
    if request.user.is_authenticated:
        if request.method == "POST" and action == "accept":
            invitations.accept(token, request.user)
            messages.success(request, f"Vous avez rejoint « {organisation.name} ».")
            return redirect("operations:dashboard")
    elif not has_account:
        form = NewAccountForm(
            request.POST if action == "create" else None,
            email=found.email,
            initial={"first_name": found.first_name, "last_name": found.last_name},
        )
        if action == "create" and form.is_valid():
            user = invitations.accept_with_new_account(token, form.to_input())
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, f"Compte créé : vous avez rejoint « {organisation.name} ».")
            return redirect("operations:dashboard")
    context = page_context(
        f"Invitation à rejoindre {organisation.name}",
        invitation=found,
        has_account=has_account,
        form=form,
        login_url=f"{reverse('organisations:login')}?next={request.path}",
    )
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "organisations/invitation.html", context, status=status)
