"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def user_fk(verbose_name: str, *, blank: bool = False) -> Any:
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
