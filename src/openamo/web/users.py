"""Who is signed in, typed once for the whole web layer.

The settings keep Django's own user model (no ``AUTH_USER_MODEL``); what a person may do is not
on the user but on their memberships (``openamo.web.organisations.access``: organisation and
role). Services, presenters and views name the person acting :data:`AuthenticatedUser`, and the
views behind ``login_required`` take an :class:`AuthenticatedRequest`, whose ``user`` is that
person (never the anonymous user). Code that also serves anonymous visitors (menus, page cache,
memberships) takes ``AuthenticatedUser | AnonymousUser``.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

AuthenticatedUser: TypeAlias = User
"""The signed-in person: the row the journal, the memberships and the ``*_by`` columns point to."""


class AuthenticatedRequest(HttpRequest):
    """A request whose user is signed in (the views behind ``login_required``).

    An annotation only: Django builds the requests, this class tells mypy what
    ``login_required`` guarantees.
    """

    user: AuthenticatedUser


def signed_in(request: HttpRequest) -> AuthenticatedUser:
    """The request's user where Django, not ``login_required``, ensures the sign-in (the admin
    site, whose methods keep Django's signatures); an anonymous visitor is refused (403)."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user
