"""Django's admin site for platform staff (``is_staff``): organisations, memberships,
invitations, requests to join and accounts. Every change made there is written to the audit
trail like any other; memberships end (dated) instead of being deleted, accounts are
deactivated instead of being deleted, and a password set by staff is provisional."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from openamo.web.audit.models import Action
from openamo.web.audit.services import JSONValue, record, snapshot
from openamo.web.organisations.models import (
    Invitation,
    JoinRequest,
    LoginThrottle,
    Membership,
    Organisation,
    ProConnectIdentity,
    ProvisionalPassword,
)
from openamo.web.organisations.passwords import mark_provisional
from openamo.web.users import AuthenticatedUser, signed_in

admin.site.site_header = "Administration d'OpenAMO"
admin.site.site_title = "Administration d'OpenAMO"
admin.site.index_title = "Réservé à l'équipe qui exploite la plateforme"


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Writes every creation, change and deletion to the audit trail (before/after)."""

    audited_fields: list[str] = []

    def _state(self, obj: models.Model) -> dict[str, JSONValue]:
        return snapshot(obj, self.audited_fields)

    @transaction.atomic
    def save_model(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[models.Model], change: bool
    ) -> None:
        before = None
        if change and obj.pk is not None:
            before = self._state(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        action = Action.UPDATE if change else Action.CREATE
        staff = signed_in(request)
        record(
            staff,
            action,
            obj,
            operation_id=None,
            before=before,
            after=self._state(obj),
            actor_label=_staff_label(staff),
        )

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        staff = signed_in(request)
        record(
            staff,
            Action.DELETE,
            obj,
            operation_id=None,
            before=self._state(obj),
            actor_label=_staff_label(staff),
        )
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[models.Model]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def _staff_label(user: AuthenticatedUser) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({user.username}, administration de la plateforme)"


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    audited_fields = ["name", "kind", "buyer", "population", "siret"]
    list_display = ["name", "kind", "buyer", "siret", "created_at"]
    list_filter = ["kind", "buyer"]
    search_fields = ["name", "siret"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    audited_fields = ["user", "organisation", "role", "started_at", "ended_at"]
    list_display = ["user", "organisation", "role", "started_at", "ended_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # end the membership (« fin d'appartenance ») so history stays attributed


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    audited_fields = ["organisation", "email", "role", "expires_at", "revoked_at"]
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = [
        "organisation",
        "email",
        "first_name",
        "last_name",
        "role",
        "token_hash",
        "invited_by",
        "created_at",
        "accepted_at",
        "accepted_by",
        "declined_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations are sent from the members page or « amo admin user invite »


@admin.register(JoinRequest)
class JoinRequestAdmin(AuditedAdmin):
    audited_fields = ["organisation", "user", "status"]
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    readonly_fields = ["organisation", "user", "message", "created_at", "decided_at", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    audited_fields = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "is_superuser",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # deactivate the account: its past actions stay attributed

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[models.Model], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change and isinstance(obj, User) and obj.has_usable_password():
            mark_provisional(obj)  # chosen by staff: to be replaced at the first sign-in

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User._default_manager.get(pk=id)
            mark_provisional(user)
            staff = signed_in(request)
            record(
                staff,
                Action.UPDATE,
                user,
                operation_id=None,
                before={"password": "ancien"},
                after={"password": "provisoire, à changer à la première connexion"},
                actor_label=_staff_label(staff),
            )
        return response


@admin.register(ProvisionalPassword)
class ProvisionalPasswordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "set_at"]
    readonly_fields = ["user", "set_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ProConnectIdentity)
class ProConnectIdentityAdmin(AuditedAdmin):
    """Unlinking (deleting) an identity lets its next ProConnect sign-in be linked afresh."""

    audited_fields = ["user", "sub"]
    list_display = ["user", "sub", "created_at"]
    search_fields = ["user__username", "user__email", "sub"]
    readonly_fields = ["user", "sub", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # linked by the person's own ProConnect sign-in


@admin.register(LoginThrottle)
class LoginThrottleAdmin(AuditedAdmin):
    """Failed sign-ins being counted; deleting a line lifts its wait at once."""

    audited_fields = ["scope", "key", "failures", "locked_until"]
    list_display = ["scope", "key", "failures", "last_failure_at", "locked_until"]
    list_filter = ["scope"]
    search_fields = ["key"]
    readonly_fields = ["scope", "key", "failures", "last_failure_at", "locked_until"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
