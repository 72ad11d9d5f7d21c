"""Soft delete, once for every app: a deleted row keeps its data and its history, it only
leaves the lists.

``objects`` stays Django's plain manager (it sees every row) and reads ask for live rows with
``.alive()``. A default manager that hid deleted rows would also hide them where the code
reaches them on purpose: a history page of a deleted contract, a lot reached from an analysis
(« ce lot a été supprimé »), the reverse relations and the admin. Explicit is what the lists
need and nothing else changes.
"""

from __future__ import annotations

from typing import Self, TypeVar

from django.db import models
from django.utils import timezone

_Model = TypeVar("_Model", bound=models.Model)

ALIVE = models.Q(deleted_at__isnull=True)
"""The condition of a live row, for a partial index or a ``Q`` combined with others."""


def alive_through(relation: str) -> models.Q:
    """Rows whose related ``relation`` (a lookup path: ``"operation"``, ``"reception"``) is live.
    A nullable relation left empty passes too (SQL left join): an analysis of the whole
    contract has no lot, and no deleted lot."""
    return models.Q(**{f"{relation}__deleted_at__isnull": True})


class SoftDeletableQuerySet(models.QuerySet[_Model]):
    def alive(self) -> Self:
        """The rows not deleted."""
        return self.filter(ALIVE)

    def deleted(self) -> Self:
        """The rows deleted (kept for their history)."""
        return self.exclude(ALIVE)


class SoftDeletable(models.Model):
    """A row deleted by setting ``deleted_at``; see the module docstring for the manager."""

    deleted_at = models.DateTimeField("date de suppression", null=True, blank=True)

    objects = SoftDeletableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self) -> None:
        """Mark the row deleted now; only ``deleted_at`` is written."""
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])
