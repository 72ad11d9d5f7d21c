"""Who belongs where, read once per request."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from openamo.web.organisations.models import Membership, Role
from openamo.web.users import AuthenticatedUser

_CACHE_ATTR = "_openamo_memberships"


def memberships(user: AuthenticatedUser | AnonymousUser) -> list[Membership]:
    """The user's memberships (with their organisation), cached on the user object."""
    if isinstance(user, AnonymousUser):
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, ended_at__isnull=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def organisation_ids(user: AuthenticatedUser | AnonymousUser) -> list[int]:
    return [membership.organisation_id for membership in memberships(user)]


def deciding_organisation_ids(user: AuthenticatedUser | AnonymousUser) -> list[int]:
    """Where the user is maître d'ouvrage: the organisations whose decisions they take."""
    return [m.organisation_id for m in memberships(user) if m.role == Role.MAITRE_OUVRAGE]
