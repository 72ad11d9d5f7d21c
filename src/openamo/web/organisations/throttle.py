"""Login abuse: every failed sign-in counts against the identifier typed (whatever the address
it comes from) and against the client's address (whatever the identifiers tried, which stops
password spraying). Past a number of failures, each further one makes the wait longer: 1, 2,
4… minutes, up to a ceiling (figures in the settings). Failures are forgotten after a quiet
period; a successful sign-in or a password reset lifts the account's count (the address's
stays: a valid account must not wash a spraying address clean).

Unknown identifiers are counted and locked like real ones, so the answer never tells whether
an account exists. ``LoginThrottleBackend`` (first in ``AUTHENTICATION_BACKENDS``) refuses every
password check while a wait runs, on the login page and on the admin site alike.
"""

from __future__ import annotations

import datetime
import logging
import math
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from openamo.web.organisations.client_address import client_key
from openamo.web.organisations.models import LoginThrottle
from openamo.web.users import AuthenticatedUser

WAIT_ATTRIBUTE = "openamo_login_wait"
logger = logging.getLogger("openamo.connexion")
Scope = LoginThrottle.Scope


def account_key(identifier: str) -> str:
    return identifier.strip().lower()[:254]


def _limits() -> dict[str, int]:
    return {
        Scope.ACCOUNT: settings.OPENAMO_LOGIN_ACCOUNT_FAILURES,
        Scope.ADDRESS: settings.OPENAMO_LOGIN_ADDRESS_FAILURES,
    }


def delay(failures: int, limit: int) -> datetime.timedelta | None:
    """The wait after the ``failures``-th failure: none before the limit, then doubling."""
    if failures < limit:
        return None
    minutes = settings.OPENAMO_LOGIN_FIRST_DELAY_MINUTES * 2 ** min(failures - limit, 20)
    return datetime.timedelta(minutes=min(minutes, settings.OPENAMO_LOGIN_MAX_DELAY_MINUTES))


def _keys(request: HttpRequest, identifier: str) -> list[tuple[str, str]]:
    return [(Scope.ACCOUNT, account_key(identifier)), (Scope.ADDRESS, client_key(request))]


def remaining_wait(request: HttpRequest, identifier: str) -> datetime.timedelta | None:
    """How long this identifier, or this address, must still wait before trying again."""
    now = timezone.now()
    waits = [
        row.locked_until - now
        for scope, key in _keys(request, identifier)
        for row in LoginThrottle.objects.filter(scope=scope, key=key, locked_until__gt=now)
        if row.locked_until is not None
    ]
    return max(waits) if waits else None


def _count(scope: str, key: str, now: datetime.datetime) -> LoginThrottle:
    memory = datetime.timedelta(hours=settings.OPENAMO_LOGIN_MEMORY_HOURS)
    for attempt in range(2):
        try:
            with transaction.atomic():
                row, created = LoginThrottle.objects.select_for_update().get_or_create(
                    scope=scope, key=key, defaults={"failures": 0, "last_failure_at": now}
                )
                if not created and row.last_failure_at < now - memory:
                    row.failures = 0
                row.failures += 1
                row.last_failure_at = now
                wait = delay(row.failures, _limits()[scope])
                row.locked_until = now + wait if wait is not None else None
                row.save()
                return row
        except IntegrityError:  # created meanwhile by a concurrent failure: count on it
            if attempt:
                raise
    raise AssertionError("unreachable")


def record_failure(request: HttpRequest, identifier: str) -> datetime.timedelta | None:
    """Count a failure; the wait it starts, if any."""
    now = timezone.now()
    memory = datetime.timedelta(hours=settings.OPENAMO_LOGIN_MEMORY_HOURS)
    LoginThrottle.objects.filter(last_failure_at__lt=now - memory).delete()
    rows = [_count(scope, key, now) for scope, key in _keys(request, identifier)]
    for row in rows:
        if row.locked_until is not None:  # for the operator: who is attacked, from where
            logger.warning(
                "connexion suspendue : %s « %s », %d échecs, attente jusqu'à %s",
                row.get_scope_display().lower(),
                row.key,
                row.failures,
                row.locked_until.isoformat(timespec="seconds"),
            )
    waits = [row.locked_until - now for row in rows if row.locked_until is not None]
    return max(waits) if waits else None


def forget_account(*identifiers: str) -> None:
    """Lift the account's count (after a password reset or a successful sign-in)."""
    keys = {account_key(identifier) for identifier in identifiers if identifier}
    LoginThrottle.objects.filter(scope=Scope.ACCOUNT, key__in=keys).delete()


def wait_in_words(wait: datetime.timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    if minutes < 120:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} heures"


class LoginThrottleBackend(ModelBackend):
    """Refuses any password check while the identifier or the address must wait; otherwise
    leaves the check to the next backend. (It reads sessions like ``ModelBackend``, since
    ``force_login`` and ``login`` without a backend name record the first one.)"""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ) -> None:
        if request is None or username is None or password is None:
            return None
        wait = remaining_wait(request, username)
        if wait is not None:
            setattr(request, WAIT_ATTRIBUTE, wait)
            raise PermissionDenied  # stops every other backend
        return None


@receiver(user_login_failed)
def _count_failure(
    sender: str, credentials: Mapping[str, object], request: object = None, **_: object
) -> None:
    """Django's ``user_login_failed``: ``credentials`` as the sign-in form sent them (the
    password already hidden)."""
    username = credentials.get("username")
    if not isinstance(request, HttpRequest) or not username:
        return
    if getattr(request, WAIT_ATTRIBUTE, None) is not None:
        return  # refused during a wait: not counted, the wait does not grow by itself
    wait = record_failure(request, str(username))
    if wait is not None:
        setattr(request, WAIT_ATTRIBUTE, wait)


@receiver(user_logged_in)
def _forget_on_success(
    sender: type[AuthenticatedUser],
    request: HttpRequest | None,
    user: AuthenticatedUser,
    **_: object,
) -> None:
    forget_account(user.get_username(), user.email)
