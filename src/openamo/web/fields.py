"""Model fields shared by the apps."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from openamo.web.users import AuthenticatedUser

Amount: TypeAlias = "models.DecimalField[Decimal, Decimal]"
"""An amount always stored."""
OptionalAmount: TypeAlias = "models.DecimalField[Decimal | None, Decimal | None]"
"""An amount or a rate the user may leave blank."""


def user_fk(
    verbose_name: str, *, blank: bool = False
) -> models.ForeignKey[AuthenticatedUser | None, AuthenticatedUser | None]:
    """Who did something (created, analysed, validated, decided…). The account may go; the row
    stays, with the actor's name kept beside it where the history needs it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        verbose_name=verbose_name,
    )
