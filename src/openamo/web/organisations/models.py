"""Tenancy: an organisation, its members and their role."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openamo.procurement.enums import Buyer


class OrganisationKind(models.TextChoices):
    COLLECTIVITE = (
        "collectivite",
        "Acheteur public (collectivité, établissement, service de l'État)",
    )
    AMO = "amo", "Cabinet d'assistance à maîtrise d'ouvrage"
    ENTREPRISE = "entreprise", "Entreprise titulaire"


class Role(models.TextChoices):
    MAITRE_OUVRAGE = "maitre_ouvrage", "Maître d'ouvrage"
    AMO = "amo", "Assistance à maîtrise d'ouvrage"
    LECTEUR = "lecteur", "Lecteur"


BUYER_CHOICES = [(buyer.value, buyer.label) for buyer in Buyer]


class Organisation(models.Model):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    buyer = models.CharField(
        "catégorie d'acheteur",
        max_length=30,
        choices=BUYER_CHOICES,
        blank=True,
        help_text="Pour un acheteur public : détermine les seuils applicables.",
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_buyer(self) -> bool:
        return self.kind == OrganisationKind.COLLECTIVITE


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="utilisateur",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="organisation",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    ended_at = models.DateTimeField("fin d'appartenance", null=True, blank=True)

    class Meta:
        verbose_name = "appartenance"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(ended_at__isnull=True),
                name="unique_active_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"
