"""Persistence of operations; the rules live in ``openamo.procurement``, the workflow in services."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.procurement.enums import FrameworkExecution, FrameworkHolders, Nature, ProcedureKind
from openamo.web.fields import user_fk
from openamo.web.operations.kinds import Module, OperationKind, offers
from openamo.web.organisations.models import Organisation
from openamo.web.softdelete import ALIVE, SoftDeletable

NATURE_CHOICES = [(nature.value, nature.label) for nature in Nature]
PROCEDURE_CHOICES = [(kind.value, kind.label) for kind in ProcedureKind]
FRAMEWORK_EXECUTION_CHOICES = [
    (e.value, e.label[0].upper() + e.label[1:]) for e in FrameworkExecution
]
FRAMEWORK_HOLDERS_CHOICES = [(h.value, h.label[0].upper() + h.label[1:]) for h in FrameworkHolders]


class Stage(models.TextChoices):
    AMONT = "amont", "Amont"
    PASSATION = "passation", "Passation"
    EXECUTION = "execution", "Exécution"


class ConsultationStatus(models.TextChoices):
    BROUILLON = "brouillon", "À analyser"
    A_VALIDER = "a_valider", "En attente de validation"
    VALIDEE = "validee", "Validée"


class Operation(SoftDeletable):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name="acheteur",
    )
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    kind = models.CharField(
        "type d'opération",
        max_length=20,
        choices=OperationKind.choices,
        default=OperationKind.AUTRE,
    )
    stage = models.CharField("étape", max_length=20, choices=Stage.choices, default=Stage.AMONT)
    created_by = user_fk("créée par")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "opération"
        # Partial on live rows: PostgreSQL does not treat ``deleted_at IS NULL`` as an equality
        # in a composite index, so only a partial index lets it read the newest rows in order.
        indexes = [
            models.Index(
                fields=["organisation", "-updated_at", "-id"],
                condition=ALIVE,
                name="op_org_live",
            ),
            models.Index(
                fields=["organisation", "stage", "-updated_at", "-id"],
                condition=ALIVE,
                name="op_org_stage_live",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def offers(self, module: Module | str) -> bool:
        """Whether this kind of operation offers the module (see ``operations.kinds``)."""
        return offers(self.kind, Module(module))


class Share(models.Model):
    """An operation explicitly shared by its buyer with an AMO firm."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="shares", verbose_name="opération"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shared_operations",
        verbose_name="cabinet d'AMO",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField("partagée le", auto_now_add=True)
    revoked_at = models.DateTimeField("retirée le", null=True, blank=True)

    class Meta:
        verbose_name = "partage"
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "organisation"],
                condition=models.Q(revoked_at__isnull=True),
                name="unique_active_share",
            )
        ]
        indexes = [models.Index(fields=["organisation", "revoked_at"], name="share_org")]

    def __str__(self) -> str:
        return f"{self.operation} → {self.organisation}"


class Need(models.Model):
    """Le besoin: what is bought, its nature, estimated amount and duration."""

    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="need", verbose_name="opération"
    )
    object = models.TextField("objet du marché", blank=True)
    nature = models.CharField("nature des prestations", max_length=20, choices=NATURE_CHOICES)
    estimated_amount_ht = models.DecimalField(
        "montant estimé HT (€)", max_digits=15, decimal_places=2
    )
    duration_months = models.PositiveIntegerField("durée (mois)", null=True, blank=True)
    renewals = models.PositiveIntegerField("nombre de reconductions", default=0)
    renewal_duration_months = models.PositiveIntegerField(
        "durée d'une reconduction (mois)", null=True, blank=True
    )
    options_amount_ht = models.DecimalField(
        "montant des options HT (€)", default=Decimal(0), max_digits=15, decimal_places=2
    )
    social_and_specific_services = models.BooleanField(
        "services sociaux et autres services spécifiques", default=False
    )
    constraints = models.TextField("contraintes", blank=True)
    is_framework = models.BooleanField("accord-cadre", default=False)
    framework_execution = models.CharField(
        "exécution de l'accord-cadre",
        max_length=30,
        choices=FRAMEWORK_EXECUTION_CHOICES,
        blank=True,
    )
    framework_holders = models.CharField(
        "titulaires de l'accord-cadre", max_length=30, choices=FRAMEWORK_HOLDERS_CHOICES, blank=True
    )
    framework_holders_count = models.PositiveIntegerField(
        "nombre de titulaires", null=True, blank=True
    )
    framework_minimum_ht = models.DecimalField(
        "minimum HT de l'accord-cadre (€)", max_digits=15, decimal_places=2, null=True, blank=True
    )
    framework_maximum_ht = models.DecimalField(
        "maximum HT de l'accord-cadre (€)", max_digits=15, decimal_places=2, null=True, blank=True
    )
    framework_maximum_quantity = models.CharField(
        "maximum en quantité de l'accord-cadre", max_length=300, blank=True
    )
    framework_duration_justification = models.TextField(
        "justification d'une durée au-delà de la limite", blank=True
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "besoin"

    def __str__(self) -> str:
        return f"Besoin — {self.operation}"


class Lot(SoftDeletable):
    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="lots", verbose_name="opération"
    )
    number = models.PositiveIntegerField("numéro")
    name = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    estimated_amount_ht = models.DecimalField(
        "montant estimé HT (€)", max_digits=15, decimal_places=2
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "lot"
        ordering = ["number", "id"]
        indexes = [models.Index(fields=["operation", "deleted_at"], name="lot_op_live")]

    def __str__(self) -> str:
        return f"Lot {self.number} — {self.name}"


class Consultation(models.Model):
    """The consultation of an operation: the procedure analysis and the buyer's decision."""

    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="consultation", verbose_name="opération"
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.BROUILLON,
    )
    launch_date = models.DateField("date de lancement envisagée", null=True, blank=True)
    response_deadline = models.DateField("date limite de remise des offres", null=True, blank=True)
    procedure = models.CharField("procédure", max_length=20, choices=PROCEDURE_CHOICES, blank=True)
    answers = models.JSONField("réponses à l'assistant", default=dict, encoder=DjangoJSONEncoder)
    input = models.JSONField("données analysées", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("résultat de l'analyse", default=dict, encoder=DjangoJSONEncoder)
    analysed_at = models.DateTimeField("analysée le", null=True, blank=True)
    analysed_by = user_fk("analysée par", blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = user_fk("validée par", blank=True)
    stale_changes = models.JSONField(
        "changements depuis la validation", default=list, encoder=DjangoJSONEncoder
    )

    class Meta:
        verbose_name = "consultation"
        indexes = [
            models.Index(fields=["status"], name="consult_status"),
            models.Index(fields=["response_deadline"], name="consult_deadline"),
        ]

    def __str__(self) -> str:
        return f"Consultation — {self.operation}"
