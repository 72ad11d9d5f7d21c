"""Tenancy: an organisation, its members and their role; invitations and requests to join,
which attach an account to an organisation only once its owner (or a maître d'ouvrage, for a
request) has said yes; passwords set by someone else, to be changed at the first sign-in."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.procurement.enums import Buyer
from openamo.web.fields import user_fk
from openamo.wording import count


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


# The three roles grant the same rights everywhere; only their name changes with the side the
# organisation is on: a contractor's members are the titulaire's people, not maîtres d'ouvrage.
_LABELS_BY_KIND: dict[str, dict[str, str]] = {
    OrganisationKind.AMO: {Role.MAITRE_OUVRAGE: "Responsable du cabinet"},
    OrganisationKind.ENTREPRISE: {
        Role.MAITRE_OUVRAGE: "Représentant du titulaire, signataire",
        Role.AMO: "Collaborateur du titulaire",
    },
}


def role_label(role: str, kind: str) -> str:
    """The name of a role in an organisation of this kind, as its members read it (the
    role's own label where the kind does not rename it)."""
    return _LABELS_BY_KIND.get(kind, {}).get(role) or Role(role).label


def role_choices(kind: str) -> list[tuple[str, str]]:
    """The role choices of a form, named for an organisation of this kind."""
    return [(role.value, role_label(role.value, kind)) for role in Role]


BUYER_CHOICES = [(buyer.value, buyer.label) for buyer in Buyer]
BUYER_REQUIRED = "Choisissez la catégorie d'acheteur : elle détermine les seuils."


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
    postal_address = models.TextField(
        "adresse postale",
        blank=True,
        help_text="Sur plusieurs lignes, la dernière avec le code postal et la commune.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            # One organisation per establishment: a second person asks to join instead.
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="unique_organisation_siret"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_buyer(self) -> bool:
        return self.kind == OrganisationKind.COLLECTIVITE

    def clean(self) -> None:
        """A public buyer's category decides its thresholds: it is asked, never assumed."""
        if self.kind == OrganisationKind.COLLECTIVITE and not self.buyer:
            raise ValidationError({"buyer": BUYER_REQUIRED})
        if self.kind != OrganisationKind.COLLECTIVITE and self.buyer:
            raise ValidationError({"buyer": "Seul un acheteur public a une catégorie d'acheteur."})

    def buyer_category(self) -> str:
        """The buyer category the law needs; a French error when nobody has chosen it yet."""
        if not self.buyer:
            raise OpenAMOError(
                f"La catégorie d'acheteur de « {self.name} » n'est pas renseignée : un maître "
                "d'ouvrage la choisit sur la page « Identité de l'organisation » (Mon compte) ; "
                "elle détermine les seuils.",
                code="buyer_category_missing",
            )
        return self.buyer


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
    started_at = models.DateTimeField("début d'appartenance", default=timezone.now)
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
        return f"{self.user} — {self.organisation} ({self.role_label})"

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.organisation.kind)


class Invitation(models.Model):
    """A one-time link sent by e-mail; only a hash of its secret is stored."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name="organisation",
    )
    email = models.EmailField("adresse électronique")
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle proposé", max_length=20, choices=Role.choices)
    token_hash = models.CharField("empreinte du lien", max_length=64, unique=True)
    invited_by = user_fk("invitée par", blank=True)
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = user_fk("acceptée par", blank=True)
    declined_at = models.DateTimeField("refusée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation de {self.email} — {self.organisation}"

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.organisation.kind)

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.declined_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class JoinRequest(models.Model):
    """Someone who entered the SIRET of an existing organisation asks to join it."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name="organisation",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name="demandeur",
    )
    message = models.CharField("message", max_length=500, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = user_fk("décidée par", blank=True)

    class Meta:
        verbose_name = "demande d'adhésion"
        verbose_name_plural = "demandes d'adhésion"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="unique_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"Demande de {self.user} — {self.organisation}"


class ProvisionalPassword(models.Model):
    """The password was set by someone else (platform staff): its owner must replace it at the
    first sign-in before reaching anything else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provisional_password",
        verbose_name="utilisateur",
    )
    set_at = models.DateTimeField("attribué le", auto_now_add=True)

    class Meta:
        verbose_name = "mot de passe provisoire"
        verbose_name_plural = "mots de passe provisoires"

    def __str__(self) -> str:
        return f"Mot de passe provisoire de {self.user}"


class LoginThrottle(models.Model):
    """Failed sign-ins counted for one identifier (whatever the address) or for one client
    address (whatever the identifiers), and the wait they impose (``throttle``)."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", "Identifiant"
        ADDRESS = "address", "Adresse du client"

    scope = models.CharField("portée", max_length=10, choices=Scope.choices)
    key = models.CharField("identifiant ou adresse", max_length=254)
    failures = models.PositiveIntegerField("échecs", default=0)
    last_failure_at = models.DateTimeField("dernier échec")
    locked_until = models.DateTimeField("bloqué jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "limitation des connexions"
        verbose_name_plural = "limitations des connexions"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_login_throttle")
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key} : {count(self.failures, 'échec')}"


class ProConnectIdentity(models.Model):
    """The ProConnect identity (its ``sub``) that signs in to this account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proconnect_identity",
        verbose_name="utilisateur",
    )
    sub = models.CharField("identifiant ProConnect", max_length=255, unique=True)
    created_at = models.DateTimeField("reliée le", auto_now_add=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"

    def __str__(self) -> str:
        return f"Identité ProConnect de {self.user}"
