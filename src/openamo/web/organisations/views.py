"""Sign in and out (django-axes throttles failed attempts), and the user's account page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations import services
from openamo.web.organisations.access import memberships
from openamo.web.organisations.forms import LoginForm, MemberForm, PasswordForm, RoleForm
from openamo.web.organisations.models import Role
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


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "operations/form_page.html"
    form_class = PasswordForm
    success_url = reverse_lazy("organisations:account")
    extra_context = {
        **page_context("Changer mon mot de passe", ("Mon compte", "/compte/")),
        "submit": "Changer le mot de passe",
    }

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, "Mot de passe changé.")
        return super().form_valid(form)


def _members_page(
    request: HttpRequest, access: services.OrganisationAccess, form: MemberForm, status: int = 200
) -> HttpResponse:
    context = page_context(
        f"Membres — {access.organisation.name}",
        ("Mon compte", reverse("organisations:account")),
        access=access,
        members=services.members(access.organisation),
        form=form,
        role_form=RoleForm(),
    )
    return render(request, "organisations/members.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, pk: int) -> HttpResponse:
    access = services.organisation_access(request.user, pk)
    form = MemberForm(request.POST or None, initial={"role": Role.LECTEUR})
    if request.method == "POST":
        access.require_manage()
        if form.is_valid():
            try:
                added = services.add_member(access, request.user, form.cleaned_data)
            except PermissionRefused as exc:
                form.add_error("username", exc.message)
            else:
                name = added.membership.user.username
                if added.initial_password:
                    messages.success(
                        request,
                        f"Compte « {name} » créé. Mot de passe provisoire, à transmettre à la "
                        f"personne et à changer à la première connexion : "
                        f"{added.initial_password}",
                    )
                else:
                    messages.success(request, f"« {name} » ajouté à l'organisation.")
                return redirect("organisations:members", pk)
        return _members_page(request, access, form, status=400)
    return _members_page(request, access, form)


@login_required
@require_http_methods(["POST"])
def member_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    access = services.organisation_access(request.user, pk)
    form = RoleForm(request.POST)
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
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
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
